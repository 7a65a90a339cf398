package dev.votingapp.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waits until every acknowledged vote has left Redis: the queue and every processing list empty. The
 * worker releases a processing list only after PostgreSQL committed it, so then the table is final.
 * Read from Redis itself (redis.url), from the workers' queue gauges (metrics.worker: worker_queue_depth
 * and worker_processing_depth), or from a command that prints the backlog (drain.command).
 */
final class Drain {

  private final Config config;
  private final List<String> workerMetrics;

  Drain(Config config, List<String> workerMetrics) {
    this.config = config;
    this.workerMetrics = workerMetrics;
  }

  String how() {
    String mode = mode();
    return switch (mode) {
      case "redis" -> "Redis " + Redact.url(config.string("redis.url")) + " (LLEN " + config.string("redis.queue") + " and its processing lists)";
      case "metrics" -> "worker_queue_depth + worker_processing_depth at " + String.join(", ", workerMetrics);
      case "command" -> "command: " + config.string("drain.command");
      default -> "nothing (no redis.url, metrics.worker or drain.command)";
    };
  }

  String mode() {
    String mode = config.string("drain");
    if (!"auto".equals(mode)) {
      return mode;
    }
    return config.isSet("redis.url") ? "redis" : !workerMetrics.isEmpty() ? "metrics"
        : config.isSet("drain.command") ? "command" : "none";
  }

  /** The backlog's depth now; IOException when it cannot be read. */
  long backlog() throws IOException {
    switch (mode()) {
      case "redis":
        try (Redis redis = new Redis(config.string("redis.url"), config.secret("redis.password"))) {
          return redis.backlog(config.string("redis.queue"));
        }
      case "metrics": {
        long depth = 0;
        for (String url : workerMetrics) {
          Metrics metrics = Metrics.scrape(url);
          depth = Math.max(depth, (long) (metrics.max("worker_queue_depth").orElseThrow(() -> new IOException(url + " has no worker_queue_depth"))
              + metrics.max("worker_processing_depth").orElseThrow(() -> new IOException(url + " has no worker_processing_depth"))));
        }
        return depth;
      }
      case "command":
        return Long.parseLong(run(config.string("drain.command")).trim());
      default:
        throw new IOException("no way to see the queue: set redis.url, metrics.worker or drain.command");
    }
  }

  /**
   * Waits for two empty readings a gauge period apart (the worker samples its gauges every second);
   * returns a line for the summary; throws when the deadline passes with votes still queued.
   */
  String await(long timeoutSeconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long started = System.currentTimeMillis();
    int emptyReadings = 0;
    long last = -1;
    String lastError = "";
    while (System.nanoTime() < deadline) {
      try {
        last = backlog();
        emptyReadings = last == 0 ? emptyReadings + 1 : 0;
        if (emptyReadings >= 2) {
          return "queue and processing lists empty after " + (System.currentTimeMillis() - started) + " ms (" + how() + ")";
        }
      } catch (IOException | RuntimeException unreadable) {
        lastError = unreadable.getMessage();
        emptyReadings = 0;
      }
      Thread.sleep(1100);
    }
    throw new IOException("the queue did not drain within " + timeoutSeconds + " s: backlog " + last
        + (lastError.isEmpty() ? "" : ", last error: " + lastError) + " (" + how() + ")");
  }

  private static String run(String command) throws IOException {
    try {
      Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("drain.command failed: " + output);
      }
      return output;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", interrupted);
    }
  }

  /** URLs without their password, for the summary. */
  static final class Redact {
    static String url(String url) {
      return url.replaceAll("//[^@/]*@", "//***@");
    }
  }
}
