package dev.votingapp.loadtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes the app's management ports once a second while the load runs: heap, GC pauses and the
 * queue's depth, for the summary and the ramp's knee. A scrape that fails is skipped (the chaos
 * scenario restarts things on purpose).
 */
final class Sampler implements AutoCloseable {

  /** One second of the app: heap used (largest process), GC pause seconds so far (all processes), queue depths. */
  record Sample(long atMillis, double heapBytes, double gcPauseSeconds, double gcMaxSeconds, double queueDepth,
                double processingDepth, double cpuSeconds) {
  }

  private final List<String> urls;
  private final List<String> workerUrls;
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService timer = Machine.timer("loadtest-sampler");

  Sampler(List<String> urls, List<String> workerUrls) {
    this.urls = urls;
    this.workerUrls = workerUrls;
  }

  boolean enabled() {
    return !urls.isEmpty();
  }

  void start() {
    if (enabled()) {
      timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }
  }

  private void sample() {
    double heap = Double.NaN;
    double gc = 0;
    double gcMax = Double.NaN;
    double queue = Double.NaN;
    double processing = Double.NaN;
    double cpu = 0;
    for (String url : urls) {
      try {
        Metrics metrics = Metrics.scrape(url);
        heap = max(heap, metrics.sum("jvm_memory_used_bytes", "area=\"heap\""));
        gc += metrics.sum("jvm_gc_pause_seconds_sum").orElse(0);
        gcMax = max(gcMax, metrics.max("jvm_gc_pause_seconds_max"));
        cpu += metrics.sum("process_cpu_time_ns_total").orElse(0) / 1e9;
        if (workerUrls.contains(url)) {
          queue = max(queue, metrics.max("worker_queue_depth"));
          processing = max(processing, metrics.max("worker_processing_depth"));
        }
      } catch (IOException | RuntimeException unreachable) {
        // skipped: a restart in progress, or a process that is gone
      }
    }
    samples.add(new Sample(System.currentTimeMillis(), heap, gc, gcMax, queue, processing, cpu));
  }

  private static double max(double current, OptionalDouble value) {
    if (value.isEmpty()) {
      return current;
    }
    return Double.isNaN(current) ? value.getAsDouble() : Math.max(current, value.getAsDouble());
  }

  /**
   * What the app looked like over [from, to): largest heap, GC pause time spent, longest pause, deepest
   * queue, and the CPU its processes used together (cores).
   */
  record Stretch(double heapMaxBytes, double gcPauseSeconds, double gcMaxSeconds, double queueMax, double cores) {
    String describe() {
      return String.format(java.util.Locale.ROOT, "CPU %s, heap max %s, GC pauses %s (longest %s), queue depth max %s",
          Double.isNaN(cores) ? "n/a" : String.format(java.util.Locale.ROOT, "%.2f cores", cores),
          Double.isNaN(heapMaxBytes) ? "n/a" : Math.round(heapMaxBytes / 1048576) + " MiB",
          Double.isNaN(gcPauseSeconds) ? "n/a" : Math.round(gcPauseSeconds * 1000) + " ms",
          Double.isNaN(gcMaxSeconds) ? "n/a" : Math.round(gcMaxSeconds * 1000) + " ms",
          Double.isNaN(queueMax) ? "n/a" : String.valueOf(Math.round(queueMax)));
    }
  }

  Stretch stretch(long fromMillis, long toMillis) {
    List<Sample> inside = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.atMillis() >= fromMillis && sample.atMillis() < toMillis) {
        inside.add(sample);
      }
    }
    if (inside.isEmpty()) {
      return new Stretch(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double heap = inside.stream().mapToDouble(Sample::heapBytes).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    double gcMax = inside.stream().mapToDouble(Sample::gcMaxSeconds).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    double queue = inside.stream().mapToDouble(Sample::queueDepth).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    Sample first = inside.get(0);
    Sample last = inside.get(inside.size() - 1);
    double gc = last.gcPauseSeconds() - first.gcPauseSeconds();
    double wall = (last.atMillis() - first.atMillis()) / 1000.0;
    double cores = wall > 0 && last.cpuSeconds() > 0 ? Math.max(0, last.cpuSeconds() - first.cpuSeconds()) / wall : Double.NaN;
    return new Stretch(heap, Math.max(0, gc), gcMax, queue, cores);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
