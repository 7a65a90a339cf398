package dev.votingapp.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one-page summary of a run (Markdown): the load, the vote POST's latency percentiles, the errors,
 * the thresholds, the correctness verdict with its differences, the watchers' deliveries, the app's
 * heap, GC and queue depth, and the load generator's own health: its CPU and GC, its arrivals against
 * their schedule, its connection errors, and whether it, not the app, set the pace. Written next to a
 * one-line verdict file that scripts read.
 */
final class Summary {

  private final Run run;
  private final long startedMillis;
  private final long endedMillis;
  /** What makes the count wrong or the check impossible. */
  private final List<String> problems = new ArrayList<>();
  private final List<String> watchProblems = new ArrayList<>();
  private final List<String> missedThresholds = new ArrayList<>();
  private final List<String> body = new ArrayList<>();
  private final List<String> extra = new ArrayList<>();
  private final List<String> kit = new ArrayList<>();
  private String verdictLine = "not checked";
  private String kitBound;
  private boolean kitChecked;
  /** A merge has no kit of its own: its injectors' lines instead. */
  private List<String> injectors;
  private long arrivals;
  private long dropped;
  private double scheduledArrivals;
  private long arrivalsMillis;
  private Path path;

  Summary(Run run, long startedMillis, long endedMillis) {
    this.run = run;
    this.startedMillis = startedMillis;
    this.endedMillis = endedMillis;
  }

  static Path outputDir(Run run) {
    return Path.of(run.config.isSet("output.dir") ? run.config.string("output.dir")
        : System.getProperty("loadtest.moduleDir", "loadtest") + "/target/loadtest");
  }

  void problem(String problem) {
    problems.add(problem);
  }

  void note(String note) {
    body.add("- Note: " + note);
  }

  void drained(String line) {
    body.add("- Drain: " + line);
  }

  /** How many voters the schedule asked for and how many started, over the arrivals' span. */
  void injected(long started, long dropped, List<Injector.Phase> phases, long arrivalsOverMillis) {
    arrivals = started;
    this.dropped = dropped;
    arrivalsMillis = Math.max(1, arrivalsOverMillis - startedMillis);
    double scheduled = 0;
    long elapsed = 0;
    for (Injector.Phase phase : phases) {
      long part = Math.max(0, Math.min(phase.millis(), arrivalsMillis - elapsed));
      double end = phase.rateAt(part);
      scheduled += run.share((phase.fromRate() + end) / 2) * part / 1000.0;
      elapsed += phase.millis();
    }
    scheduledArrivals = scheduled;
  }

  void correctness(Verdict.Outcome outcome, Tally results, Tally pgCounts, String pgWhere, int voters) {
    verdictLine = outcome.passed() ? "PASS" : "FAIL";
    problems.addAll(outcome.problems());
    body.add("- Voters: " + voters + " (" + outcome.certain() + " whose last POST was acknowledged, "
        + outcome.uncertain() + " whose last POST got no 200)");
    body.add("- Expected tally (baseline " + run.resultsBaseline + " plus this run's last acknowledged votes): " + outcome.expected());
    body.add("- /api/results: " + results);
    body.add("- PostgreSQL: " + (pgCounts == null ? "not checked" : pgCounts + " (" + pgWhere + ")"));
    outcome.notes().forEach(note -> body.add("- Note: " + note));
  }

  /** The watchers: how many, what they were pushed, and every (watcher, vote) delivery against the limit. */
  void watchers(Watchers watchers, Tally seen, Tally results, Watchers.Delivery delivery) {
    extra.add("");
    extra.add("## Watchers");
    extra.add("- " + watchers.count() + " WebSockets on " + run.resultUrl + "/ws, " + watchers.connects() + " connects ("
        + watchers.connectFailures() + " failed), " + watchers.connected() + " open at the end, " + watchers.messages() + " tallies pushed");
    if (results != null) {
      extra.add("- Final tally as seen by watchers: " + (seen == null ? "none received" : seen.toString()));
      if (seen == null || !seen.equals(results)) {
        problems.add("the watchers' last tally (" + seen + ") is not the final one (" + results + ")");
      }
    }
    String limit = run.watchGapMs + " ms";
    boolean ok = delivery.late() == 0 && (watchers.count() == 0 || delivery.checked() > 0);
    extra.add("- Deliveries: " + delivery.checked() + " (watcher, acknowledged vote that changed the tally) pairs checked, "
        + delivery.late() + " later than " + limit + " (at " + delivery.lateWatchers() + " of " + watchers.count() + " watchers); longest wait "
        + (delivery.longestMs() < 0 ? "n/a" : delivery.longestMs() + " ms") + ": " + (ok ? "PASS" : "FAIL")
        + (run.enforceWatchGap ? "" : " (reported, not enforced)"));
    if (!ok && run.enforceWatchGap) {
      watchProblems.add(delivery.checked() == 0 ? "no delivery to a watcher was checked"
          : delivery.late() + " deliveries to watchers took longer than " + limit + " (longest " + delivery.longestMs() + " ms)");
    }
  }

  void app(Sampler.Stretch stretch) {
    extra.add("");
    extra.add("## The app during the load");
    extra.add("- " + (run.metricsUrls.isEmpty() ? "not sampled (no metrics.* URLs)" : stretch.describe()));
  }

  void section(String title, List<String> lines) {
    extra.add("");
    extra.add("## " + title);
    extra.addAll(lines);
  }

  /** A merge's injectors, one line each (their own kit's verdict). */
  void merged(List<String> lines) {
    injectors = lines;
  }

  /** The kit's verdict over the load: null when it kept up, else why it did not. */
  String kitVerdict() {
    kitHealth();
    return kitBound;
  }

  /** The kit's health over the load; a kit that set the pace fails a run whose latency is enforced. */
  private void kitHealth() {
    if (kitChecked || injectors != null) {
      return;
    }
    kitChecked = true;
    KitHealth.Stretch health = run.health.stretch(startedMillis, endedMillis);
    Latencies.Window lag = run.lag.window(startedMillis - 1000, endedMillis + 1000);
    double seconds = arrivalsMillis / 1000.0;
    kitBound = KitHealth.bottleneck(run, lag.percentile(99), scheduledArrivals / seconds, arrivals / seconds, health);
    kit.add("");
    kit.add("## The load generator");
    kit.add(String.format(Locale.ROOT, "- Arrivals: %d voters started, %.0f scheduled (%.1f/s against %.1f/s)%s%s", arrivals,
        scheduledArrivals, arrivals / seconds, scheduledArrivals / seconds,
        dropped > 0 ? "; " + dropped + " not started: kit.max.voters (" + run.maxVoters + ") were open" : "",
        run.injectorCount > 1 ? "; injector " + (run.injectorIndex + 1) + " of " + run.injectorCount : ""));
    kit.add("- Arrival lag behind the schedule: " + String.join(", ", lag.percentiles()));
    kit.add("- " + health.describe() + "; " + run.ballotFailures.sum() + " ballot GETs failed");
    run.health.errorKinds().forEach(kind -> kit.add("  - " + kind));
    kit.add("- " + (kitBound == null ? "The kit kept its schedule: the latencies above are the app's."
        : "THE KIT WAS THE BOTTLENECK: " + kitBound + ". The latencies above are not the app's alone."));
    if (kitBound != null && run.enforceLatency) {
      missedThresholds.add("the kit could not keep its schedule (" + kitBound + ")");
    }
  }

  /** "PASS", or "FAIL: " and the first problem of the count. */
  String correctness() {
    return problems.isEmpty() && "PASS".equals(verdictLine) ? "PASS" : "FAIL: " + (problems.isEmpty() ? verdictLine : problems.get(0));
  }

  boolean passed() {
    boolean counted = run.injectorCount > 1 && injectors == null ? problems.isEmpty() : problems.isEmpty() && "PASS".equals(verdictLine);
    return counted && watchProblems.isEmpty() && missedThresholds.isEmpty();
  }

  Path path() {
    return path;
  }

  String pathHint() {
    return outputDir(run).resolve(name() + "-latest.md").toString();
  }

  /** The file name's start: the scenario, and for one of several injectors its index. */
  private String name() {
    return run.scenario + (run.injectorCount > 1 && injectors == null ? "-injector" + run.injectorIndex : "");
  }

  void write() {
    kitHealth();
    Latencies.Window all = run.latencies.all();
    long p99 = all.percentile(99);
    List<String> thresholds = List.of(
        threshold("p99 of the vote POST " + p99 + " ms < " + fmt(run.sloP99Ms) + " ms", p99 >= 0 && p99 < run.sloP99Ms, run.enforceLatency),
        threshold(String.format(Locale.ROOT, "failed vote POSTs %.3f%% < %s%%", all.failedPercent(), fmt(run.sloFailedPercent)),
            all.failedPercent() < run.sloFailedPercent, run.enforceErrors));
    List<String> page = new ArrayList<>();
    String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(startedMillis));
    page.add("# Load test `" + run.scenario + "`: " + (passed() ? "PASS" : "FAIL"));
    page.add("");
    if (injectors != null) {
      page.add("Merged " + when + ": the " + run.injectorCount + " injectors of run " + run.runId + " against " + run.voteUrl
          + " (vote) and " + run.resultUrl + " (result); voter ids " + run.runPrefix + "<injector>-*; load average "
          + Machine.loadAverage() + " at the end.");
      page.add("");
      page.add("## Load (every injector)");
      page.add(String.format(Locale.ROOT, "- Vote POSTs: %d sent, %d acknowledged (200), %d failed (%.3f%%)",
          run.ledger.attempts(), run.ledger.acks(), all.ko, all.failedPercent()));
    } else {
      page.add("Started " + when + ", load for " + (endedMillis - startedMillis) / 1000 + " s against " + run.voteUrl
          + " (vote) and " + run.resultUrl + " (result); voter ids " + run.prefix + "*; load average " + Machine.loadAverage() + " at the end.");
      page.add("");
      page.add("## Load");
      page.add(String.format(Locale.ROOT, "- Arrivals: %s; %d%% change their vote, %d%% vote several times, bias %.2f to %s; "
              + "each voter its own connection and cookie",
          run.arrivals, Math.round(run.changers * 100), Math.round(run.repeaters * 100), run.bias, run.options.get(0)));
      page.add(String.format(Locale.ROOT, "- Vote POSTs: %d sent, %d acknowledged (200), %d failed (%.3f%%); %.1f POSTs/s over the load",
          run.ledger.attempts(), run.ledger.acks(), all.ko, all.failedPercent(),
          (double) run.ledger.attempts() / Math.max(1, (endedMillis - startedMillis) / 1000.0)));
    }
    page.add("- Vote POST latency (answered 200): " + String.join(", ", all.percentiles()));
    page.add("");
    page.add("## Thresholds");
    page.addAll(thresholds);
    if (injectors == null) {
      page.add("- the kit kept its schedule: " + (kitBound == null ? "PASS" : "FAIL") + (run.enforceLatency ? "" : " (reported, not enforced)"));
    }
    page.add("");
    page.add("## Correctness: " + verdictLine);
    page.addAll(body);
    page.addAll(extra);
    page.addAll(kit);
    if (injectors != null) {
      page.add("");
      page.add("## The injectors");
      page.addAll(injectors);
    }
    page.add("");
    page.add("## Verdict: " + (passed() ? "PASS" : "FAIL"));
    problems.forEach(problem -> page.add("- " + problem));
    watchProblems.forEach(problem -> page.add("- " + problem));
    missedThresholds.forEach(problem -> page.add("- " + problem));
    String text = String.join("\n", page) + "\n";
    System.out.println(text);
    try {
      Path dir = outputDir(run);
      Files.createDirectories(dir);
      String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(startedMillis));
      String name = name();
      path = dir.resolve(name + "-" + stamp + ".md");
      Files.writeString(path, text, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(name + "-latest.md"), text, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("verdict"), run.scenario + " " + (passed() ? "PASS" : "FAIL") + " " + path + "\n", StandardCharsets.UTF_8);
    } catch (IOException failed) {
      throw new UncheckedIOException("cannot write the summary", failed);
    }
  }

  /** Enforced thresholds decide the verdict; the others are reported. */
  private String threshold(String text, boolean met, boolean enforced) {
    if (!met && enforced) {
      missedThresholds.add("threshold missed: " + text);
    }
    return "- " + text + ": " + (met ? "PASS" : "FAIL") + (enforced ? "" : " (reported, not enforced)");
  }

  static String fmt(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
