package dev.votingapp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which folders the next dev start cleans up: only those whose owner is gone. A copy of {@code sleep}
 * run from inside a folder stands for a server: its executable lies in the folder, as Redis's and
 * PostgreSQL's do.
 */
class DevLeftoversIT {

  @TempDir
  Path tmp;
  private final List<Process> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(Process::destroyForcibly);
  }

  @Test
  void theFoldersOfGoneOwnersGoWithTheirServersAndNothingElseIsTouched() throws Exception {
    Path ours = folder("voting-app-dev-ours");
    DevLeftovers.claim(ours);
    Path live = folder("voting-app-dev-live");
    DevLeftovers.claim(live); // this JVM: alive
    Process liveServer = serverIn(live);
    Path gone = folder("voting-app-dev-gone");
    Files.writeString(gone.resolve(DevLeftovers.OWNER_FILE), endedPid() + " 2026-01-01T00:00:00Z\n");
    Process goneServer = serverIn(gone);
    Path reused = folder("voting-app-dev-reused");
    Files.writeString(reused.resolve(DevLeftovers.OWNER_FILE), ProcessHandle.current().pid() + " " + Instant.EPOCH + "\n");
    Path unknownStart = folder("voting-app-dev-unknown-start");
    Files.writeString(unknownStart.resolve(DevLeftovers.OWNER_FILE), ProcessHandle.current().pid() + " unknown\n");
    Path unowned = folder("voting-app-dev-unowned");
    Path notDev = folder("something-else");
    Files.writeString(notDev.resolve(DevLeftovers.OWNER_FILE), endedPid() + " 2026-01-01T00:00:00Z\n");

    List<Path> removed = DevLeftovers.removeThoseOfGoneOwners(ours);

    assertThat(removed).containsExactlyInAnyOrder(gone, reused);
    assertThat(gone).doesNotExist();
    assertThat(reused).as("its PID now names another process (another start time)").doesNotExist();
    assertThat(goneServer.waitFor(10, TimeUnit.SECONDS)).as("the gone owner's server stopped").isTrue();
    assertThat(liveServer.isAlive()).as("the live owner's server").isTrue();
    assertThat(List.of(ours, live, unknownStart, unowned, notDev)).as("left alone").allMatch(Files::isDirectory);
  }

  private Path folder(String name) throws IOException {
    return Files.createDirectory(tmp.resolve(name));
  }

  /** A long sleep whose executable is a copy inside the folder. */
  private Process serverIn(Path folder) throws IOException {
    Path binary = Files.copy(Path.of("/bin/sleep"), folder.resolve("server"));
    Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
    Process server = new ProcessBuilder(binary.toString(), "600").start();
    servers.add(server);
    return server;
  }

  private static long endedPid() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    return ended.pid();
  }
}
