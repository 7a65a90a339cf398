package dev.votingapp.testing;

import dev.votingapp.common.Config;
import dev.votingapp.common.PgConfig;
import dev.votingapp.common.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * A Vert.x instance with metrics, as the launcher builds it, and configuration built through the same
 * environment parsing the launcher uses.
 */
public final class TestApp implements AutoCloseable {

  public final PrometheusMeterRegistry registry = Telemetry.newRegistry();
  public final Vertx vertx = Telemetry.newVertx(registry);

  public static Config config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("VOTE_PORT", "0");
    env.put("RESULT_PORT", "0");
    env.put("WORKER_PORT", "0");
    env.put("HOSTNAME", "test-host-1");
    env.putAll(overrides);
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
      env.put("PGPASSWORD", pg.password());
    }
    return env;
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
