package dev.votingapp.loadtest;

import java.util.Arrays;

/**
 * The acknowledged votes that changed the expected tally, in the order they were acknowledged, each
 * with the total a tally must reach to include it: every watcher must be pushed such a tally within
 * watch.gap.ms. A voter's first vote raises the total by one, so "total at least the baseline plus the
 * first votes acknowledged so far" is a tally that holds it (the queue is first in, first out). A change
 * of mind leaves the total as it is: for it, the next push after the acknowledgement counts. Appends
 * come from every event loop, so they are serialised here; each watcher reads with its own cursor.
 */
final class Deliveries {

  private long[] ackedMillis = new long[4096];
  private long[] totals = new long[4096];
  private int size;
  private long firstVotes;
  private volatile long baseline;

  void baseline(long total) {
    baseline = total;
  }

  /**
   * Records an acknowledged vote that changes the tally, now; {@code firstVote} when the voter had none
   * before. The clock is read under the lock, so the times are in the order of the list.
   */
  synchronized void acked(boolean firstVote) {
    acked(firstVote, System.currentTimeMillis());
  }

  /** As {@link #acked(boolean)}, at a given time (tests). */
  synchronized void acked(boolean firstVote, long atMillis) {
    if (firstVote) {
      firstVotes++;
    }
    if (size == ackedMillis.length) {
      ackedMillis = Arrays.copyOf(ackedMillis, size * 2);
      totals = Arrays.copyOf(totals, size * 2);
    }
    ackedMillis[size] = atMillis;
    totals[size] = baseline + firstVotes;
    size++;
  }

  synchronized int size() {
    return size;
  }

  synchronized long ackedAt(int index) {
    return ackedMillis[index];
  }

  synchronized long total(int index) {
    return totals[index];
  }

  /**
   * One watcher's view: each push moves its cursor past every vote it includes (acknowledged before the
   * push arrived, and within the pushed total), remembering the longest wait and how many passed the limit.
   */
  final class Cursor {
    private int next;
    private long longest = -1;
    private long late;
    private long delivered;

    /** Starts at the votes acknowledged from now on (a watcher connecting later owes nothing before). */
    Cursor() {
      next = size();
    }

    synchronized void pushed(long atMillis, long total, long limitMillis) {
      synchronized (Deliveries.this) {
        while (next < size && ackedMillis[next] <= atMillis && totals[next] <= total) {
          record(atMillis - ackedMillis[next], limitMillis);
          next++;
        }
      }
    }

    /** At the end: every vote still not seen waited from its acknowledgement until {@code untilMillis}. */
    synchronized void finish(long untilMillis, long limitMillis) {
      synchronized (Deliveries.this) {
        for (; next < size && ackedMillis[next] <= untilMillis; next++) {
          record(untilMillis - ackedMillis[next], limitMillis);
        }
      }
    }

    private void record(long wait, long limitMillis) {
      longest = Math.max(longest, wait);
      delivered++;
      if (wait > limitMillis) {
        late++;
      }
    }

    /** What the cursor has checked so far, read together. */
    synchronized Seen seen() {
      return new Seen(delivered, longest, late);
    }
  }

  /**
   * One watcher's deliveries: how many (vote, push) pairs were checked, the longest wait in ms (-1
   * before the first), and how many waited past the limit.
   */
  record Seen(long checked, long longest, long late) {
  }
}
