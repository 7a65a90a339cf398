package dev.votingapp.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The vote POSTs' response times in milliseconds, one histogram per second of the run, so the summary
 * can give percentiles for the whole run and the ramp for each of its levels. Gatling keeps its own
 * figures for its report and its assertions; these are the kit's, readable before Gatling's report exists.
 */
final class Latencies {

  /** 1 ms buckets up to 10 s; slower answers share the last bucket. */
  static final int BUCKETS = 10_001;

  private final Map<Long, AtomicLongArray> okBySecond = new ConcurrentSkipListMap<>();
  private final Map<Long, long[]> koBySecond = new ConcurrentHashMap<>();

  void ok(long atMillis, long millis) {
    okBySecond.computeIfAbsent(atMillis / 1000, second -> new AtomicLongArray(BUCKETS))
        .incrementAndGet((int) Math.max(0, Math.min(BUCKETS - 1, millis)));
  }

  void ko(long atMillis) {
    long[] count = koBySecond.computeIfAbsent(atMillis / 1000, second -> new long[1]);
    synchronized (count) {
      count[0]++;
    }
  }

  /** Percentiles and counts over [fromMillis, toMillis). */
  Window window(long fromMillis, long toMillis) {
    long[] merged = new long[BUCKETS];
    long ok = 0;
    for (Map.Entry<Long, AtomicLongArray> entry : okBySecond.entrySet()) {
      long second = entry.getKey();
      if (second * 1000 >= fromMillis && second * 1000 < toMillis) {
        AtomicLongArray histogram = entry.getValue();
        for (int i = 0; i < BUCKETS; i++) {
          long n = histogram.get(i);
          merged[i] += n;
          ok += n;
        }
      }
    }
    long ko = 0;
    for (Map.Entry<Long, long[]> entry : koBySecond.entrySet()) {
      if (entry.getKey() * 1000 >= fromMillis && entry.getKey() * 1000 < toMillis) {
        synchronized (entry.getValue()) {
          ko += entry.getValue()[0];
        }
      }
    }
    return new Window(merged, ok, ko, Math.max(1, toMillis - fromMillis) / 1000.0);
  }

  Window all() {
    return window(0, Long.MAX_VALUE / 2);
  }

  /** One stretch of the run: percentiles of the answered POSTs (any status), failures, rate. */
  static final class Window {
    private final long[] histogram;
    final long ok;
    final long ko;
    final double seconds;

    Window(long[] histogram, long ok, long ko, double seconds) {
      this.histogram = histogram;
      this.ok = ok;
      this.ko = ko;
      this.seconds = seconds;
    }

    /** The smallest ms value that at least p percent of the answers did not exceed; -1 without answers. */
    long percentile(double p) {
      if (ok == 0) {
        return -1;
      }
      long rank = (long) Math.ceil(ok * p / 100.0);
      long seen = 0;
      for (int i = 0; i < histogram.length; i++) {
        seen += histogram[i];
        if (seen >= Math.max(1, rank)) {
          return i;
        }
      }
      return histogram.length - 1;
    }

    double rate() {
      return (ok + ko) / seconds;
    }

    double failedPercent() {
      return ok + ko == 0 ? 0 : 100.0 * ko / (ok + ko);
    }

    List<String> percentiles() {
      List<String> text = new ArrayList<>();
      for (double p : new double[] {50, 75, 95, 99, 99.9}) {
        text.add("p" + (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + " " + percentile(p) + " ms");
      }
      text.add("max " + percentile(100) + " ms");
      return text;
    }
  }
}
