package dev.votingapp.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Every watcher held to the promise for every vote: a push counts for a vote only once it includes it. */
class DeliveriesTest {

  private static final long LIMIT = 1000;

  private final Deliveries deliveries = new Deliveries();

  /** A watcher connected once the total stood at the baseline, before the test's votes. */
  private Deliveries.Cursor watcherFrom(long baseline) {
    deliveries.baseline(baseline);
    return deliveries.new Cursor();
  }

  /** Pairs checked, the longest wait in ms (-1 before the first), pairs past the limit. */
  private static Deliveries.Seen seen(long checked, long longest, long late) {
    return new Deliveries.Seen(checked, longest, late);
  }

  @Test
  void aPushIncludesAFirstVoteOnceItsTotalHasIt() {
    Deliveries.Cursor watcher = watcherFrom(10);
    deliveries.acked(true, 1_000);
    deliveries.acked(true, 1_100);
    // A push after both votes that holds only the first: the second still waits.
    watcher.pushed(1_200, 11, LIMIT);
    assertEquals(seen(1, 200, 0), watcher.seen());
    watcher.pushed(1_500, 12, LIMIT);
    assertEquals(seen(2, 400, 0), watcher.seen());
  }

  @Test
  void aPushBeforeTheAcknowledgementDoesNotCount() {
    Deliveries.Cursor watcher = watcherFrom(0);
    deliveries.acked(true, 2_000);
    watcher.pushed(1_999, 1, LIMIT);
    assertEquals(seen(0, -1, 0), watcher.seen());
    watcher.pushed(2_300, 1, LIMIT);
    assertEquals(seen(1, 300, 0), watcher.seen());
  }

  @Test
  void aChangeOfMindCountsWithTheNextPushAndALateOneIsCounted() {
    Deliveries.Cursor watcher = watcherFrom(0);
    deliveries.acked(true, 1_000);
    deliveries.acked(false, 1_500);
    watcher.pushed(1_200, 1, LIMIT);
    assertEquals(seen(1, 200, 0), watcher.seen());
    // No push for the change of mind until 2.7 s: 1.2 s, over the limit.
    watcher.pushed(2_700, 1, LIMIT);
    assertEquals(seen(2, 1_200, 1), watcher.seen());
  }

  @Test
  void aVoteNoPushEverIncludedWaitsUntilTheEnd() {
    Deliveries.Cursor watcher = watcherFrom(5);
    deliveries.acked(true, 1_000);
    watcher.pushed(1_100, 5, LIMIT);
    watcher.finish(9_000, LIMIT);
    assertEquals(seen(1, 8_000, 1), watcher.seen());
  }

  @Test
  void aWatcherThatConnectsLaterOwesNothingBefore() {
    deliveries.baseline(0);
    deliveries.acked(true, 1_000);
    Deliveries.Cursor late = deliveries.new Cursor();
    late.finish(9_000, LIMIT);
    assertEquals(seen(0, -1, 0), late.seen());
  }
}
