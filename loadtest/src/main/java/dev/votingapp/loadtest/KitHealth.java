package dev.votingapp.loadtest;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The load generator's own health, sampled once a second: its CPU (process CPU time over wall time),
 * its GC (time, count, and every pause), and the connection and request errors its voters met. With
 * the arrivals' lag ({@link Run#lag}) this tells whether a slow answer was the app's or the kit's own.
 */
final class KitHealth implements AutoCloseable {

  /** One second of the kit: CPU nanoseconds and GC milliseconds so far. */
  record Sample(long atMillis, long cpuNanos, long gcMillis, long gcCount) {
  }

  /** A stretch of the run: cores used, share of the machine, GC, errors. */
  record Stretch(double cores, double machineShare, long gcMillis, long gcCount, long longestPauseMs,
                 long connectErrors, long requestErrors) {
    String describe() {
      return String.format(Locale.ROOT, "CPU %.2f cores (%.0f%% of the machine's %d), GC %d ms in %d collections (longest pause %d ms), "
              + "%d connection errors, %d request errors", cores, machineShare * 100, CORES, gcMillis, gcCount, longestPauseMs,
          connectErrors, requestErrors);
    }
  }

  static final int CORES = Runtime.getRuntime().availableProcessors();

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<long[]> pauses = new ConcurrentLinkedQueue<>();
  private final Map<Long, LongAdder> connectErrors = new ConcurrentHashMap<>();
  private final Map<Long, LongAdder> requestErrors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Machine.timer("loadtest-health");

  void start() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // Concurrent cycles (G1's, ZGC's "Cycles") do not stop the kit; pauses do.
            if (!info.getGcName().contains("Concurrent") && !info.getGcName().contains("Cycles")
                && !info.getGcCause().contains("Concurrent")) {
              pauses.add(new long[] {System.currentTimeMillis(), info.getGcInfo().getDuration()});
            }
          }
        }, null, null);
      }
    }
    timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  private void sample() {
    long gcMillis = 0;
    long gcCount = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
      gcCount += Math.max(0, gc.getCollectionCount());
    }
    samples.add(new Sample(System.currentTimeMillis(), os.getProcessCpuTime(), gcMillis, gcCount));
  }

  void connectError(Throwable cause) {
    connectErrors.computeIfAbsent(System.currentTimeMillis() / 1000, second -> new LongAdder()).increment();
    errorKinds.computeIfAbsent("connect: " + kind(cause), kind -> new LongAdder()).increment();
  }

  void requestError(Throwable cause) {
    requestErrors.computeIfAbsent(System.currentTimeMillis() / 1000, second -> new LongAdder()).increment();
    errorKinds.computeIfAbsent("request: " + kind(cause), kind -> new LongAdder()).increment();
  }

  private static String kind(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    return cause.getClass().getSimpleName() + (message.length() > 80 ? ": " + message.substring(0, 80) : ": " + message);
  }

  /** The most frequent errors, for the summary. */
  List<String> errorKinds() {
    List<String> lines = new ArrayList<>();
    errorKinds.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum())).limit(5)
        .forEach(entry -> lines.add(entry.getValue().sum() + " x " + entry.getKey()));
    return lines;
  }

  Stretch stretch(long fromMillis, long toMillis) {
    Sample first = null;
    Sample last = null;
    for (Sample sample : samples) {
      if (sample.atMillis() >= fromMillis && sample.atMillis() <= toMillis) {
        if (first == null) {
          first = sample;
        }
        last = sample;
      }
    }
    long longest = 0;
    for (long[] pause : pauses) {
      if (pause[0] >= fromMillis && pause[0] < toMillis) {
        longest = Math.max(longest, pause[1]);
      }
    }
    long connect = count(connectErrors, fromMillis, toMillis);
    long request = count(requestErrors, fromMillis, toMillis);
    if (first == null || last == first) {
      return new Stretch(Double.NaN, Double.NaN, 0, 0, longest, connect, request);
    }
    double wallNanos = (last.atMillis() - first.atMillis()) * 1e6;
    double cores = (last.cpuNanos() - first.cpuNanos()) / wallNanos;
    return new Stretch(cores, cores / CORES, last.gcMillis() - first.gcMillis(), last.gcCount() - first.gcCount(), longest,
        connect, request);
  }

  private static long count(Map<Long, LongAdder> perSecond, long fromMillis, long toMillis) {
    long sum = 0;
    for (Map.Entry<Long, LongAdder> entry : perSecond.entrySet()) {
      if (entry.getKey() * 1000 >= fromMillis && entry.getKey() * 1000 < toMillis) {
        sum += entry.getValue().sum();
      }
    }
    return sum;
  }

  /**
   * Why the kit, not the app, set the pace over a stretch, or null when it kept up: its arrivals fell
   * behind their schedule (lag p99 over kit.lag.ms), fewer voters started than scheduled, or it took
   * kit.cpu of the machine's CPU (then the app, on the same cores, was starved by the kit).
   */
  static String bottleneck(Run run, long lagP99, double scheduledPerSecond, double startedPerSecond, Stretch kit) {
    List<String> why = new ArrayList<>();
    if (lagP99 > run.kitLagMs) {
      why.add("arrivals ran late (lag p99 " + lagP99 + " ms > " + Math.round(run.kitLagMs) + " ms)");
    }
    if (scheduledPerSecond > 0 && startedPerSecond < 0.95 * scheduledPerSecond) {
      why.add(String.format(Locale.ROOT, "%.0f voters/s started of %.0f scheduled", startedPerSecond, scheduledPerSecond));
    }
    if (!Double.isNaN(kit.machineShare()) && kit.machineShare() >= run.kitCpu) {
      why.add(String.format(Locale.ROOT, "the kit used %.0f%% of the machine's CPU", kit.machineShare() * 100));
    }
    if (why.isEmpty()) {
      return null;
    }
    // Late with little CPU of its own: the kit waited for the cores other work held, as the app did.
    double load = Machine.loadAverage1();
    if (!Double.isNaN(load) && load > CORES && (Double.isNaN(kit.machineShare()) || kit.machineShare() < 0.5)) {
      why.add(String.format(Locale.ROOT, "the machine was busy (load average %.1f on %d cores, the app's and the kit's threads included)", load, CORES));
    }
    return String.join(", ", why);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
