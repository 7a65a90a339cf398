package dev.votingapp.result;

import dev.votingapp.common.Config;
import dev.votingapp.common.HttpServers;
import dev.votingapp.common.Probes;
import dev.votingapp.common.Retry;
import dev.votingapp.common.VoteOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result service (port 5001): the results page, rendered with the current tally and kept live over
 * a WebSocket ({@code /ws}), and the same tally as JSON at {@code /api/results}.
 *
 * <p>{@code start()} completes once the port is bound; the schema and the LISTEN connection come up in
 * the background, retrying while PostgreSQL is away (the service reports not-ready meanwhile).
 */
public final class ResultVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ResultVerticle.class);
  private static final String TEMPLATE = "templates/result/results.ftl";
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Config config;
  private final PrometheusMeterRegistry registry;
  private TallyStore store;
  private TallyFeed feed;
  private Broadcaster clients;
  private Probes probes;
  private FreeMarkerTemplateEngine templates;
  private HttpServer server;
  private Tally renderedTally;
  private Buffer renderedPage;
  private volatile boolean schemaReady;
  private volatile boolean stopping;

  public ResultVerticle(Config config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    store = new TallyStore(vertx, config.pg(), config.options());
    ResultMetrics metrics = new ResultMetrics(registry);
    clients = new Broadcaster(vertx, metrics);
    feed = new TallyFeed(vertx, store, config.pg(), metrics, config.resultPollMs(),
        tally -> clients.publish(tally.toJson()));
    templates = FreeMarkerTemplateEngine.create(vertx);
    probes = new Probes(registry)
        .check("postgres", store::ping)
        .check("schema", () -> schemaReady ? Future.succeededFuture() : Future.failedFuture("schema not migrated yet"))
        .check("listen", () -> feed.listening() ? Future.succeededFuture()
            : Future.failedFuture("not listening for tally notifications"));
    return vertx.createHttpServer(HttpServers.options()).requestHandler(router()).listen(config.resultPort())
        .onSuccess(listening -> {
          server = listening;
          migrate();
        });
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** The schema first (PostgreSQL may not be up yet), then the LISTEN connection and the poll. */
  private void migrate() {
    AtomicBoolean warned = new AtomicBoolean();
    Retry.untilSucceeded(vertx, 1_000, () -> stopping, store::migrate, failure -> {
          if (warned.compareAndSet(false, true)) {
            LOG.warn("Cannot migrate the schema yet, retrying every second: {}", failure.getMessage());
          }
        })
        .onSuccess(migrated -> {
          schemaReady = true;
          feed.start();
        });
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.get("/").handler(this::page);
    router.get("/api/results").handler(this::results);
    router.get("/ws").handler(this::webSocket);
    router.get("/static/*").handler(StaticHandler.create("webroot/result"));
    probes.mount(router);
    return router;
  }

  private void page(RoutingContext ctx) {
    Tally tally = feed.current();
    if (tally == null) {
      unavailable(ctx);
      return;
    }
    Future<Buffer> page = tally.equals(renderedTally) ? Future.succeededFuture(renderedPage)
        : templates.render(model(tally), TEMPLATE).onSuccess(html -> {
          renderedTally = tally;
          renderedPage = html;
        });
    page.onSuccess(html -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .putHeader("Content-Security-Policy", CSP)
            .putHeader("X-Content-Type-Options", "nosniff")
            .end(html))
        .onFailure(ctx::fail);
  }

  private void results(RoutingContext ctx) {
    Tally tally = feed.current();
    if (tally == null) {
      unavailable(ctx);
      return;
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(tally.toJson());
  }

  private void webSocket(RoutingContext ctx) {
    ctx.request().toWebSocket().onSuccess(clients::add).onFailure(failed -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(400).end("WebSocket upgrade expected");
      }
    });
  }

  private static void unavailable(RoutingContext ctx) {
    ctx.response().setStatusCode(503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(HttpHeaders.RETRY_AFTER, "1")
        .end("Results are not available yet: the database has not answered.");
  }

  private Map<String, Object> model(Tally tally) {
    VoteOptions options = config.options();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Tally.Count count : tally.counts()) {
      rows.add(Map.of("id", count.id(), "label", count.label(), "votes", String.valueOf(count.votes()),
          "percent", Tally.percent(count.votes(), tally.total())));
    }
    Map<String, Object> model = new HashMap<>();
    model.put("title", options.title());
    model.put("options", rows);
    model.put("total", Tally.votesText(tally.total()));
    return model;
  }

  /** SIGTERM: not ready, close the clients (their pages reconnect to another instance), then the rest. */
  @Override
  public Future<?> stop() {
    stopping = true;
    probes.stopping();
    feed.stop();
    clients.closeAll();
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS);
    return drained.eventually(store::close);
  }
}
