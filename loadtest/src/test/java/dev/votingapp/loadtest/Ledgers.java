package dev.votingapp.loadtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Votes recorded in a ledger as the injector records them, and the verdict over the rows a test names. */
final class Ledgers {

  /** The tally of a ballot of options a and b before any vote. */
  static final Tally NONE = Tally.empty(List.of("a", "b"));

  private Ledgers() {
  }

  /** One POST of the voter; acknowledged when it got a 200. */
  static void vote(Ledger ledger, String voter, String option, boolean acknowledged) {
    ledger.attempt(voter, option);
    if (acknowledged) {
      ledger.acked(voter, option);
    }
  }

  /** The voter's POSTs in order, each acknowledged. */
  static void acked(Ledger ledger, String voter, String... options) {
    for (String option : options) {
      vote(ledger, voter, option, true);
    }
  }

  /** The verdict when the votes table holds these rows (voter id to option) and both tallies agree with them. */
  static Verdict.Outcome check(Ledger ledger, String prefix, Map<String, String> rows) {
    Map<String, Long> counts = new LinkedHashMap<>();
    rows.values().forEach(vote -> counts.merge(vote, 1L, Long::sum));
    Tally tally = NONE.plus(counts);
    return Verdict.compute(new Verdict.Inputs(ledger.voters(), prefix, NONE, tally, NONE, rows, tally));
  }
}
