package dev.votingapp.launcher;

import static dev.votingapp.launcher.EmbeddedFolder.processesUsing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code dev} killed with SIGKILL (an IDE's stop button, the OOM killer) runs no shutdown hook, yet its
 * embedded Redis and PostgreSQL and their folder must not outlive it: they go by themselves within
 * seconds, or, when whatever would do that was killed too, at the next {@code dev} start. Another
 * {@code dev}, still running beside them, is never touched.
 */
class DevKilledIT {

  private static final Duration START = Duration.ofSeconds(120);
  /** Stopping two idle servers takes a second or two; the rest is room for a busy machine. */
  private static final Duration GONE = Duration.ofSeconds(30);

  private static AppProcess live;
  private static Path liveFolder;
  private static List<ProcessHandle> liveServers;

  @BeforeAll
  static void startADevThatStaysUp() {
    live = startDev();
    liveFolder = EmbeddedFolder.of(live);
    liveServers = processesUsing(liveFolder);
    assertThat(liveServers).as("the live dev's Redis and PostgreSQL").hasSizeGreaterThanOrEqualTo(2);
  }

  @AfterAll
  static void stopIt() throws Exception {
    live.terminate();
    assertThat(live.exitCode(Duration.ofSeconds(60))).isZero();
    live.close();
  }

  @Test
  void theServersOfAKilledDevStopAndItsFolderIsRemovedWithinSeconds() throws Exception {
    try (AppProcess killed = startDev()) {
      Path folder = EmbeddedFolder.of(killed);
      assertThat(processesUsing(folder)).as("its Redis and PostgreSQL").hasSizeGreaterThanOrEqualTo(2);

      killed.kill();
      assertThat(killed.exitCode(Duration.ofSeconds(10))).as("killed by SIGKILL").isEqualTo(137);

      Await.until("the killed dev's servers stopped and " + folder + " removed, with no other dev started", GONE,
          () -> processesUsing(folder).isEmpty() && !Files.exists(folder));
    }
    assertLiveDevUntouched();
  }

  @Test
  void theNextDevStartCleansUpWhatAKilledDevLeftWhenNothingElseCould() throws Exception {
    Path folder;
    try (AppProcess killed = startDev()) {
      folder = EmbeddedFolder.of(killed);
      // The whole tree at once, as an IDE may stop it: the JVM and every process it started that is still
      // its descendant. PostgreSQL is not (pg_ctl detaches it), so it stays, with the folder.
      List<ProcessHandle> tree = killed.handle().descendants().toList();
      killed.kill();
      tree.forEach(ProcessHandle::destroyForcibly);
      assertThat(killed.exitCode(Duration.ofSeconds(10))).as("killed by SIGKILL").isEqualTo(137);
      for (ProcessHandle process : tree) {
        process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    assertThat(processesUsing(folder)).as("left running by the killed dev: its PostgreSQL").isNotEmpty();
    assertThat(folder).as("left behind by the killed dev").isDirectory();

    try (AppProcess next = startDev()) {
      Await.until("the next dev start stopped what was left running and removed " + folder, GONE,
          () -> processesUsing(folder).isEmpty() && !Files.exists(folder));
      assertThat(next.output()).contains("Removed what a dev process that is gone left behind: " + folder);
      next.terminate();
      assertThat(next.exitCode(Duration.ofSeconds(60))).isZero();
    }
    assertLiveDevUntouched();
  }

  private static AppProcess startDev() {
    AppProcess dev = AppProcess.start(Map.of("VOTE_PORT", "0", "RESULT_PORT", "0", "MANAGEMENT_PORT", "0"), "dev");
    Browser management = new Browser(dev.port("management", START));
    Await.until("every role ready", START, () -> management.isOk("/ready"));
    return dev;
  }

  /** Its folder, its very server processes, and a vote it still takes. */
  private static void assertLiveDevUntouched() {
    assertThat(liveFolder).as("the live dev's folder").isDirectory();
    assertThat(liveServers).as("the live dev's servers").allMatch(ProcessHandle::isAlive);
    Browser ballot = new Browser(live.port("vote", Duration.ofSeconds(1)));
    assertThat(ballot.postForm("/", "vote=a").statusCode()).as("the live dev takes a vote").isEqualTo(200);
  }
}
