package dev.votingapp.loadtest;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run of a scenario by one injector: its settings, read and checked before any load, and what it
 * records while the load runs (the ledger, the latencies, the arrivals' lag, the votes the watchers must
 * see). The voters of a run all carry ids that start with {@link #runPrefix}, and this injector's with
 * {@link #prefix}, so the check reads back exactly this run's rows and injectors never share an id.
 */
final class Run {

  final String scenario;
  final Config config;
  final String voteUrl;
  final String resultUrl;
  final double rate;
  final int durationSeconds;
  final int rampupSeconds;
  final boolean poisson;
  final double bias;
  final double changers;
  final double repeaters;
  final int maxVotes;
  final int thinkMinMs;
  final int thinkMaxMs;
  final boolean ballot;
  final int retries;
  final int retryBackoffMs;
  final int watcherCount;
  final long watchGapMs;
  final double sloP99Ms;
  final double sloFailedPercent;
  final boolean enforceLatency;
  final boolean enforceErrors;
  final boolean enforceWatchGap;
  final List<String> metricsUrls = new ArrayList<>();
  final List<String> workerMetricsUrls;
  final int eventLoops;
  final int connectTimeoutMs;
  final int requestTimeoutMs;
  final double kitLagMs;
  final double kitCpu;
  final int maxVoters;
  /** Shared by every injector of a run (run.id), so the merge reads back all of their rows. */
  final String runId;
  final String runPrefix;
  final String prefix;
  final int injectorIndex;
  final int injectorCount;
  /** When the arrivals start (start.at, for injectors started apart); 0: at once. */
  final long startAtMillis;

  final Ledger ledger = new Ledger();
  final Latencies latencies = new Latencies();
  /** How late each voter started against its schedule: the kit's own health, not the app's. */
  final Latencies lag = new Latencies();
  final Deliveries deliveries = new Deliveries();
  final KitHealth health = new KitHealth();
  final java.util.concurrent.atomic.LongAdder ballotFailures = new java.util.concurrent.atomic.LongAdder();
  final AtomicLong firstArrivalMillis = new AtomicLong();
  /** Voters between their first action and their last: the check waits for none to be left. */
  final AtomicLong activeVoters = new AtomicLong();
  /** When the injection profile ends (set at the start of the load). */
  volatile long injectionEndMillis = Long.MAX_VALUE;
  private volatile long stopAtMillis = Long.MAX_VALUE;
  private volatile boolean stopping;

  /** How the summary names the arrival rate; the ramp replaces it with its steps. */
  volatile String arrivals;
  List<String> options;
  Tally resultsBaseline;

  Run(String scenario, Map<String, String> scenarioDefaults) {
    this.scenario = scenario;
    this.config = new Config(scenarioDefaults);
    voteUrl = config.url("vote.url");
    resultUrl = config.url("result.url");
    rate = config.number("rate", 0.01, 100_000);
    durationSeconds = config.integer("duration", 1, 86_400);
    rampupSeconds = config.integer("rampup", 0, 86_400);
    poisson = "poisson".equals(config.oneOf("arrivals", "poisson", "even"));
    bias = config.number("bias", 0, 1);
    changers = config.number("changers", 0, 1);
    repeaters = config.number("repeaters", 0, 1);
    maxVotes = config.integer("max.votes", 2, 100);
    thinkMinMs = config.integer("think.min.ms", 0, 600_000);
    thinkMaxMs = Math.max(thinkMinMs, config.integer("think.max.ms", 0, 600_000));
    ballot = config.flag("ballot");
    retries = config.integer("retries", 0, 100);
    retryBackoffMs = config.integer("retry.backoff.ms", 0, 60_000);
    int watchers = config.integer("watchers", 0, 50_000);
    watchGapMs = config.integer("watch.gap.ms", 1, 600_000);
    sloP99Ms = config.number("slo.p99.ms", 1, 600_000);
    sloFailedPercent = config.number("slo.failed.percent", 0, 100);
    enforceLatency = config.flag("enforce.latency");
    enforceErrors = config.flag("enforce.errors");
    enforceWatchGap = config.flag("enforce.watch.gap");
    workerMetricsUrls = config.urls("metrics.worker");
    for (String key : List.of("metrics.vote", "metrics.worker", "metrics.result")) {
      config.urls(key).stream().filter(url -> !metricsUrls.contains(url)).forEach(metricsUrls::add);
    }
    if (changers + repeaters > 1) {
      throw new IllegalStateException("changers + repeaters must not exceed 1 (LOADTEST_CHANGERS, LOADTEST_REPEATERS)");
    }
    config.check();
    eventLoops = config.integer("event.loops", 1, 64);
    connectTimeoutMs = config.integer("connect.timeout.ms", 100, 600_000);
    requestTimeoutMs = config.integer("request.timeout.ms", 100, 600_000);
    kitLagMs = config.number("kit.lag.ms", 1, 600_000);
    kitCpu = config.number("kit.cpu", 0.05, 1);
    maxVoters = config.integer("kit.max.voters", 1, 1_000_000);
    injectorCount = config.integer("injector.count", 1, 10_000);
    injectorIndex = injectorIndex(config, injectorCount);
    // Each injector holds its share of the watchers, as it sends its share of the voters.
    watcherCount = watchers / injectorCount + (injectorIndex < watchers % injectorCount ? 1 : 0);
    startAtMillis = config.isSet("start.at") ? (long) (config.number("start.at", 0, 1e11) * 1000) : 0;
    String id = config.isSet("run.id") ? config.string("run.id")
        : LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyMMddHHmmss"));
    if (!id.matches("[A-Za-z0-9]{1,24}")) {
      throw new IllegalStateException("run.id (LOADTEST_RUN_ID): '" + id + "' is not 1-24 letters or digits");
    }
    if (injectorCount > 1 && !config.isSet("run.id")) {
      throw new IllegalStateException("injector.count > 1 needs run.id (LOADTEST_RUN_ID), the same for every injector of the run");
    }
    config.check();
    runId = id;
    runPrefix = "lt-" + id + "-";
    // The injector's index in every id: two injectors of one run never name the same voter.
    prefix = runPrefix + (injectorCount > 1 ? injectorIndex + "-" : "");
    arrivals = rate + " voters/s (" + (poisson ? "Poisson" : "even") + ")" + (rampupSeconds > 0 ? " after a " + rampupSeconds + " s ramp" : "")
        + (injectorCount > 1 ? ", this injector " + (injectorIndex + 1) + " of " + injectorCount + " sending " + share(rate) + "/s" : "");
  }

  /** injector.index, else Kubernetes' JOB_COMPLETION_INDEX (an indexed Job), else 0. */
  private static int injectorIndex(Config config, int count) {
    String raw = config.isSet("injector.index") ? config.string("injector.index")
        : System.getenv().getOrDefault("JOB_COMPLETION_INDEX", "0");
    try {
      int index = Integer.parseInt(raw.trim());
      if (index >= 0 && index < count) {
        return index;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalStateException("injector.index (LOADTEST_INJECTOR_INDEX or JOB_COMPLETION_INDEX): '" + raw
        + "' is not within 0.." + (count - 1));
  }

  /** This injector's part of a rate the whole run sends. */
  double share(double total) {
    return total / injectorCount;
  }

  /**
   * Waits until both services answer (the stack may still be starting), then reads the tally before the
   * run: the options, and the votes already there, which the check adds to what this run expects.
   */
  void preflight() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.integer("preflight.timeout", 1, 3600));
    String problem = "";
    while (System.nanoTime() < deadline) {
      try {
        int ballotStatus = Http.status(voteUrl + "/");
        if (ballotStatus != 200) {
          throw new IOException("GET " + voteUrl + "/: " + (ballotStatus < 0 ? "unreachable" : "status " + ballotStatus));
        }
        resultsBaseline = Tally.parse(Http.get(resultUrl + "/api/results"));
        options = List.copyOf(resultsBaseline.votes().keySet());
        if (options.isEmpty()) {
          throw new IOException(resultUrl + "/api/results names no options");
        }
        return;
      } catch (IOException | IllegalArgumentException notYet) {
        problem = notYet.getMessage();
        Thread.sleep(1000);
      }
    }
    throw new IOException("the app is not answering: " + problem);
  }

  void firstArrival() {
    firstArrivalMillis.compareAndSet(0, System.currentTimeMillis());
  }

  /** The ramp passed its knee: new voters leave at once, and the load stops a little later. */
  void stop(long graceMillis) {
    stopping = true;
    stopAtMillis = Math.min(stopAtMillis, System.currentTimeMillis() + graceMillis);
  }

  boolean stopping() {
    return stopping;
  }

  boolean stopNow() {
    return System.currentTimeMillis() >= stopAtMillis;
  }

  /** No new voter will vote: the injection ended or the ramp stopped it. */
  boolean arrivalsOver() {
    return stopping || System.currentTimeMillis() >= injectionEndMillis;
  }
}
