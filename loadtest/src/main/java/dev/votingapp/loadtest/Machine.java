package dev.votingapp.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The facts a ramp result needs to be compared with another: CPU, cores, memory, OS, JVM. */
final class Machine {

  private Machine() {
  }

  static String describe() {
    String cpu = firstValue("/proc/cpuinfo", "model name");
    String memory = firstValue("/proc/meminfo", "MemTotal");
    long memoryGib = memory.isEmpty() ? -1 : Math.round(Long.parseLong(memory.replaceAll("[^0-9]", "")) / 1048576.0);
    return (cpu.isEmpty() ? System.getProperty("os.arch") : cpu) + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
        + (memoryGib < 0 ? "memory unknown" : memoryGib + " GiB RAM") + ", " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + ", Java " + System.getProperty("java.version")
        + ", load average " + loadAverage() + " at the end (the kit on the same machine as the app unless said otherwise)";
  }

  /** The 1, 5 and 15 minute load averages: other work on the machine shows here. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException notLinux) {
      return "unknown";
    }
  }

  /** A timer thread of the kit's own (sampling, the ramp's levels, chaos steps) that never keeps the JVM alive. */
  static java.util.concurrent.ScheduledExecutorService timer(String name) {
    return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The 1-minute load average; NaN where there is none. */
  static double loadAverage1() {
    try {
      return Double.parseDouble(loadAverage().split(" ")[0]);
    } catch (NumberFormatException unknown) {
      return Double.NaN;
    }
  }

  private static String firstValue(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      // not Linux: fall back to what the JVM knows
    }
    return "";
  }
}
