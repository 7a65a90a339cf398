package dev.votingapp.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What every scenario shares: read the settings and the tally before the run, drive the voters (open
 * model) while watchers follow the results page, then drain the queue, check the count and write the
 * summary. A scenario gives its defaults and, if it needs to, its own schedule and hooks. One of
 * several injectors of a run (injector.count > 1) writes its ledger and leaves the check to the merge.
 */
class Kit {

  protected final Run run;
  private final Store store;
  private final Sampler sampler;
  private Vertx vertx;
  private Watchers watchers;
  private Injector injector;
  private Tally pgBaseline;
  private long startedMillis;
  private long baselineMillis;

  /**
   * A scenario's defaults with latency, errors and the watchers' gap reported, not enforced: only the
   * count is (smoke, ramp and chaos).
   */
  static Map<String, String> countOnly(Map<String, String> defaults) {
    Map<String, String> all = new HashMap<>(defaults);
    all.put("enforce.latency", "false");
    all.put("enforce.errors", "false");
    all.put("enforce.watch.gap", "false");
    return Map.copyOf(all);
  }

  Kit(String scenario, Map<String, String> defaults) {
    run = new Run(scenario, defaults);
    try {
      run.preflight();
      store = Store.from(run.config);
    } catch (IOException | InterruptedException failed) {
      throw new IllegalStateException(scenario + ": " + failed.getMessage(), failed);
    }
    sampler = new Sampler(run.metricsUrls, run.workerMetricsUrls);
  }

  /** A constant arrival rate of voters (Poisson or evenly spaced), after an optional linear ramp from 1/s. */
  protected List<Injector.Phase> schedule() {
    List<Injector.Phase> phases = new ArrayList<>();
    if (run.rampupSeconds > 0) {
      phases.add(new Injector.Phase(run.rampupSeconds * 1000L, 1, run.rate));
    }
    phases.add(new Injector.Phase(run.durationSeconds * 1000L, run.rate, run.rate));
    return phases;
  }

  /** Called when the load starts; the chaos and ramp scenarios start their own threads here. */
  protected void onStart() {
  }

  /** Called with the summary before it is written; the ramp adds its knee. */
  protected void onEnd(Summary summary) {
  }

  /** Runs the scenario; true when its verdict is PASS. */
  final boolean execute() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(run.eventLoops).setWorkerPoolSize(2).setPreferNativeTransport(true));
    try {
      List<Context> contexts = contexts();
      try {
        pgBaseline = store == null ? null : Tally.empty(run.options).plus(store.counts());
      } catch (IOException unreadable) {
        throw new IllegalStateException("cannot read PostgreSQL (" + store.where() + "): " + unreadable.getMessage(), unreadable);
      }
      baselineMillis = System.currentTimeMillis();
      run.deliveries.baseline(run.resultsBaseline.total());
      run.health.start();
      watchers = new Watchers(run, vertx, contexts);
      watchers.start();
      sampler.start();
      if (run.startAtMillis > 0) {
        long wait = run.startAtMillis - System.currentTimeMillis();
        System.out.printf("[loadtest] injector %d of %d: waiting %d ms for start.at%n", run.injectorIndex + 1, run.injectorCount, Math.max(0, wait));
        if (wait > 0) {
          Thread.sleep(wait);
        }
      }
      injector = new Injector(run, vertx, contexts);
      injector.warmUp();
      // What start-up left (Vert.x, Netty's pools, the watchers' sockets) moves to the old generation now,
      // not in the first young collection of the load, where its copying would show as arrival lag.
      System.gc();
      long injectionMillis = schedule().stream().mapToLong(Injector.Phase::millis).sum();
      run.injectionEndMillis = System.currentTimeMillis() + injectionMillis;
      startedMillis = System.currentTimeMillis();
      System.out.printf("[loadtest] %s: voters with ids %s* against %s (results %s), %d watchers, %d event loops (%s), drain via %s, PostgreSQL %s%n",
          run.scenario, run.prefix, run.voteUrl, run.resultUrl, watchers.count(), run.eventLoops,
          vertx.isNativeTransportEnabled() ? "epoll" : "NIO", new Drain(run.config, run.workerMetricsUrls).how(),
          store == null ? "not checked" : store.where() + (run.injectorCount > 1 ? " (checked by the merge)" : ""));
      onStart();
      injector.run(schedule());
      long arrivalsOver = System.currentTimeMillis();
      // The last voters finish their votes (think time, retries); two minutes at most.
      while (run.activeVoters.get() > 0 && System.currentTimeMillis() - arrivalsOver < 120_000) {
        Thread.sleep(100);
      }
      long loadEnded = System.currentTimeMillis();
      Summary summary = new Summary(run, startedMillis, loadEnded);
      summary.injected(injector.arrivals.get(), injector.dropped.get(), schedule(), arrivalsOver);
      try {
        if (run.activeVoters.get() > 0) {
          summary.problem(run.activeVoters.get() + " voters had not finished two minutes after the arrivals ended");
        }
        writeLedger(summary, loadEnded);
        if (run.injectorCount == 1) {
          new Check(run, store, pgBaseline, new Drain(run.config, run.workerMetricsUrls), watchers).run(summary);
        } else {
          summary.note("one of " + run.injectorCount + " injectors: the count is checked by the merge (loadtest/run.sh merge)");
          summary.watchers(watchers, null, null, watchers.delivery(System.currentTimeMillis()));
        }
        summary.app(sampler.stretch(startedMillis, loadEnded));
        onEnd(summary);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        summary.problem("interrupted while checking");
      } catch (RuntimeException failed) {
        summary.problem("the check failed: " + failed);
      }
      summary.write();
      System.out.println("[loadtest] " + run.scenario + " verdict: " + (summary.passed() ? "PASS" : "FAIL") + ", summary " + summary.path());
      return summary.passed();
    } finally {
      if (watchers != null) {
        watchers.close();
      }
      sampler.close();
      run.health.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** One context per event loop: a connection lives on the loop of the context that opened it. */
  private List<Context> contexts() throws Exception {
    Map<Context, Boolean> seen = new ConcurrentHashMap<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        seen.put(context, Boolean.TRUE);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(run.eventLoops)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return new ArrayList<>(seen.keySet());
  }

  /**
   * The ledger and this injector's figures, for a merge: ledger-&lt;index&gt;.tsv and injector-&lt;index&gt;.txt
   * in ledger.dir (default: the output folder).
   */
  private void writeLedger(Summary summary, long loadEnded) {
    Path dir = Summary.outputDir(run).resolve(run.config.isSet("ledger.dir") ? Path.of(run.config.string("ledger.dir")) : Path.of("ledger"));
    try {
      Files.createDirectories(dir);
      String figures = "run " + run.runId + "\n"
          + "injector " + run.injectorIndex + " " + run.injectorCount + "\n"
          + "baseline.at " + baselineMillis + "\n"
          + "baseline " + run.resultsBaseline.votes().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
              .reduce((a, b) -> a + " " + b).orElse("") + "\n"
          + "pgbaseline " + (pgBaseline == null ? "" : pgBaseline.votes().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
              .reduce((a, b) -> a + " " + b).orElse("")) + "\n"
          + "first.arrival " + run.firstArrivalMillis.get() + "\n"
          + "kit " + Objects.requireNonNullElse(summary.kitVerdict(), "kept its schedule") + "\n"
          + "load.ended " + loadEnded + "\n"
          + "latencies\n" + run.latencies.dump()
          + "summary " + summary.pathHint() + "\n";
      Path ledger = dir.resolve("ledger-" + run.injectorIndex + ".tsv");
      Files.writeString(dir.resolve("injector-" + run.injectorIndex + ".txt"), figures, StandardCharsets.UTF_8);
      // Last, and renamed into place: a merge waits for the ledger, then finds both complete.
      run.ledger.write(ledger);
      summary.note("ledger written to " + ledger);
    } catch (IOException failed) {
      summary.problem("could not write the ledger to " + dir + ": " + failed.getMessage());
    }
  }

  Sampler sampler() {
    return sampler;
  }
}
