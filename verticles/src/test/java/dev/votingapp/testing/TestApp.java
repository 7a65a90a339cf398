package dev.votingapp.testing;

import dev.votingapp.config.Config;
import dev.votingapp.ops.Management;
import dev.votingapp.ops.ManagementServer;
import dev.votingapp.config.PgConfig;
import dev.votingapp.ops.Telemetry;
import dev.votingapp.ops.Tracing;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * One process of the app, as the launcher builds it: a Vert.x instance with metrics, its
 * {@link Management} and the management server on a port of its own, and configuration built through the
 * same environment parsing the launcher uses.
 */
public final class TestApp implements AutoCloseable {

  public final PrometheusMeterRegistry registry;
  public final Vertx vertx;
  public final Management management;
  private final ManagementServer server;

  public TestApp() {
    this(Tracing.OFF);
  }

  /** With tracing as the launcher sets it up (the test gives it an OpenTelemetry of its own). */
  public TestApp(Tracing tracing) {
    registry = Telemetry.newRegistry("all", tracing);
    vertx = Telemetry.newVertx(registry, tracing);
    management = new Management(vertx, registry, tracing);
    server = new ManagementServer(management, config(Map.of()).http());
    Await.result(vertx.deployVerticle(server));
  }

  /** The process's /health, /ready and /metrics. */
  public Browser managementPort() {
    return new Browser(server.actualPort());
  }

  public int managementPortNumber() {
    return server.actualPort();
  }

  /** The body of /metrics. */
  public String metrics() {
    return managementPort().get("/metrics").body();
  }

  public static Config config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("VOTE_PORT", "0");
    env.put("RESULT_PORT", "0");
    env.put("MANAGEMENT_PORT", "0");
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
      env.put("PGPASSWORD", pg.password().value());
    }
    return env;
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
