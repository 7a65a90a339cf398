package dev.votingapp.launcher;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged jar running as its own process, as an operator or a container runtime starts it. */
final class AppProcess implements AutoCloseable {

  private final Process process;
  private final Path output;

  private AppProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static AppProcess start(Map<String, String> env, String... args) {
    return start(List.of(), env, args);
  }

  /** With JVM options (e.g. -XX:ActiveProcessorCount=32) before -jar. */
  static AppProcess start(List<String> jvmOptions, Map<String, String> env, String... args) {
    try {
      Path output = Files.createTempFile("voting-app", ".log");
      List<String> command = new java.util.ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.addAll(List.of("-jar", System.getProperty("voting.jar")));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("REDIS")
          || name.endsWith("_PORT") || name.startsWith("OPTION_") || name.startsWith("OTEL_"));
      // Seconds saved per start; the warm-up has a test of its own, which sets it.
      builder.environment().put("WARMUP_SECONDS", "0");
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

  /** The process, to find what it started (its descendants). */
  ProcessHandle handle() {
    return process.toHandle();
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

  /**
   * Waits for the "Started" line and returns the port of {@code what} ("vote", "result", "management")
   * as the process bound it: tests start it with port 0 and read the port back.
   */
  int port(String what, Duration deadline) {
    Pattern pattern = Pattern.compile("Started .*?\\b" + Pattern.quote(what) + " on :(\\d+)");
    Await.until(what + " port in the Started line", deadline, () -> {
      if (!process.isAlive() && !pattern.matcher(output()).find()) {
        throw new AssertionError("the process ended before it started; output:\n" + output());
      }
      return pattern.matcher(output()).find();
    });
    Matcher started = pattern.matcher(output());
    started.find();
    return Integer.parseInt(started.group(1));
  }

  /** Its management port, once /ready answers 200 there ({@code what} names the role in a timeout). */
  Browser readyManagement(String what, Duration deadline) {
    Browser management = new Browser(port("management", deadline));
    Await.until(what + " is ready", deadline, () -> management.isOk("/ready"));
    return management;
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    Files.deleteIfExists(output);
  }
}
