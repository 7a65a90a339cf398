package dev.votingapp.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.incrementUsersPerSec;

import io.gatling.javaapi.core.OpenInjectionStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * After ramp.warmup seconds at ramp.start voters/s (not measured: JIT, pools), steps the arrival rate
 * up (ramp.start, +ramp.step every ramp.level seconds, up to ramp.max voters/s)
 * until a level's p99 of the vote POST passes the SLO or its failures pass theirs; then new voters
 * stop, the count is checked, and the knee (the last level within the SLO) is reported with the app's
 * heap, GC pauses and queue depth, and appended with the machine's facts to the results file.
 */
public class RampSimulation extends VotingSimulation {

  /** The first seconds of a level still carry the previous level's queue: measured from here on. */
  static final long SETTLE_MILLIS = 2_000;

  private final double start;
  private final double step;
  private final int levelSeconds;
  private final int levels;
  private final List<Knee.Level> measured = new ArrayList<>();
  private final ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "loadtest-ramp");
    thread.setDaemon(true);
    return thread;
  });

  public RampSimulation() {
    super("ramp", Map.ofEntries(
        Map.entry("ramp.start", "25"),
        Map.entry("ramp.step", "25"),
        // A refused vote is not sent again: retries would add load the arrival rate does not show.
        Map.entry("retries", "0"),
        Map.entry("ramp.level", "20"),
        Map.entry("ramp.max", "2000"),
        Map.entry("watchers", "5"),
        Map.entry("enforce.latency", "false"),
        Map.entry("enforce.errors", "false"),
        Map.entry("enforce.watch.gap", "false"),
        Map.entry("results.append", "true"),
        Map.entry("drain.timeout", "300")));
    start = rampValue("ramp.start");
    step = rampValue("ramp.step");
    levelSeconds = run.config.integer("ramp.level", 5, 3600);
    levels = (int) Math.floor((rampValue("ramp.max") - start) / step) + 1;
    run.config.check();
    run.arrivals = String.format(java.util.Locale.ROOT, "%s voters/s for %d s (warm-up, not measured), then +%s every %d s up to %s",
        run.config.string("ramp.start"), run.config.integer("ramp.warmup", 0, 3600), run.config.string("ramp.step"), levelSeconds,
        run.config.string("ramp.max"));
  }

  private double rampValue(String key) {
    return run.config.number(key, 0.1, 100_000);
  }

  @Override
  protected OpenInjectionStep[] injection() {
    // Called from the constructor of VotingSimulation: read the settings here, not from fields.
    double first = run.config.number("ramp.start", 0.1, 100_000);
    double increment = run.config.number("ramp.step", 0.1, 100_000);
    int count = (int) Math.floor((run.config.number("ramp.max", 0.1, 100_000) - first) / increment) + 1;
    int warmup = run.config.integer("ramp.warmup", 0, 3600);
    return new OpenInjectionStep[] {
        constantUsersPerSec(first).during(Math.max(1, warmup)),
        incrementUsersPerSec(increment).times(count).eachLevelLasting(run.config.integer("ramp.level", 5, 3600))
            .startingFrom(first)
    };
  }

  @Override
  protected long injectionSeconds() {
    int count = (int) Math.floor((run.config.number("ramp.max", 0.1, 100_000) - run.config.number("ramp.start", 0.1, 100_000))
        / run.config.number("ramp.step", 0.1, 100_000)) + 1;
    return Math.max(1, run.config.integer("ramp.warmup", 0, 3600)) + (long) count * run.config.integer("ramp.level", 5, 3600);
  }

  @Override
  protected void onStart() {
    monitor.scheduleAtFixedRate(this::measure, 1, 1, TimeUnit.SECONDS);
  }

  /** Measures each level once it is over; the first one past the SLO stops the ramp. */
  private synchronized void measure() {
    long first = run.firstArrivalMillis.get();
    if (first == 0 || run.stopping()) {
      return;
    }
    // The warm-up (JIT, pools, caches) at the first level's rate is not measured.
    long t0 = first + 1000L * Math.max(1, run.config.integer("ramp.warmup", 0, 3600));
    int level = measured.size();
    long levelStart = t0 + level * levelSeconds * 1000L;
    long levelEnd = levelStart + levelSeconds * 1000L;
    if (level >= levels || System.currentTimeMillis() < levelEnd) {
      return;
    }
    Latencies.Window window = run.latencies.window(levelStart + SETTLE_MILLIS, levelEnd);
    Knee.Level result = new Knee.Level(start + level * step, window.rate(), window.percentile(50), window.percentile(99),
        window.failedPercent(), sampler().stretch(levelStart, levelEnd));
    measured.add(result);
    System.out.println("[loadtest] ramp " + result.describe());
    if (!result.within(run.sloP99Ms, run.sloFailedPercent)) {
      run.stop(0);
      monitor.shutdown();
    }
  }

  @Override
  protected void onEnd(Summary summary) {
    monitor.shutdownNow();
    Knee knee;
    synchronized (this) {
      knee = new Knee(List.copyOf(measured), run.sloP99Ms, run.sloFailedPercent);
    }
    summary.section("Ramp: " + knee.headline(), knee.table());
    if (run.config.flag("results.append")) {
      String file = run.config.isSet("results.file") ? run.config.string("results.file")
          : System.getProperty("loadtest.moduleDir", ".") + "/results/ramp.md";
      try {
        knee.append(java.nio.file.Path.of(file), run);
        summary.section("Results file", List.of("- appended to " + file));
      } catch (java.io.IOException failed) {
        summary.problem("could not append to " + file + ": " + failed.getMessage());
      }
    }
  }
}
