package dev.votingapp.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When the tally is current, and when it is not and why, with a stale limit of 5 s; times in seconds. */
class FreshnessTest {

  private static final long LIMIT_MS = 5_000;
  private static final Instant READ = Instant.parse("2026-01-01T10:04:55.123Z");

  private final Freshness freshness = new Freshness(LIMIT_MS, s(0));

  @Test
  void nothingIsSaidBeforeTheFirstRead() {
    assertThat(freshness.status(s(1))).isNull();
  }

  @Test
  void aReadTallyIsCurrentUntilTheLimitPassesWithoutAnotherRead() {
    freshness.read(READ, s(10));

    assertThat(freshness.status(s(15))).isEqualTo(new Freshness.Status(READ, true, null, null));
    Freshness.Status stale = freshness.status(s(15.001));
    assertThat(stale).isEqualTo(new Freshness.Status(READ, false, Freshness.UNREACHABLE, null));
    assertThat(stale.asOfClock()).isEqualTo("10:04:55 UTC");
    assertThat(stale.delayWords()).isEqualTo("the results cannot be refreshed at the moment");

    freshness.read(READ.plusSeconds(6), s(16));
    assertThat(freshness.status(s(16)).current()).isTrue();
  }

  @Test
  void aFailedReadMakesItNotCurrentAtOnceAndTheNextReadCurrentAgain() {
    freshness.read(READ, s(10));
    freshness.readFailed();

    assertThat(freshness.status(s(10.1))).isEqualTo(new Freshness.Status(READ, false, Freshness.UNREACHABLE, null));
    freshness.read(READ.plusSeconds(1), s(11));
    assertThat(freshness.status(s(11)).current()).isTrue();
  }

  @Test
  void votesWaitingAreADelayOnlyOnceTheyWaitedAndNoCommitCameForLongerThanTheLimit() {
    freshness.progress(s(0));
    freshness.read(READ, s(100));
    // Nothing was committed for 100 s: a vote that has just been queued is not late yet.
    freshness.backlog(1L, s(100));
    keepReading(100, 105);
    assertThat(freshness.status(s(105)).current()).as("waiting exactly the limit").isTrue();

    keepReading(105, 106);
    Freshness.Status late = freshness.status(s(106));
    assertThat(late.current()).isFalse();
    assertThat(late.reason()).isEqualTo(Freshness.WAITING);
    assertThat(late.waiting()).isEqualTo(1);
    assertThat(late.delayWords()).isEqualTo("1 vote still being counted");

    freshness.backlog(3L, s(106));
    assertThat(freshness.status(s(106)).delayWords()).as("still the same spell").isEqualTo("3 votes still being counted");
    freshness.progress(s(106));
    assertThat(freshness.status(s(106)).current()).as("a commit came").isTrue();
    assertThat(freshness.status(s(111.5)).current()).as("and none since, while votes still wait").isFalse();
  }

  @Test
  void commitsKeepItCurrentHoweverLongVotesWait() {
    freshness.backlog(500L, s(0));
    for (int t = 0; t <= 60; t++) {
      freshness.read(READ.plusSeconds(t), s(t));
      freshness.progress(s(t));
      assertThat(freshness.status(s(t)).current()).as("at %d s", t).isTrue();
    }
  }

  @Test
  void anEmptyQueueEndsTheSpellAndTheNextVoteStartsANewOne() {
    freshness.backlog(2L, s(0));
    freshness.backlog(0L, s(1));
    freshness.backlog(1L, s(20));
    keepReading(20, 25);
    assertThat(freshness.status(s(25)).current()).isTrue();
    keepReading(25, 26);
    assertThat(freshness.status(s(26)).reason()).isEqualTo(Freshness.WAITING);
  }

  @Test
  void withoutAReportOnlyReachabilityCounts() {
    freshness.backlog(4L, s(0));
    freshness.backlog(null, s(1));
    keepReading(1, 60);
    assertThat(freshness.status(s(60))).isEqualTo(new Freshness.Status(READ.plusSeconds(60), true, null, null));
  }

  @Test
  void unreachableIsSaidFirstWhenBothHold() {
    freshness.backlog(2L, s(0));
    freshness.read(READ, s(0));
    assertThat(freshness.status(s(30)).reason()).isEqualTo(Freshness.UNREACHABLE);
    assertThat(freshness.status(s(30)).delayWords()).isEqualTo("the results cannot be refreshed at the moment");
  }

  /** A viewer is pushed a status when it reads differently, not for a newer read time. */
  @Test
  void aStatusLooksTheSameToAViewerUnlessItsWordsChange() {
    Freshness.Status current = new Freshness.Status(READ, true, null, 0L);
    assertThat(current.looksLike(new Freshness.Status(READ.plusSeconds(9), true, null, 7L))).isTrue();
    assertThat(current.looksLike(null)).isFalse();
    Freshness.Status waiting = new Freshness.Status(READ, false, Freshness.WAITING, 2L);
    assertThat(waiting.looksLike(current)).isFalse();
    assertThat(waiting.looksLike(new Freshness.Status(READ.plusSeconds(1), false, Freshness.WAITING, 2L))).isTrue();
    assertThat(waiting.looksLike(new Freshness.Status(READ, false, Freshness.WAITING, 3L))).isFalse();
    assertThat(waiting.looksLike(new Freshness.Status(READ, false, Freshness.UNREACHABLE, 2L))).isFalse();
  }

  @Test
  void theMessageIsTheTallyWithItsStatus() {
    Tally tally = new Tally(java.util.List.of(new Tally.Count("a", "Cats", 1), new Tally.Count("b", "Dogs", 0)));
    assertThat(new Freshness.Status(READ, false, Freshness.WAITING, 1L).message(tally)).isEqualTo(
        "{\"options\":[{\"id\":\"a\",\"label\":\"Cats\",\"votes\":1},{\"id\":\"b\",\"label\":\"Dogs\",\"votes\":0}],"
            + "\"total\":1,\"asOf\":\"2026-01-01T10:04:55.123Z\",\"current\":false,\"reason\":\"votes_waiting\",\"waiting\":1}");
  }

  /** A successful read every second from {@code from} to {@code to}. */
  private void keepReading(int from, int to) {
    for (int t = from; t <= to; t++) {
      freshness.read(READ.plusSeconds(t), s(t));
    }
  }

  private static long s(double seconds) {
    return (long) (seconds * 1e9);
  }
}
