package dev.votingapp.testing;

import dev.votingapp.ops.Management;
import dev.votingapp.ops.ManagementServer;
import dev.votingapp.ops.Telemetry;
import dev.votingapp.ops.Tracing;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One process of the app, as the launcher builds it: a Vert.x instance with metrics, its
 * {@link Management} and the management server on a port of its own. A test class annotated with
 * {@code @ExtendWith(VertxExtension.class)} gets one as a parameter (started before, closed after, by
 * {@link InProcessAppProvider}); a test that needs more processes asks it for {@link #another()}.
 */
public final class InProcessApp {

  public final PrometheusMeterRegistry registry;
  public final Vertx vertx;
  public final Management management;
  private final ManagementServer server;
  private final List<InProcessApp> others = new CopyOnWriteArrayList<>();

  private InProcessApp(Tracing tracing) {
    registry = Telemetry.newRegistry("all", tracing);
    vertx = Telemetry.newVertx(registry, tracing);
    management = new Management(vertx, registry, tracing);
    server = new ManagementServer(management, TestConfig.of(Map.of()).http());
  }

  /** A process without tracing, once its management port is bound. */
  public static Future<InProcessApp> start() {
    return start(Tracing.OFF);
  }

  /** With tracing as the launcher sets it up (the test gives it an OpenTelemetry of its own). */
  public static Future<InProcessApp> start(Tracing tracing) {
    InProcessApp app = new InProcessApp(tracing);
    return app.vertx.deployVerticle(app.server)
        .map(deployed -> app)
        .recover(failed -> app.vertx.close().transform(closed -> Future.failedFuture(failed)));
  }

  /** Another process (a separate Vert.x, as a separate role would run), closed when this one is. */
  public InProcessApp another() {
    InProcessApp other = Await.result(start());
    others.add(other);
    return other;
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

  /** The body of /metrics, read without blocking (for a test that chains futures). */
  public Future<String> scrape() {
    return WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/metrics").send()
        .map(HttpResponse::bodyAsString);
  }

  /** Completes once /ready answers 200, or fails after the deadline (without blocking). */
  public Future<Void> whenReady(Duration deadline) {
    WebClient client = WebClient.create(vertx);
    return Await.eventually(vertx, "/ready answers 200", deadline,
        () -> client.get(server.actualPort(), "127.0.0.1", "/ready").send().map(answer -> answer.statusCode() == 200));
  }

  /** Whether /ready answers 200 now. */
  public boolean ready() {
    return managementPort().get("/ready").statusCode() == 200;
  }

  /** Stops the other processes, then every verticle and the Vert.x instance, as the process ending would. */
  public Future<Void> close() {
    return Future.join(others.stream().map(InProcessApp::close).toList()).transform(othersClosed -> vertx.close());
  }
}
