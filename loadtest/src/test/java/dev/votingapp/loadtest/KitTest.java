package dev.votingapp.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The defaults of the scenarios that check only the count (smoke, ramp, chaos). */
class KitTest {

  @Test
  void countOnlyTurnsOffEveryThresholdAndKeepsTheScenariosOwnDefaults() {
    assertEquals(Map.of("rate", "5", "drain.timeout", "60",
            "enforce.latency", "false", "enforce.errors", "false", "enforce.watch.gap", "false"),
        Kit.countOnly(Map.of("rate", "5", "drain.timeout", "60")));
  }
}
