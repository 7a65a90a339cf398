package dev.votingapp.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigTest {

  @Test
  void defaultsMatchTheReferenceApp() {
    Config config = Config.fromEnv(Map.of("HOSTNAME", "abc123"));

    assertThat(config.http()).isEqualTo(new HttpConfig(5000, 5001, 8081, 75, 5, 5));
    assertThat(config.options().title()).isEqualTo("Cats vs Dogs!");
    assertThat(config.redis().url()).isEqualTo("redis://localhost:6379");
    assertThat(config.redis().queueKey()).isEqualTo("votes");
    assertThat(config.pg()).isEqualTo(new PgConfig("localhost", 5432, "postgres", "postgres", null));
    assertThat(config.worker().timeoutMs()).isEqualTo(10_000);
    assertThat(config.result()).isEqualTo(new ResultConfig(1_000, 10_000, java.util.List.of(), 5_000));
    assertThat(config.vote()).isEqualTo(new VoteConfig(java.util.List.of()));
    assertThat(config.hostname()).isEqualTo("abc123");
  }

  @Test
  void everyVariableIsRead() {
    Config config = Config.fromEnv(Map.ofEntries(
        Map.entry("VOTE_PORT", "8000"), Map.entry("RESULT_PORT", "8001"), Map.entry("MANAGEMENT_PORT", "9000"),
        Map.entry("HTTP_IDLE_TIMEOUT_SECONDS", "30"), Map.entry("SHUTDOWN_DRAIN_SECONDS", "10"),
        Map.entry("WARMUP_SECONDS", "0"),
        Map.entry("RESULT_MAX_CLIENTS", "500"), Map.entry("RESULT_POLL_MS", "500"), Map.entry("RESULT_STALE_AFTER_MS", "1000"), Map.entry("RESULT_ALLOWED_ORIGINS", "https://Results.example.com, http://localhost:8080"),
        Map.entry("VOTE_ALLOWED_ORIGINS", "https://Vote.example.com"),
        Map.entry("WORKER_TIMEOUT_MS", "2000"), Map.entry("PGSSLMODE", "verify-full"),
        Map.entry("OPTION_A", "Tabs"), Map.entry("OPTION_B", "Spaces"),
        Map.entry("REDIS_URL", "redis://redis:6380/2"), Map.entry("REDIS_QUEUE", "votes:staging"),
        Map.entry("PGHOST", "db"), Map.entry("PGPORT", "6543"), Map.entry("PGDATABASE", "votes"),
        Map.entry("PGUSER", "app")));

    assertThat(config.http()).isEqualTo(new HttpConfig(8000, 8001, 9000, 30, 10, 0));
    assertThat(config.result().maxClients()).isEqualTo(500);
    assertThat(config.result().pollMs()).isEqualTo(500);
    assertThat(config.result().staleAfterMs()).isEqualTo(1_000);
    assertThat(config.result().allowedOrigins()).containsExactly("https://results.example.com", "http://localhost:8080");
    assertThat(config.vote().allowedOrigins()).containsExactly("https://vote.example.com");
    assertThat(config.worker().timeoutMs()).isEqualTo(2_000);
    assertThat(config.pg().sslMode()).isEqualTo("verify-full");
    assertThat(config.options().all()).extracting(VoteOptions.Option::label).containsExactly("Tabs", "Spaces");
    assertThat(config.redis().url()).isEqualTo("redis://redis:6380/2");
    assertThat(config.redis().queueKey()).isEqualTo("votes:staging");
    assertThat(config.pg().connectOptions().getHost()).isEqualTo("db");
    assertThat(config.pg().connectOptions().getPort()).isEqualTo(6543);
    assertThat(config.pg().connectOptions().getDatabase()).isEqualTo("votes");
    assertThat(config.pg().connectOptions().getUser()).isEqualTo("app");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "VOTE_PORT, abc",
      "RESULT_PORT, 70000",
      "MANAGEMENT_PORT, -1",
      "HTTP_IDLE_TIMEOUT_SECONDS, 0",
      "RESULT_MAX_CLIENTS, none",
      "RESULT_STALE_AFTER_MS, 50",
      "RESULT_STALE_AFTER_MS, 1500",
      "RESULT_ALLOWED_ORIGINS, evil.example",
      "RESULT_ALLOWED_ORIGINS, https://x.example/path",
      "VOTE_ALLOWED_ORIGINS, evil.example",
      "VOTE_ALLOWED_ORIGINS, null",
      "PGSSLMODE, sometimes",
      "PGSSLROOTCERT, /no/such/ca.pem",
      "REDIS_CA_CERT, /no/such/ca.pem",
      "WORKER_TIMEOUT_MS, 5",
      "WORKER_ID, has space",
      "PGPORT, 5432x",
      "REDIS_URL, http://redis:6379",
      "REDIS_URL, redis://",
      "REDIS_URL, redis://redis:notaport",
      "REDIS_URL, redis://redis:6379/db",
      "REDIS_USERNAME, has space",
  })
  void anInvalidValueIsRefusedNamingTheVariable(String name, String value) {
    assertThatThrownBy(() -> Config.fromEnv(Map.of(name, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(name);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("VOTE_PORT", "x", "PGPORT", "y", "OPTION_A", "z".repeat(65))))
        .isInstanceOfSatisfying(ConfigException.class, invalid -> assertThat(invalid.problems())
            .hasSize(3)
            .anySatisfy(problem -> assertThat(problem).startsWith("VOTE_PORT"))
            .anySatisfy(problem -> assertThat(problem).startsWith("PGPORT"))
            .anySatisfy(problem -> assertThat(problem).startsWith("OPTION_A")));
  }

  @Test
  void thePasswordComesFromAFileWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("pg_password"), "s3cret\n");

    Config config = Config.fromEnv(Map.of("PGPASSWORD_FILE", secret.toString()));

    assertThat(config.pg().password().value()).isEqualTo("s3cret");
    assertThat(config.pg().toString()).doesNotContain("s3cret");
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void anUnreadablePasswordFileIsRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> Config.fromEnv(Map.of("PGPASSWORD_FILE", dir.resolve("missing").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PGPASSWORD_FILE");
  }

  @Test
  void aPasswordAndAPasswordFileTogetherAreAmbiguous(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("pg_password"), "a");
    Map<String, String> env = new HashMap<>();
    env.put("PGPASSWORD", "b");
    env.put("PGPASSWORD_FILE", secret.toString());

    assertThatThrownBy(() -> Config.fromEnv(env)).hasMessageContaining("PGPASSWORD or PGPASSWORD_FILE");
  }

  @Test
  void aRedisAclUserComesFromRedisUsernameOrTheUrl() {
    assertThat(Config.fromEnv(Map.of("REDIS_USERNAME", "voting")).redis().username()).isEqualTo("voting");
    assertThat(Config.fromEnv(Map.of("REDIS_URL", "redis://voting@redis:6379")).redis().userInUrl()).isEqualTo("voting");
    assertThat(Config.fromEnv(Map.of("REDIS_URL", "redis://:secret@redis:6379")).redis().userInUrl()).isNull();
    assertThat(Config.fromEnv(Map.of("REDIS_USERNAME", "voting")).redis().toString()).contains("user=voting");

    assertThatThrownBy(() -> Config.fromEnv(Map.of("REDIS_URL", "redis://other@redis:6379", "REDIS_USERNAME", "voting")))
        .hasMessageContaining("REDIS_USERNAME").hasMessageContaining("REDIS_URL");
  }

  @Test
  void aRedisPasswordNeverShowsInMessages() {
    Config config = Config.fromEnv(Map.of("REDIS_URL", "redis://:hunter2@redis:6379", "REDIS_PASSWORD", "other"));
    assertThat(config.redis().safeUrl()).isEqualTo("redis://***@redis:6379");
    assertThat(config.toString()).doesNotContain("hunter2", "other");

    assertThatThrownBy(() -> Config.fromEnv(Map.of("REDIS_URL", "redis://:hunter2@redis:port")))
        .hasMessageContaining("REDIS_URL").hasMessageNotContaining("hunter2");
  }
}
