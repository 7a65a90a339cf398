package dev.votingapp.loadtest;

import java.util.Map;

/** 30 s at a low rate, correctness only: the latency and error thresholds are reported, not enforced. CI runs it. */
public class SmokeSimulation extends VotingSimulation {

  public SmokeSimulation() {
    super("smoke", Map.of(
        "rate", "5",
        "duration", "30",
        "watchers", "3",
        "enforce.latency", "false",
        "enforce.errors", "false",
        "enforce.watch.gap", "false",
        "drain.timeout", "60"));
  }
}
