package dev.votingapp.ops;

import dev.votingapp.config.HttpConfig;
import dev.votingapp.web.HttpServers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;

/** Serves a process's {@link Management} endpoints on MANAGEMENT_PORT; ready once the port is bound. */
public final class ManagementServer extends VerticleBase {

  private final Management management;
  private final HttpConfig http;
  private HttpServer server;

  public ManagementServer(Management management, HttpConfig http) {
    this.management = management;
    this.http = http;
  }

  /** How often readiness is turned into the voting_ready metrics. */
  static final long SAMPLE_EVERY_MS = 5_000;

  @Override
  public Future<?> start() {
    vertx.setPeriodic(0, SAMPLE_EVERY_MS, tick -> management.sample());
    HttpServer created = vertx.createHttpServer(HttpServers.options(http)).requestHandler(management.router());
    return HttpServers.listen(created, http.managementPort(), "MANAGEMENT_PORT")
        .onSuccess(listening -> server = listening);
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(1, TimeUnit.SECONDS);
  }
}
