package dev.votingapp.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A password file is read again for every connection; a moment without it keeps the last content. */
class SecretTest {

  @Test
  void aRewrittenFileIsReadAtTheNextConnection(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("pg_password"), "first\n");
    PgConfig pg = Config.fromEnv(Map.of("PGPASSWORD_FILE", file.toString())).pg();
    assertThat(pg.connectOptions().getPassword()).isEqualTo("first");

    Files.writeString(file, "second\n");

    assertThat(pg.connectOptions().getPassword()).isEqualTo("second");
  }

  @Test
  void aFileThatIsGoneOrEmptyForAMomentKeepsTheLastContent(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("redis_password"), "first\n");
    Secret secret = Config.fromEnv(Map.of("REDIS_PASSWORD_FILE", file.toString())).redis().password();

    Files.writeString(file, ""); // an editor's rewrite, half done
    assertThat(secret.value()).isEqualTo("first");
    Files.delete(file);
    assertThat(secret.value()).isEqualTo("first");
    Files.writeString(file, "second");
    assertThat(secret.value()).isEqualTo("second");
  }

  @Test
  void aValueFromTheEnvironmentStaysAndNeverShows() {
    Secret secret = Config.fromEnv(Map.of("PGPASSWORD", "hunter2")).pg().password();

    assertThat(secret.value()).isEqualTo("hunter2");
    assertThat(secret.toString()).doesNotContain("hunter2");
    assertThat(secret.nextAttempt()).contains("PGPASSWORD stays the same until a restart").doesNotContain("hunter2");
  }
}
