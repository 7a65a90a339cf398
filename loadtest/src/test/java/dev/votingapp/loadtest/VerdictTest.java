package dev.votingapp.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison itself, without a stack: what passes, and what each kind of wrong count reports. */
class VerdictTest {

  private static final Tally NONE = Ledgers.NONE;

  private final Ledger ledger = new Ledger();

  private Verdict.Outcome check(Map<String, String> rows) {
    return Ledgers.check(ledger, "lt-", rows);
  }

  private void vote(String voter, String option, boolean acknowledged) {
    Ledgers.vote(ledger, voter, option, acknowledged);
  }

  private void acked(String voter, String... options) {
    Ledgers.acked(ledger, voter, options);
  }

  @Test
  void theLastAcknowledgedVoteOfEachVoterCounts() {
    acked("lt-1", "a", "b");
    acked("lt-2", "a");
    Verdict.Outcome outcome = check(Map.of("lt-1", "b", "lt-2", "a"));
    assertTrue(outcome.passed(), outcome.line());
    assertEquals(1, outcome.expected().get("a"));
    assertEquals(1, outcome.expected().get("b"));
  }

  @Test
  void aMissingVoterAWrongChoiceAndAnExtraVoterAreNamed() {
    acked("lt-1", "a");
    acked("lt-2", "a", "b");
    Verdict.Outcome outcome = check(Map.of("lt-2", "a", "lt-9", "b"));
    assertFalse(outcome.passed());
    String problems = String.join("\n", outcome.problems());
    assertTrue(problems.contains("missing voters: 1") && problems.contains("lt-1 (told a)"), problems);
    assertTrue(problems.contains("wrong choices: 1") && problems.contains("lt-2 (told b, stored a)"), problems);
    assertTrue(problems.contains("extra voters: 1") && problems.contains("lt-9 (b)"), problems);
  }

  @Test
  void aVoteWithoutAnAnswerMayOrMayNotHaveCounted() {
    acked("lt-1", "a");
    vote("lt-1", "b", false);
    vote("lt-2", "a", false);
    assertTrue(check(Map.of("lt-1", "b", "lt-2", "a")).passed());
    assertTrue(check(Map.of("lt-1", "a")).passed());
    Verdict.Outcome lost = check(Map.of());
    assertFalse(lost.passed(), "lt-1 was acknowledged once: it must have a row");
  }

  @Test
  void aTallyThatDiffersFromTheRowsIsReported() {
    acked("lt-1", "a");
    Tally results = NONE.plus(Map.of("a", 2L));
    Tally pg = NONE.plus(Map.of("a", 1L));
    Verdict.Outcome outcome = Verdict.compute(new Verdict.Inputs(ledger.voters(), "lt-", NONE, results, NONE,
        Map.of("lt-1", "a"), pg));
    assertFalse(outcome.passed());
    assertTrue(String.join("\n", outcome.problems()).contains("/api/results differs from the expected tally: a +1"), outcome.line());
  }
}
