package dev.votingapp.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders of {@code dev} processes in the temporary directory, and the clean-up of those whose
 * process is gone: the second guard, for when the {@link DevWatchdog} could not do it (killed with its
 * process tree, or the machine's {@code ps} missing). Each folder names its owner in a file: its PID
 * and start time, so a PID reused by another process does not pass for the owner. A folder whose owner
 * no longer runs is removed, after its servers are stopped: the processes whose executable lies inside
 * it (the binaries are unpacked there). A folder without that file, of another user, or whose owner
 * still runs is never touched.
 */
final class DevLeftovers {

  static final String PREFIX = "voting-app-dev-";
  static final String OWNER_FILE = "owner";
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(DevLeftovers.class);

  private DevLeftovers() {
  }

  /** Marks a new folder as this process's. */
  static void claim(Path folder) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    String started = self.info().startInstant().map(Instant::toString).orElse("unknown");
    Files.writeString(folder.resolve(OWNER_FILE), self.pid() + " " + started + "\n", StandardCharsets.UTF_8);
  }

  /**
   * Removes, beside {@code ours}, the folders of dev processes that are gone; returns them. A folder it
   * cannot read or remove is logged and left: it never stops this dev from starting.
   */
  static List<Path> removeThoseOfGoneOwners(Path ours) {
    List<Path> removed = new ArrayList<>();
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(ours.getParent(), PREFIX + "*")) {
      UserPrincipal user = Files.getOwner(ours);
      for (Path folder : folders) {
        if (!folder.equals(ours) && removeIfOwnerGone(folder, user)) {
          removed.add(folder);
        }
      }
    } catch (IOException | RuntimeException failed) {
      LOG.warn("Could not look for what dev processes that are gone left in {}: {}", ours.getParent(), failed.toString());
    }
    return removed;
  }

  private static boolean removeIfOwnerGone(Path folder, UserPrincipal user) {
    try {
      if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
          || !user.equals(Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS)) || !ownerGone(folder)) {
        return false;
      }
    } catch (IOException | RuntimeException unreadable) {
      LOG.warn("Left {} alone: {}", folder, unreadable.toString());
      return false;
    }
    int stopped = stopServers(folder);
    delete(folder);
    LOG.info("Removed what a dev process that is gone left behind: {} ({} server processes stopped)", folder, stopped);
    return true;
  }

  /** False when unsure: no owner file, or one that does not read. */
  static boolean ownerGone(Path folder) {
    String[] owner;
    long pid;
    try {
      owner = Files.readString(folder.resolve(OWNER_FILE), StandardCharsets.UTF_8).trim().split(" ");
      pid = Long.parseLong(owner[0]);
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return true;
    }
    Optional<Instant> started = process.get().info().startInstant();
    // A different start time: the PID now belongs to another process. Unknown either side: assume alive.
    return owner.length > 1 && !owner[1].equals("unknown") && started.isPresent()
        && !owner[1].equals(started.get().toString());
  }

  /** SIGTERM (each server stops cleanly), then SIGKILL for what still runs after the deadline. */
  private static int stopServers(Path folder) {
    List<ProcessHandle> servers = ProcessHandle.allProcesses().filter(process -> runsFrom(process, folder)).toList();
    // The roots only: PostgreSQL stops its own children; a signal to one of them would end only that one.
    servers.stream().filter(server -> server.parent().map(parent -> !servers.contains(parent)).orElse(true))
        .forEach(ProcessHandle::destroy);
    awaitExit(servers, STOP_DEADLINE);
    servers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    awaitExit(servers, STOP_DEADLINE);
    return servers.size();
  }

  private static boolean runsFrom(ProcessHandle process, Path folder) {
    return process.info().command().map(command -> Path.of(command).startsWith(folder)).orElse(false);
  }

  private static void awaitExit(List<ProcessHandle> processes, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException stillRunning) {
        // the caller decides
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Best effort; the owner file goes last, so what cannot be removed now is found again at the next start. */
  static void delete(Path folder) {
    Path owner = folder.resolve(OWNER_FILE);
    try (Stream<Path> paths = Files.walk(folder)) {
      List<Path> contents = paths.filter(path -> !path.equals(owner) && !path.equals(folder))
          .sorted(Comparator.reverseOrder()).toList();
      for (Path path : contents) {
        Files.deleteIfExists(path);
      }
      Files.deleteIfExists(owner);
      Files.deleteIfExists(folder);
    } catch (IOException | UncheckedIOException leftForTheNextStart) {
      // Files.walk throws UncheckedIOException for an entry it cannot read
    }
  }
}
