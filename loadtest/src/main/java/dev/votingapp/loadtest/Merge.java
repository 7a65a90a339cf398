package dev.votingapp.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict over several injectors of one run (injector.count of them, the same run.id): waits for
 * every injector's ledger in ledger.dir, reads them into one (an id in two ledgers is refused), takes
 * the tally before the run from the injector that read it first (and refuses a run where an injector
 * read its baseline after another's voters had started), drains the queue, and checks the whole run's
 * rows against the merged ledger exactly as one injector checks its own.
 */
final class Merge {

  /** What an injector wrote beside its ledger. */
  record Injector(int index, long baselineAt, Map<String, Long> baseline, Map<String, Long> pgBaseline, long firstArrival,
                  String latencies, String kit, String summary) {

    static Injector read(Path file) throws IOException {
      Map<String, String> lines = new LinkedHashMap<>();
      StringBuilder latencies = new StringBuilder();
      boolean inLatencies = false;
      for (String line : Files.readAllLines(file)) {
        if (line.equals("latencies")) {
          inLatencies = true;
          continue;
        }
        if (inLatencies && (line.startsWith("ok") || line.startsWith("ko"))) {
          latencies.append(line).append('\n');
          continue;
        }
        inLatencies = false;
        int space = line.indexOf(' ');
        lines.put(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
      }
      return new Injector(Integer.parseInt(lines.getOrDefault("injector", "-1 0").split(" ")[0]),
          Long.parseLong(lines.getOrDefault("baseline.at", "0")), counts(lines.get("baseline")), counts(lines.get("pgbaseline")),
          Long.parseLong(lines.getOrDefault("first.arrival", "0")), latencies.toString(), lines.getOrDefault("kit", "?"),
          lines.getOrDefault("summary", "?"));
    }

    private static Map<String, Long> counts(String text) {
      if (text == null || text.isBlank()) {
        return null;
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String pair : text.trim().split(" ")) {
        int colon = pair.lastIndexOf(':');
        counts.put(pair.substring(0, colon), Long.parseLong(pair.substring(colon + 1)));
      }
      return counts;
    }
  }

  private final Run run;
  private final Store store;

  Merge() {
    // The count is the merge's to check; latency and errors are each injector's (its own summary).
    run = new Run("merge", Map.of("watchers", "0", "enforce.latency", "false", "enforce.errors", "false"));
    if (!run.config.isSet("run.id")) {
      throw new IllegalStateException("merge needs run.id (LOADTEST_RUN_ID): the id every injector of the run was given");
    }
    try {
      run.preflight();
      store = Store.from(run.config);
    } catch (IOException | InterruptedException failed) {
      throw new IllegalStateException("merge: " + failed.getMessage(), failed);
    }
  }

  boolean execute() throws Exception {
    Path dir = Summary.outputDir(run).resolve(run.config.isSet("ledger.dir") ? Path.of(run.config.string("ledger.dir")) : Path.of("ledger"));
    long deadline = System.currentTimeMillis() + 1000L * run.config.integer("merge.timeout", 1, 86_400);
    List<Path> ledgers = new ArrayList<>();
    for (int i = 0; i < run.injectorCount; i++) {
      Path ledger = dir.resolve("ledger-" + i + ".tsv");
      while (!Files.exists(ledger) && System.currentTimeMillis() < deadline) {
        Thread.sleep(1000);
      }
      ledgers.add(ledger);
    }
    long started = System.currentTimeMillis();
    Summary summary = new Summary(run, started, started);
    List<Injector> injectors = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < run.injectorCount; i++) {
      Path ledger = ledgers.get(i);
      if (!Files.exists(ledger)) {
        summary.problem("injector " + i + " wrote no ledger in " + dir + " within merge.timeout: the verdict cannot be exact");
        continue;
      }
      Injector injector = Injector.read(dir.resolve("injector-" + i + ".txt"));
      injectors.add(injector);
      run.ledger.read(ledger);
      run.latencies.load(injector.latencies());
      lines.add("- injector " + i + ": ledger " + ledger + ", its kit " + injector.kit() + "; summary " + injector.summary());
    }
    summary.merged(lines);
    Injector first = injectors.stream().min((a, b) -> Long.compare(a.baselineAt(), b.baselineAt())).orElse(null);
    Tally pgBaseline = null;
    if (first != null) {
      long firstArrival = injectors.stream().mapToLong(Injector::firstArrival).filter(t -> t > 0).min().orElse(Long.MAX_VALUE);
      for (Injector injector : injectors) {
        if (injector.baselineAt() > firstArrival) {
          summary.problem("injector " + injector.index() + " read the tally before the run after another injector's voters had started:"
              + " the baseline is not exact; start the injectors with the same start.at (LOADTEST_START_AT)");
        }
      }
      run.resultsBaseline = Tally.empty(run.options).plus(first.baseline());
      pgBaseline = first.pgBaseline() == null ? null : Tally.empty(run.options).plus(first.pgBaseline());
    }
    summary.note(run.injectorCount + " injectors' ledgers merged from " + dir + ": " + run.ledger.voters().size() + " voters, ids "
        + run.runPrefix + "<injector>-*; baseline from injector " + (first == null ? "?" : first.index()));
    if (store != null && pgBaseline == null) {
      summary.problem("the injectors read no PostgreSQL baseline: give them the same pg.* settings as the merge");
    }
    new Check(run, store, pgBaseline, new Drain(run.config, run.workerMetricsUrls), null, run.ledger, run.runPrefix, run.resultsBaseline)
        .run(summary);
    summary.write();
    System.out.println("[loadtest] merge verdict: " + (summary.passed() ? "PASS" : "FAIL") + ", summary " + summary.path());
    return summary.passed();
  }
}
