package dev.votingapp.ops;

import dev.votingapp.web.BadRequests;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What one process tells operators, on its management port (never published): {@code /health}
 * (liveness: the event loop answers), {@code /ready} (every dependency of every role in the process
 * answers, else 503 naming what is down) and {@code /metrics} (Prometheus). Roles register their
 * readiness checks here; the launcher serves it with {@link ManagementServer}.
 */
public final class Management {

  /** A check must answer within this, so /ready itself never hangs a prober. */
  static final long CHECK_TIMEOUT_MS = 1_000;
  /** A dependency is asked at most this often, however often /ready is asked. */
  static final long CHECK_CACHE_MS = 1_000;

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final Tracing tracing;
  private final HealthChecks liveness;
  private final HealthChecks readiness;
  private final Set<String> names = ConcurrentHashMap.newKeySet();
  /** The last readiness seen by {@link #sample()}: 1 up, 0 down; per check and as a whole. */
  private final Map<String, AtomicInteger> checkUp = new ConcurrentHashMap<>();
  private final AtomicInteger ready = new AtomicInteger();
  private volatile boolean draining;

  public Management(Vertx vertx, PrometheusMeterRegistry registry) {
    this(vertx, registry, Tracing.OFF);
  }

  public Management(Vertx vertx, PrometheusMeterRegistry registry, Tracing tracing) {
    this.vertx = vertx;
    this.registry = registry;
    this.tracing = tracing;
    this.liveness = HealthChecks.create(vertx).register("event-loop", done -> done.complete(Status.OK()));
    this.readiness = HealthChecks.create(vertx).register("accepting", CHECK_TIMEOUT_MS, done -> done.complete(
        draining ? Status.KO(new JsonObject().put("error", "shutting down")) : Status.OK()));
    Gauge.builder("voting.ready", ready, AtomicInteger::get)
        .description("1 when /ready answers 200 (every dependency of every role in the process), else 0")
        .register(registry);
  }

  /**
   * Readiness as metrics, for alerts and dashboards (Prometheus cannot ask /ready): runs the same checks,
   * which are cached, so this costs each dependency nothing more than a prober would.
   */
  Future<Void> sample() {
    return readiness.checkStatus().map(result -> {
      ready.set(result.getUp() ? 1 : 0);
      for (CheckResult check : result.getChecks() == null ? List.<CheckResult>of() : result.getChecks()) {
        checkUp.computeIfAbsent(check.getId(), id -> {
          AtomicInteger up = new AtomicInteger();
          Gauge.builder("voting.ready.check", up, AtomicInteger::get).tag("check", id)
              .description("1 when this readiness check passes, else 0").register(registry);
          return up;
        }).set(check.getUp() ? 1 : 0);
      }
      return null;
    });
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The process's OpenTelemetry; {@link Tracing#OFF} unless OTEL_* variables turned it on. */
  public Tracing tracing() {
    return tracing;
  }

  /**
   * A readiness check that asks a dependency (a PING, a SELECT 1): the future fails or times out when it
   * is down. At most one is in flight and its outcome is reused for {@link #CHECK_CACHE_MS}, so a flood
   * of /ready requests costs the dependency nothing and never competes with the work. A process
   * registers each name once (instances of a role share their dependencies).
   */
  public Management check(String name, Supplier<Future<?>> probe) {
    if (names.add(name)) {
      CachedCheck check = new CachedCheck(probe, CHECK_TIMEOUT_MS, CHECK_CACHE_MS);
      readiness.register(name, 2 * CHECK_TIMEOUT_MS, done -> check.run().onComplete(result -> done.tryComplete(
          result.succeeded() ? Status.OK() : Status.KO(new JsonObject().put("error", String.valueOf(result.cause().getMessage()))))));
    }
    return this;
  }

  /** A readiness check on what the role already knows (no I/O): the supplier returns null when all is well, else why not. */
  public Management state(String name, Supplier<String> problem) {
    if (names.add(name)) {
      readiness.register(name, CHECK_TIMEOUT_MS, done -> {
        String why = problem.get();
        done.complete(why == null ? Status.OK() : Status.KO(new JsonObject().put("error", why)));
      });
    }
    return this;
  }

  /**
   * Prometheus text, or OpenMetrics when the scraper asks for it (Prometheus does): only OpenMetrics
   * carries the exemplars that link a latency bucket to a trace.
   */
  private void metrics(RoutingContext ctx) {
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, type).end(registry.scrape(type));
  }

  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** From now on /ready answers 503, so load balancers stop sending traffic while the process shuts down. */
  public void drain() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  Router router() {
    Router router = Router.router(vertx);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    router.get("/metrics").handler(this::metrics);
    router.errorHandler(400, BadRequests::reject);
    return router;
  }
}
