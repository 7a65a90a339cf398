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
 * the thresholds, the correctness verdict with its differences, the final tally as the watchers saw it,
 * and the app's heap, GC and queue depth. Written next to a one-line verdict file that scripts read.
 */
final class Summary {

  private final Run run;
  private final long startedMillis;
  private final long endedMillis;
  /** What makes the count wrong or the check impossible: reported to Gatling as "correctness". */
  private final List<String> problems = new ArrayList<>();
  /** The watchers' threshold, which Gatling cannot see: reported to Gatling as "watchers". */
  private final List<String> watchProblems = new ArrayList<>();
  /** Latency and errors, which Gatling asserts itself from its own figures. */
  private final List<String> missedThresholds = new ArrayList<>();
  private final List<String> body = new ArrayList<>();
  private final List<String> extra = new ArrayList<>();
  private String verdictLine = "not checked";
  private Path path;

  Summary(Run run, long startedMillis, long endedMillis) {
    this.run = run;
    this.startedMillis = startedMillis;
    this.endedMillis = endedMillis;
  }

  void problem(String problem) {
    problems.add(problem);
  }

  void drained(String line) {
    body.add("- Drain: " + line);
  }

  void correctness(Verdict.Outcome outcome, Tally results, Tally pgCounts, String pgWhere) {
    verdictLine = outcome.passed() ? "PASS" : "FAIL";
    problems.addAll(outcome.problems());
    body.add("- Voters: " + run.ledger.voters().size() + " (" + outcome.certain() + " whose last POST was acknowledged, "
        + outcome.uncertain() + " whose last POST got no 200)");
    body.add("- Expected tally (baseline " + run.resultsBaseline + " plus this run's last acknowledged votes): " + outcome.expected());
    body.add("- /api/results: " + results);
    body.add("- PostgreSQL: " + (pgCounts == null ? "not checked" : pgCounts + " (" + pgWhere + ")"));
    outcome.notes().forEach(note -> body.add("- Note: " + note));
  }

  void watchers(Watchers watchers, Tally seen, Tally results, long longestWaitMs, int changes) {
    extra.add("");
    extra.add("## Watchers");
    extra.add("- " + watchers.count() + " WebSockets on " + run.resultUrl + "/ws, " + watchers.connects() + " connects, "
        + watchers.messages() + " tallies pushed" + (watchers.badMessages() > 0 ? ", " + watchers.badMessages() + " unreadable" : ""));
    extra.add("- Final tally as seen by watchers: " + (seen == null ? "none received" : seen.toString()));
    if (seen == null || !seen.equals(results)) {
      problems.add("the watchers' last tally (" + seen + ") is not the final one (" + results + ")");
    }
    String limit = run.watchGapMs + " ms";
    boolean ok = longestWaitMs <= run.watchGapMs;
    extra.add("- Longest wait for a tally after a vote that changed it (" + changes + " such votes): "
        + (longestWaitMs < 0 ? "n/a" : longestWaitMs + " ms") + ", limit " + limit + ": " + (ok ? "PASS" : "FAIL")
        + (run.enforceWatchGap ? "" : " (reported, not enforced)"));
    if (!ok && run.enforceWatchGap) {
      watchProblems.add("a watcher waited " + longestWaitMs + " ms for a tally while votes flowed (limit " + limit + ")");
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

  /** "PASS", or "FAIL: " and the first problem of the count. */
  String correctness() {
    return problems.isEmpty() && "PASS".equals(verdictLine) ? "PASS" : "FAIL: " + (problems.isEmpty() ? verdictLine : problems.get(0));
  }

  /** "PASS", or "FAIL: " and why the watchers' threshold was missed. */
  String watching() {
    return watchProblems.isEmpty() ? "PASS" : "FAIL: " + watchProblems.get(0);
  }

  boolean passed() {
    return problems.isEmpty() && watchProblems.isEmpty() && missedThresholds.isEmpty() && "PASS".equals(verdictLine);
  }

  Path path() {
    return path;
  }

  void write() {
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
    page.add("Started " + when + ", load for " + (endedMillis - startedMillis) / 1000 + " s against " + run.voteUrl
        + " (vote) and " + run.resultUrl + " (result); voter ids " + run.prefix + "*.");
    page.add("");
    page.add("## Load");
    page.add(String.format(Locale.ROOT, "- Arrivals: %s; %d%% change their vote, %d%% vote several times, bias %.2f to %s",
        run.arrivals, Math.round(run.changers * 100), Math.round(run.repeaters * 100), run.bias, run.options.get(0)));
    page.add(String.format(Locale.ROOT, "- Vote POSTs: %d sent, %d acknowledged (200), %d failed (%.3f%%); %.1f POSTs/s over the load",
        run.ledger.attempts(), run.ledger.acks(), all.ko, all.failedPercent(),
        (double) run.ledger.attempts() / Math.max(1, (endedMillis - startedMillis) / 1000.0)));
    page.add("- Vote POST latency (answered 200): " + String.join(", ", all.percentiles()));
    page.add("");
    page.add("## Thresholds");
    page.addAll(thresholds);
    page.add("");
    page.add("## Correctness: " + verdictLine);
    page.addAll(body);
    page.addAll(extra);
    page.add("");
    page.add("## Verdict: " + (passed() ? "PASS" : "FAIL"));
    problems.forEach(problem -> page.add("- " + problem));
    watchProblems.forEach(problem -> page.add("- " + problem));
    missedThresholds.forEach(problem -> page.add("- " + problem));
    page.add("");
    page.add("Gatling's HTML report: loadtest/target/gatling/<simulation>-<timestamp>/index.html (written after this page).");
    String text = String.join("\n", page) + "\n";
    System.out.println(text);
    try {
      Path dir = Path.of(run.config.isSet("output.dir") ? run.config.string("output.dir")
          : System.getProperty("loadtest.moduleDir", ".") + "/target/loadtest");
      Files.createDirectories(dir);
      String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(startedMillis));
      path = dir.resolve(run.scenario + "-" + stamp + ".md");
      Files.writeString(path, text, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(run.scenario + "-latest.md"), text, StandardCharsets.UTF_8);
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

  private static String fmt(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
