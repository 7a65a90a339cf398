package dev.votingapp.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Stops the embedded servers of a {@code dev} process and removes their folder once that process is
 * gone, however it ended: SIGKILL (an IDE's stop button, the OOM killer) runs no shutdown hook.
 *
 * <p>A {@code /bin/sh} child reads its standard input, a pipe whose only writer is this JVM (Java closes
 * every other descriptor in the processes it starts). The kernel closes the pipe when the JVM ends, and
 * the read returns: no polling, no PID that could be reused, and the same on Linux and macOS, which
 * have no common "die with your parent" option. The servers' PIDs come from their pid files, and are
 * signalled only while their command line still names the folder.
 */
final class DevWatchdog implements AutoCloseable {

  /** Its $0, which {@code ps} shows. */
  static final String NAME = "voting-app-dev-watchdog";

  private static final String SCRIPT = """
      # Terminal signals go to the whole process group; this one waits for the JVM instead.
      trap '' INT HUP
      while read -r _; do :; done
      folder=$1
      ours() { ps -ww -p "$1" -o args= 2>/dev/null | grep -qF -- "$folder/"; }
      # $1: a pid file; $2: the signal of a fast, clean stop. Fails if the process outlives 10 s.
      stop() {
        pid=$(sed -n 1p "$1" 2>/dev/null)
        case $pid in ''|*[!0-9]*) return 0 ;; esac
        ours "$pid" || return 0
        kill -"$2" "$pid" 2>/dev/null
        tries=0
        while ours "$pid"; do
          tries=$((tries + 1))
          [ "$tries" -le 100 ] || return 1
          sleep 0.1
        done
      }
      # A server still running keeps its folder, so the next dev start can still find it.
      stop "$folder/pg-data/postmaster.pid" INT && stop "$folder/redis/redis.pid" TERM && rm -rf -- "$folder"
      """;

  private final Process process;

  private DevWatchdog(Process process) {
    this.process = process;
  }

  static DevWatchdog start(Path folder) throws IOException {
    Process process = new ProcessBuilder("/bin/sh", "-c", SCRIPT, NAME, folder.toString())
        // Not pipes: a write to a pipe whose reader (this JVM) is gone would kill it with SIGPIPE.
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    return new DevWatchdog(process);
  }

  /**
   * After this JVM stopped the servers itself: the watchdog wakes, finds nothing left, and ends; waited
   * for, so nothing of dev outlives it.
   */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException alreadyClosed) {
      // then it has woken already
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
