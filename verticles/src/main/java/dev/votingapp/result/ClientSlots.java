package dev.votingapp.result;

import java.util.concurrent.atomic.AtomicInteger;

/** The WebSocket viewers of one process, shared by its event loops, up to RESULT_MAX_CLIENTS. */
final class ClientSlots {

  private final int max;
  private final AtomicInteger used = new AtomicInteger();
  /** Viewers whose socket is not draining now (their newest tally waits). */
  private final AtomicInteger slow = new AtomicInteger();

  ClientSlots(int max) {
    this.max = max;
  }

  /** False when the process has as many viewers as it may. */
  boolean tryAcquire() {
    while (true) {
      int now = used.get();
      if (now >= max) {
        return false;
      }
      if (used.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release() {
    used.decrementAndGet();
  }

  void slowStarted() {
    slow.incrementAndGet();
  }

  void slowEnded() {
    slow.decrementAndGet();
  }

  // Plain readers for the result service's gauges; only the shape is shared with other classes' getters.
  int slow() {
    return slow.get();
  }

  int used() {
    return used.get();
  }

  int max() {
    return max;
  }
}
