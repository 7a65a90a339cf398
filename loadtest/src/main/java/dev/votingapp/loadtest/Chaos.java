package dev.votingapp.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The steady load while the stack is hurt on a timetable: a worker killed with SIGKILL and started
 * again, Redis restarted (with AOF on, so what it acknowledged survives), PostgreSQL restarted. Each
 * step is a shell command from the settings (chaos.kill.worker, chaos.start.worker,
 * chaos.restart.redis, chaos.restart.postgres), so the same scenario hurts local processes
 * (loadtest/chaos-native.sh) or a compose stack (docker compose kill/restart). Latency and errors are
 * reported, not enforced: voters retry as people do. Zero lost and zero double-counted votes is.
 */
final class Chaos extends Kit {

  private final ConcurrentLinkedQueue<String> timeline = new ConcurrentLinkedQueue<>();
  private final List<String> failures = new ArrayList<>();
  private final ScheduledExecutorService chaos = Machine.timer("loadtest-chaos");
  private long startMillis;

  Chaos() {
    super("chaos", countOnly(Map.of(
        "rate", "20", "duration", "110", "rampup", "10", "watchers", "5", "retries", "10", "drain.timeout", "180")));
  }

  @Override
  protected void onStart() {
    startMillis = System.currentTimeMillis();
    int atWorker = run.config.integer("chaos.at.worker", 0, 86_400);
    schedule(atWorker, "chaos.kill.worker");
    schedule(atWorker + run.config.integer("chaos.worker.down", 0, 3600), "chaos.start.worker");
    schedule(run.config.integer("chaos.at.redis", 0, 86_400), "chaos.restart.redis");
    schedule(run.config.integer("chaos.at.postgres", 0, 86_400), "chaos.restart.postgres");
  }

  private void schedule(int atSeconds, String key) {
    if (!run.config.isSet(key)) {
      timeline.add("- " + key + ": not set, skipped");
      synchronized (failures) {
        failures.add(key + " is not set: the chaos scenario needs all four commands");
      }
      return;
    }
    chaos.schedule(() -> perform(key), atSeconds, TimeUnit.SECONDS);
  }

  private void perform(String key) {
    String command = run.config.string(key);
    long began = System.currentTimeMillis();
    String outcome;
    try {
      Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
      boolean finished = process.waitFor(run.config.integer("chaos.timeout", 1, 3600), TimeUnit.SECONDS);
      String output = new String(process.getInputStream().readNBytes(2000), StandardCharsets.UTF_8).strip();
      if (!finished) {
        process.destroyForcibly();
        outcome = "timed out";
      } else {
        outcome = process.exitValue() == 0 ? "ok" : "exit " + process.exitValue() + (output.isEmpty() ? "" : ": " + output);
      }
    } catch (IOException failed) {
      outcome = "could not run: " + failed.getMessage();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      outcome = "interrupted";
    }
    String line = String.format("- at %.1f s, %s (%s): %s, %d ms", (began - startMillis) / 1000.0, key, command, outcome,
        System.currentTimeMillis() - began);
    timeline.add(line);
    System.out.println("[loadtest] chaos " + line.substring(2));
    if (!"ok".equals(outcome)) {
      synchronized (failures) {
        failures.add(key + " failed: " + outcome);
      }
    }
  }

  @Override
  protected void onEnd(Summary summary) {
    chaos.shutdownNow();
    summary.section("Chaos", new ArrayList<>(timeline));
    synchronized (failures) {
      failures.forEach(summary::problem);
    }
  }
}
