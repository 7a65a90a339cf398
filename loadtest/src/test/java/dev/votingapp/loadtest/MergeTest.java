package dev.votingapp.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge of several injectors' ledgers: written and read back, one verdict over all of them that is
 * as exact as one injector's, and a voter named by two injectors refused.
 */
class MergeTest {

  @TempDir
  Path dir;

  private static Verdict.Outcome check(Ledger ledger, Map<String, String> rows) {
    return Ledgers.check(ledger, "lt-r-", rows);
  }

  /** Two injectors' ledgers as they write them, then merged as the merge step reads them. */
  private Ledger merged() throws IOException {
    Ledger first = new Ledger();
    Ledgers.acked(first, "lt-r-0-1", "a");
    Ledgers.acked(first, "lt-r-0-2", "a", "b");
    Ledger second = new Ledger();
    Ledgers.acked(second, "lt-r-1-1", "b");
    // Its last POST got no 200: it may hold a or b.
    Ledgers.acked(second, "lt-r-1-2", "a");
    Ledgers.vote(second, "lt-r-1-2", "b", false);
    first.write(dir.resolve("ledger-0.tsv"));
    second.write(dir.resolve("ledger-1.tsv"));
    Ledger all = new Ledger();
    all.read(dir.resolve("ledger-0.tsv"));
    all.read(dir.resolve("ledger-1.tsv"));
    return all;
  }

  @Test
  void theMergedLedgerKeepsEveryVoterAsItsInjectorRecordedIt() throws IOException {
    Ledger all = merged();
    assertEquals(4, all.voters().size());
    assertEquals(6, all.attempts());
    assertEquals(5, all.acks());
    assertEquals("b", all.voters().get("lt-r-0-2").ackedOption());
    assertTrue(all.voters().get("lt-r-0-2").certain());
    assertFalse(all.voters().get("lt-r-1-2").certain());
    assertEquals(java.util.Set.of("a", "b"), all.voters().get("lt-r-1-2").allowed());
    assertFalse(Files.exists(dir.resolve("ledger-0.tsv.partial")), "written in place only when complete");
  }

  @Test
  void oneVerdictOverBothInjectorsIsExact() throws IOException {
    Ledger all = merged();
    Verdict.Outcome passed = check(all, Map.of("lt-r-0-1", "a", "lt-r-0-2", "b", "lt-r-1-1", "b", "lt-r-1-2", "b"));
    assertTrue(passed.passed(), passed.line());
    assertEquals(3, passed.certain());
    assertEquals(1, passed.uncertain());
  }

  @Test
  void aVoteLostFromEitherInjectorIsNamed() throws IOException {
    Ledger all = merged();
    Verdict.Outcome lostSecond = check(all, Map.of("lt-r-0-1", "a", "lt-r-0-2", "b", "lt-r-1-2", "a"));
    assertFalse(lostSecond.passed());
    assertTrue(lostSecond.line().contains("missing voters: 1") && lostSecond.line().contains("lt-r-1-1 (told b)"), lostSecond.line());
    Verdict.Outcome wrongFirst = check(all, Map.of("lt-r-0-1", "a", "lt-r-0-2", "a", "lt-r-1-1", "b", "lt-r-1-2", "a"));
    assertFalse(wrongFirst.passed());
    assertTrue(wrongFirst.line().contains("lt-r-0-2 (told b, stored a)"), wrongFirst.line());
  }

  @Test
  void aVoterInTwoLedgersIsRefused() throws IOException {
    Ledger one = new Ledger();
    Ledgers.acked(one, "lt-r-7", "a");
    one.write(dir.resolve("ledger-0.tsv"));
    one.write(dir.resolve("ledger-1.tsv"));
    Ledger all = new Ledger();
    all.read(dir.resolve("ledger-0.tsv"));
    IOException twice = assertThrows(IOException.class, () -> all.read(dir.resolve("ledger-1.tsv")));
    assertTrue(twice.getMessage().contains("lt-r-7"), twice.getMessage());
  }
}
