package dev.votingapp.launcher;

import dev.votingapp.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar running as its own process, as an operator or a container runtime starts it. */
final class AppProcess implements AutoCloseable {

  private final Process process;
  private final Path output;

  private AppProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static AppProcess start(Map<String, String> env, String... args) {
    try {
      Path output = Files.createTempFile("voting-app", ".log");
      List<String> command = new java.util.ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", System.getProperty("voting.jar")));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("REDIS")
          || name.endsWith("_PORT") || name.startsWith("OPTION_"));
      builder.environment().putAll(env);
      return new AppProcess(builder.start(), output);
    } catch (IOException failed) {
      throw new IllegalStateException(failed);
    }
  }

  /** Waits for the process to end by itself; returns its exit status. */
  int exitCode(Duration deadline) {
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("still running after " + deadline + "; output:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new AssertionError(interrupted);
    }
  }

  /** SIGTERM, as docker stop and Kubernetes send it. */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hook, no graceful stop, as a crash or an OOM kill. */
  void kill() {
    process.destroyForcibly();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException failed) {
      throw new IllegalStateException(failed);
    }
  }

  void awaitOutput(String text, Duration deadline) {
    Await.until("output contains '" + text + "'", deadline, () -> output().contains(text));
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    Files.deleteIfExists(output);
  }
}
