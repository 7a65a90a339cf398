package dev.votingapp.worker;

/** The queue as the worker last saw it: the lists' lengths and the age of the oldest queued vote. */
final class QueueSample {

  /** One sample: lengths of the queue, of every processing list together, of the dead letters; age in seconds. */
  record Values(long depth, long processing, long dead, double oldestAgeSeconds) {
  }

  private volatile Values last = new Values(0, 0, 0, 0);

  void set(Values sample) {
    last = sample;
  }

  Values last() {
    return last;
  }
}
