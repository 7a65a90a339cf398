package dev.votingapp.testing;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Configuration for a role under test, built through the same environment parsing the launcher uses:
 * every port 0 (the system picks one), and only the variables the test names.
 */
public final class TestConfig {

  private final Map<String, String> env = new HashMap<>();

  private TestConfig() {
    env.put("VOTE_PORT", "0");
    env.put("RESULT_PORT", "0");
    env.put("MANAGEMENT_PORT", "0");
    env.put("HOSTNAME", "test-host-1");
    // The worker's warm-up would add its seconds to every test that starts one; WorkerWarmUpIT sets it.
    env.put("WARMUP_SECONDS", "0");
  }

  /** The configuration with these variables set. */
  public static Config of(Map<String, String> overrides) {
    return new TestConfig().with(overrides).config();
  }

  /** A configuration to build, pointed at this database (its PG* variables). */
  public static TestConfig on(PgConfig pg) {
    return new TestConfig().with(pgEnv(pg));
  }

  /** A configuration to build, pointed at this Redis list (REDIS_URL, REDIS_QUEUE). */
  public static TestConfig queue(String redisUrl, String queue) {
    return new TestConfig().queueOn(redisUrl, queue);
  }

  /** REDIS_URL and REDIS_QUEUE. */
  public TestConfig queueOn(String redisUrl, String queue) {
    return with("REDIS_URL", redisUrl).with("REDIS_QUEUE", queue);
  }

  public TestConfig with(String name, String value) {
    env.put(name, value);
    return this;
  }

  public TestConfig with(Map<String, String> variables) {
    env.putAll(variables);
    return this;
  }

  public Config config() {
    return Config.fromEnv(env);
  }

  /** The PG* variables that point the app at this database. */
  public static Map<String, String> pgEnv(PgConfig pg) {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", pg.host());
    env.put("PGPORT", String.valueOf(pg.port()));
    env.put("PGDATABASE", pg.database());
    env.put("PGUSER", pg.user());
    if (pg.password() != null) {
      env.put("PGPASSWORD", pg.password().value());
    }
    return env;
  }
}
