package dev.votingapp.launcher;

import static dev.votingapp.launcher.EmbeddedFolder.processesUsing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code java -jar voting-app.jar dev}: the whole app in one JVM, and nothing left behind at exit. */
class DevModeIT {

  @Test
  void devRunsTheWholeAppAndLeavesNoProcessOrFolderBehind() throws Exception {
    Map<String, String> env = Map.of("VOTE_PORT", "0", "RESULT_PORT", "0", "MANAGEMENT_PORT", "0");
    try (AppProcess dev = AppProcess.start(env, "dev")) {
      Duration start = Duration.ofSeconds(120);
      Browser ballot = new Browser(dev.port("vote", start));
      Browser results = new Browser(dev.port("result", start));
      Browser management = new Browser(dev.port("management", start));
      Await.until("every role ready", start, () -> management.isOk("/ready"));
      Path folder = EmbeddedFolder.of(dev);
      assertThat(folder).isDirectory();
      assertThat(dev.output()).as("dev logs one short human line per event by default")
          .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  dev    Started dev: vote on :\\d+")
          .doesNotContain("{\"timestamp\"");
      assertThat(processesUsing(folder)).as("embedded servers running from the folder").isNotEmpty();

      assertThat(ballot.get("/").body()).contains("Cats vs Dogs!");
      assertThat(results.get("/").body()).contains("No votes yet");
      assertThat(ballot.postForm("/", "vote=a").statusCode()).isEqualTo(200);
      Await.until("the vote is counted", Duration.ofSeconds(20),
          () -> new JsonObject(results.get("/api/results").body()).getLong("total") == 1);
      assertThat(results.get("/").body()).contains("1 vote", "id=\"percent-a\">100.0%");

      dev.terminate();

      assertThat(dev.exitCode(Duration.ofSeconds(60))).isZero();
      assertThat(Files.exists(folder)).as(folder + " removed").isFalse();
      assertThat(processesUsing(folder)).as("no embedded server left running").isEmpty();
    }
  }
}
