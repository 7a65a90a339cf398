package dev.votingapp.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Milliseconds, one histogram per second of the run (the vote POSTs' response times, or the arrivals'
 * lag behind their schedule), so the summary can give percentiles for the whole run and the ramp for
 * each of its levels. Sparse at the end: {@link #write}/{@link #read} carry an injector's into a merge.
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

  /** The whole run's histogram and failures as text: "ok ms:count …" and "ko n" lines. */
  String dump() {
    Window all = all();
    StringBuilder text = new StringBuilder("ko ").append(all.ko).append('\n').append("ok");
    for (int i = 0; i < BUCKETS; i++) {
      if (all.histogram[i] > 0) {
        text.append(' ').append(i).append(':').append(all.histogram[i]);
      }
    }
    return text.append('\n').toString();
  }

  /** Adds a dump (all of it counted in second 0: a merge has the whole run only). */
  void load(String dump) {
    for (String line : dump.split("\n")) {
      String[] parts = line.trim().split(" ");
      if (parts[0].equals("ko") && parts.length > 1) {
        long[] count = koBySecond.computeIfAbsent(0L, second -> new long[1]);
        synchronized (count) {
          count[0] += Long.parseLong(parts[1]);
        }
      } else if (parts[0].equals("ok")) {
        AtomicLongArray histogram = okBySecond.computeIfAbsent(0L, second -> new AtomicLongArray(BUCKETS));
        for (int i = 1; i < parts.length; i++) {
          String[] bucket = parts[i].split(":");
          histogram.addAndGet(Integer.parseInt(bucket[0]), Long.parseLong(bucket[1]));
        }
      }
    }
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
