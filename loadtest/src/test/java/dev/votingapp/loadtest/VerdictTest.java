package dev.votingapp.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison itself, without a stack: what passes, and what each kind of wrong count reports. */
class VerdictTest {

  private static final Tally NONE = Tally.empty(List.of("a", "b"));

  private final Ledger ledger = new Ledger();

  private Verdict.Outcome check(Map<String, String> rows) {
    Map<String, Long> counts = new LinkedHashMap<>();
    rows.values().forEach(vote -> counts.merge(vote, 1L, Long::sum));
    Tally tally = NONE.plus(counts);
    return Verdict.compute(new Verdict.Inputs(ledger.voters(), "lt-", NONE, tally, NONE, rows, tally));
  }

  private void vote(String voter, String option, boolean acknowledged) {
    ledger.attempt(voter, option);
    if (acknowledged) {
      ledger.acked(voter, option);
    }
  }

  @Test
  void theLastAcknowledgedVoteOfEachVoterCounts() {
    vote("lt-1", "a", true);
    vote("lt-1", "b", true);
    vote("lt-2", "a", true);
    Verdict.Outcome outcome = check(Map.of("lt-1", "b", "lt-2", "a"));
    assertTrue(outcome.passed(), outcome.line());
    assertEquals(1, outcome.expected().get("a"));
    assertEquals(1, outcome.expected().get("b"));
  }

  @Test
  void aMissingVoterAWrongChoiceAndAnExtraVoterAreNamed() {
    vote("lt-1", "a", true);
    vote("lt-2", "a", true);
    vote("lt-2", "b", true);
    Verdict.Outcome outcome = check(Map.of("lt-2", "a", "lt-9", "b"));
    assertFalse(outcome.passed());
    String problems = String.join("\n", outcome.problems());
    assertTrue(problems.contains("missing voters: 1") && problems.contains("lt-1 (told a)"), problems);
    assertTrue(problems.contains("wrong choices: 1") && problems.contains("lt-2 (told b, stored a)"), problems);
    assertTrue(problems.contains("extra voters: 1") && problems.contains("lt-9 (b)"), problems);
  }

  @Test
  void aVoteWithoutAnAnswerMayOrMayNotHaveCounted() {
    vote("lt-1", "a", true);
    vote("lt-1", "b", false);
    vote("lt-2", "a", false);
    assertTrue(check(Map.of("lt-1", "b", "lt-2", "a")).passed());
    assertTrue(check(Map.of("lt-1", "a")).passed());
    Verdict.Outcome lost = check(Map.of());
    assertFalse(lost.passed(), "lt-1 was acknowledged once: it must have a row");
  }

  @Test
  void aTallyThatDiffersFromTheRowsIsReported() {
    vote("lt-1", "a", true);
    Tally results = NONE.plus(Map.of("a", 2L));
    Tally pg = NONE.plus(Map.of("a", 1L));
    Verdict.Outcome outcome = Verdict.compute(new Verdict.Inputs(ledger.voters(), "lt-", NONE, results, NONE,
        Map.of("lt-1", "a"), pg));
    assertFalse(outcome.passed());
    assertTrue(String.join("\n", outcome.problems()).contains("/api/results differs from the expected tally: a +1"), outcome.line());
  }
}
