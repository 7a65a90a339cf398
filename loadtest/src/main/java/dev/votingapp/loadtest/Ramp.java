package dev.votingapp.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * After ramp.warmup seconds at ramp.start voters/s (not measured: JIT, pools), steps the arrival rate
 * up (ramp.start, +ramp.step every ramp.level seconds, up to ramp.max voters/s) until a level's p99 of
 * the vote POST passes the SLO, its failures pass theirs, or the kit itself falls behind; then new
 * voters stop, the count is checked, and the knee (the last level within the SLO) is reported with the
 * app's CPU, heap, GC and queue depth and the kit's own CPU, GC and lag, and appended with the
 * machine's facts and the command to the results file. A level the kit could not drive is no knee.
 */
final class Ramp extends Kit {

  /** The first seconds of a level still carry the previous level's queue: measured from here on. */
  static final long SETTLE_MILLIS = 2_000;

  private final double start;
  private final double step;
  private final int levelSeconds;
  private final int warmupSeconds;
  private final int levels;
  private final List<Knee.Level> measured = new ArrayList<>();
  private final ScheduledExecutorService monitor = Machine.timer("loadtest-ramp");

  Ramp() {
    super("ramp", countOnly(Map.of(
        // A refused vote is not sent again: retries would add load the arrival rate does not show.
        "retries", "0",
        "watchers", "5", "results.append", "true", "drain.timeout", "300")));
    start = run.config.number("ramp.start", 0.1, 1_000_000);
    step = run.config.number("ramp.step", 0.1, 1_000_000);
    levelSeconds = run.config.integer("ramp.level", 5, 3600);
    warmupSeconds = run.config.integer("ramp.warmup", 1, 3600);
    levels = (int) Math.floor((run.config.number("ramp.max", 0.1, 1_000_000) - start) / step) + 1;
    run.config.check();
    run.arrivals = String.format(Locale.ROOT, "%s voters/s for %d s (warm-up, not measured), then +%s every %d s up to %s",
        run.config.string("ramp.start"), warmupSeconds, run.config.string("ramp.step"), levelSeconds, run.config.string("ramp.max"))
        + (run.injectorCount > 1 ? "; this injector " + (run.injectorIndex + 1) + " of " + run.injectorCount + " sends its share" : "");
  }

  @Override
  protected List<Injector.Phase> schedule() {
    List<Injector.Phase> phases = new ArrayList<>();
    phases.add(new Injector.Phase(warmupSeconds * 1000L, start, start));
    for (int level = 0; level < levels; level++) {
      double rate = start + level * step;
      phases.add(new Injector.Phase(levelSeconds * 1000L, rate, rate));
    }
    return phases;
  }

  @Override
  protected void onStart() {
    monitor.scheduleAtFixedRate(this::measure, 1, 1, TimeUnit.SECONDS);
  }

  /** Measures each level once it is over; the first one past the SLO, or beyond the kit, stops the ramp. */
  private synchronized void measure() {
    long first = run.firstArrivalMillis.get();
    if (first == 0 || run.stopping()) {
      return;
    }
    long t0 = first + 1000L * warmupSeconds;
    int level = measured.size();
    long levelStart = t0 + level * levelSeconds * 1000L;
    long levelEnd = levelStart + levelSeconds * 1000L;
    if (level >= levels || System.currentTimeMillis() < levelEnd + 1000) {
      return;
    }
    long from = levelStart + SETTLE_MILLIS;
    Latencies.Window window = run.latencies.window(from, levelEnd);
    Latencies.Window lag = run.lag.window(from, levelEnd);
    double rate = start + level * step;
    double seconds = (levelEnd - from) / 1000.0;
    KitHealth.Stretch kit = run.health.stretch(from, levelEnd);
    String kitBound = KitHealth.bottleneck(run, lag.percentile(99), run.share(rate), lag.ok / seconds, kit);
    Knee.Level result = new Knee.Level(rate, lag.ok / seconds, window.rate(), window.percentile(50),
        window.percentile(99), window.failedPercent(), sampler().stretch(from, levelEnd), lag.percentile(99), kit, kitBound,
        Machine.loadAverage().split(" ")[0]);
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
    if (run.injectorCount > 1) {
      summary.note("the levels above are this injector's own share; POSTs/s and latencies add up over the injectors");
    }
    if (run.config.flag("results.append")) {
      String file = run.config.isSet("results.file") ? run.config.string("results.file")
          : System.getProperty("loadtest.moduleDir", "loadtest") + "/results/ramp.md";
      try {
        knee.append(java.nio.file.Path.of(file), run, System.getProperty("loadtest.command", "loadtest/run.sh ramp"));
        summary.section("Results file", List.of("- appended to " + file));
      } catch (java.io.IOException failed) {
        summary.problem("could not append to " + file + ": " + failed.getMessage());
      }
    }
  }
}
