package dev.votingapp.loadtest;

import java.util.Map;

/**
 * java -jar loadtest.jar smoke|steady|ramp|chaos|merge: runs one scenario (or merges the ledgers of a
 * run's injectors) and exits 0 only when the verdict is PASS; 2 for a usage or settings error.
 * Settings come from -Dloadtest.*, LOADTEST_* or the scenario's defaults (loadtest/README.md).
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    String scenario = args.length == 1 ? args[0] : "";
    int status;
    try {
      boolean passed = switch (scenario) {
        // 30 s at a low rate, correctness only: CI runs it.
        case "smoke" -> new Kit("smoke", Kit.countOnly(Map.of(
            "rate", "5", "duration", "30", "watchers", "3", "drain.timeout", "60"))).execute();
        // Minutes at a fixed rate with 2,000 watchers, every threshold enforced.
        case "steady" -> new Kit("steady", Map.of(
            "rate", "50", "duration", "300", "rampup", "10", "watchers", "2000")).execute();
        case "ramp" -> new Ramp().execute();
        case "chaos" -> new Chaos().execute();
        case "merge" -> new Merge().execute();
        default -> {
          System.err.println("usage: loadtest.jar smoke|steady|ramp|chaos|merge (settings: LOADTEST_* or -Dloadtest.*; loadtest/README.md)");
          System.exit(2);
          yield false;
        }
      };
      status = passed ? 0 : 1;
    } catch (IllegalStateException bad) {
      System.err.println("[loadtest] " + scenario + ": " + bad.getMessage());
      status = 2;
    } catch (Exception failed) {
      System.err.println("[loadtest] " + scenario + " failed: " + failed);
      failed.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }
}
