package dev.votingapp.loadtest;

import java.util.Map;

/** A fixed rate for minutes, every threshold enforced: p99, failed requests, watchers' tally gap, correctness. */
public class SteadySimulation extends VotingSimulation {

  public SteadySimulation() {
    super("steady", Map.of(
        "rate", "50",
        "duration", "300",
        "rampup", "10",
        "watchers", "10"));
  }
}
