package dev.votingapp.common;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operations endpoints every role serves: {@code /health} (liveness: the event loop answers),
 * {@code /ready} (every dependency answers, else 503 naming what is down) and {@code /metrics}.
 */
public final class Probes {

  /** A dependency check must answer within this, so /ready itself never hangs a prober. */
  static final long CHECK_TIMEOUT_MS = 1_000;

  private final Map<String, Supplier<Future<?>>> checks = new LinkedHashMap<>();
  private final PrometheusMeterRegistry registry;
  private volatile boolean stopping;

  public Probes(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers a readiness check; the future fails (or times out) when the dependency is down. */
  public Probes check(String dependency, Supplier<Future<?>> probe) {
    checks.put(dependency, probe);
    return this;
  }

  /** From now on /ready answers 503, so a load balancer drains this instance while it shuts down. */
  public void stopping() {
    stopping = true;
  }

  public void mount(Router router) {
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }

  private void health(RoutingContext ctx) {
    sendJson(ctx, 200, new JsonObject().put("status", "UP"));
  }

  private void ready(RoutingContext ctx) {
    List<String> names = new ArrayList<>(checks.keySet());
    List<Future<?>> results = new ArrayList<>();
    for (String name : names) {
      results.add(run(checks.get(name)));
    }
    Future.join(results).onComplete(done -> {
      JsonObject report = new JsonObject();
      List<String> down = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        Future<?> result = results.get(i);
        if (result.succeeded()) {
          report.put(names.get(i), new JsonObject().put("status", "UP"));
        } else {
          down.add(names.get(i));
          report.put(names.get(i), new JsonObject().put("status", "DOWN")
              .put("error", String.valueOf(result.cause().getMessage())));
        }
      }
      if (stopping) {
        down.add("shutting down");
      }
      JsonObject body = new JsonObject()
          .put("status", down.isEmpty() ? "UP" : "DOWN")
          .put("checks", report);
      if (!down.isEmpty()) {
        body.put("down", down);
      }
      sendJson(ctx, down.isEmpty() ? 200 : 503, body);
    });
  }

  private static Future<?> run(Supplier<Future<?>> probe) {
    try {
      return probe.get().timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException failed) {
      return Future.failedFuture(failed);
    }
  }

  private static void sendJson(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
