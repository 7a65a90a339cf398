package dev.votingapp.loadtest;

import java.io.IOException;
import java.util.Map;

/**
 * The end of a run: wait for the queue to drain, let /api/results catch up, read the votes table, and
 * compare everything with what the clients were told ({@link Verdict}); then what the watchers saw.
 */
final class Check {

  /** How long /api/results may take to show the committed tally (NOTIFY, or the safety-net poll). */
  static final long SETTLE_MILLIS = 20_000;

  private final Run run;
  private final Store store;
  private final Tally pgBaseline;
  private final Drain drain;
  private final Watchers watchers;
  private final Ledger ledger;
  private final String prefix;
  private final Tally resultsBaseline;

  /** The check of one injector's run: its own ledger, its own voters' rows. */
  Check(Run run, Store store, Tally pgBaseline, Drain drain, Watchers watchers) {
    this(run, store, pgBaseline, drain, watchers, run.ledger, run.prefix, run.resultsBaseline);
  }

  /** The check of a merge: every injector's ledger in one, the rows of the whole run, the first baseline. */
  Check(Run run, Store store, Tally pgBaseline, Drain drain, Watchers watchers, Ledger ledger, String prefix, Tally resultsBaseline) {
    this.ledger = ledger;
    this.prefix = prefix;
    this.resultsBaseline = resultsBaseline;
    this.run = run;
    this.store = store;
    this.pgBaseline = pgBaseline;
    this.drain = drain;
    this.watchers = watchers;
  }

  void run(Summary summary) throws InterruptedException {
    try {
      summary.drained(drain.await(run.config.integer("drain.timeout", 1, 86_400)));
    } catch (IOException notDrained) {
      summary.problem(notDrained.getMessage());
    }
    try {
      Tally pgCounts = store == null ? null : Tally.empty(run.options).plus(store.counts());
      Tally results = settle(pgCounts);
      Map<String, String> rows = store == null ? null : store.rows(prefix);
      if (store != null) {
        // Read again after the rows: a row that arrived in between would otherwise differ from the counts.
        pgCounts = Tally.empty(run.options).plus(store.counts());
      }
      Verdict.Outcome outcome = Verdict.compute(new Verdict.Inputs(ledger.voters(), prefix,
          resultsBaseline, results, pgBaseline, rows, pgCounts));
      summary.correctness(outcome, results, pgCounts, store == null ? null : store.where(), ledger.voters().size());
    } catch (IOException | IllegalArgumentException unreadable) {
      summary.problem("could not read the final tally: " + unreadable.getMessage());
    }
    watched(summary);
  }

  /**
   * Polls /api/results until it equals PostgreSQL's count (or, without PostgreSQL, until it holds still);
   * a read that fails (a result service still busy pushing to thousands of watchers) is tried again
   * until the deadline.
   */
  private Tally settle(Tally pgCounts) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
    Tally previous = null;
    while (true) {
      Tally now;
      try {
        now = Tally.parse(Http.get(run.resultUrl + "/api/results"));
      } catch (IOException unanswered) {
        if (System.currentTimeMillis() > deadline) {
          throw unanswered;
        }
        Thread.sleep(1000);
        continue;
      }
      boolean settled = pgCounts != null ? now.sameCounts(pgCounts) : now.equals(previous);
      if (settled || System.currentTimeMillis() > deadline) {
        return now;
      }
      previous = now;
      Thread.sleep(1000);
    }
  }

  /** The watchers' last tally must be the final one; and every watcher's delivery of every vote that changed the tally. */
  private void watched(Summary summary) throws InterruptedException {
    if (watchers == null || watchers.count() == 0) {
      return;
    }
    Tally results = null;
    Tally seen = null;
    long deadline = System.currentTimeMillis() + 5_000;
    do {
      try {
        results = Tally.parse(Http.get(run.resultUrl + "/api/results"));
      } catch (IOException | IllegalArgumentException unreadable) {
        results = null;
      }
      seen = watchers.lastTally();
      if (seen != null && seen.equals(results)) {
        break;
      }
      Thread.sleep(250);
    } while (System.currentTimeMillis() < deadline);
    summary.watchers(watchers, seen, results, watchers.delivery(System.currentTimeMillis()));
  }
}
