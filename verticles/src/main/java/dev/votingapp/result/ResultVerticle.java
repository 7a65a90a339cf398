package dev.votingapp.result;

import dev.votingapp.config.Config;
import dev.votingapp.web.BadRequests;
import dev.votingapp.web.HttpServers;
import dev.votingapp.web.Origins;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The result service's HTTP side on one event loop (port 5001, one instance per core): the results
 * page, rendered with the current tally and kept live over a WebSocket ({@code /ws}), and the same tally
 * as JSON at {@code /api/results}. The tally comes from the process's one {@link TallyFeed} over the
 * local event bus; the page and /api/results say how old it is and whether it is current with the
 * feed's latest {@link Freshness.Status}. Deploy it with {@link ResultService}.
 */
final class ResultVerticle extends VerticleBase {

  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  /** Clients send nothing but control frames: anything larger is not a results page. */
  static final int MAX_FRAME_BYTES = 1_024;

  private final Config config;
  private final ResultMetrics metrics;
  private final ClientSlots slots;
  private final Origins origins;
  private final AtomicReference<Freshness.Status> status;
  private Broadcaster clients;
  private ResultsPage page;
  private MessageConsumer<String> tallies;
  private HttpServer server;
  private long pingTimer = -1;
  private Tally current;

  ResultVerticle(Config config, ResultMetrics metrics, ClientSlots slots, AtomicReference<Freshness.Status> status) {
    this.config = config;
    this.metrics = metrics;
    this.slots = slots;
    this.origins = new Origins(config.result().allowedOrigins());
    this.status = status;
  }

  @Override
  public Future<?> start() {
    clients = new Broadcaster(vertx, metrics, slots);
    page = new ResultsPage(vertx, config.options());
    tallies = vertx.eventBus().<String>localConsumer(TallyFeed.ADDRESS, message -> update(message.body()));
    // The tally as it is now, if the feed has read one already; later ones come with ADDRESS.
    vertx.eventBus().<String>request(TallyFeed.CURRENT, "").onSuccess(reply -> {
      if (current == null) {
        update(reply.body());
      }
    });
    long pingEveryMs = Math.max(1_000, config.http().idleTimeoutSeconds() * 1_000L / 3);
    pingTimer = vertx.setPeriodic(pingEveryMs, tick -> clients.pingAll());
    // No permessage-deflate, which every browser offers: a message is ~200 bytes, and each compressing
    // connection holds zlib state (measured: ~110 KiB per viewer, 5,000 viewers took 811 MiB, not 330).
    HttpServer created = vertx.createHttpServer(HttpServers.options(config.http())
            .setMaxWebSocketFrameSize(MAX_FRAME_BYTES)
            .setMaxWebSocketMessageSize(MAX_FRAME_BYTES)
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false))
        .requestHandler(router());
    return HttpServers.listen(created, config.http().resultPort(), "RESULT_PORT")
        .onSuccess(listening -> server = listening);
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  int actualPort() {
    return server.actualPort();
  }

  /** A message of the feed: the tally with its status. */
  private void update(String message) {
    current = Tally.fromJson(message);
    clients.publish(message);
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> withTally(ctx, this::showPage));
    router.get("/api/results").handler(ctx -> withTally(ctx, this::results));
    router.get("/ws").handler(this::webSocket);
    router.get("/static/*").handler(StaticHandler.create("webroot/result"));
    // A path with an invalid %-escape fails route matching with 400.
    router.errorHandler(400, BadRequests::reject);
    return router;
  }

  /** Serves the request from the tally and its status, or with 503 until both are known. */
  private void withTally(RoutingContext ctx, TallyHandler handler) {
    Tally tally = current;
    Freshness.Status judged = status.get();
    if (tally == null || judged == null) {
      unavailable(ctx);
      return;
    }
    handler.handle(ctx, tally, judged);
  }

  @FunctionalInterface
  private interface TallyHandler {
    void handle(RoutingContext ctx, Tally tally, Freshness.Status judged);
  }

  private void showPage(RoutingContext ctx, Tally tally, Freshness.Status judged) {
    page.render(tally, judged).onSuccess(html -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .putHeader("Content-Security-Policy", CSP)
            .putHeader("X-Content-Type-Options", "nosniff")
            .end(html))
        .onFailure(ctx::fail);
  }

  private void results(RoutingContext ctx, Tally tally, Freshness.Status judged) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(judged.message(tally));
  }

  /**
   * Only pages of this site (or of RESULT_ALLOWED_ORIGINS) may open the live results, and only as many
   * viewers as RESULT_MAX_CLIENTS; past that the upgrade is refused with 503 and the page retries later.
   */
  private void webSocket(RoutingContext ctx) {
    // Browsers always send Origin on a WebSocket; clients that are not browsers may leave it out.
    if (!origins.allows(ctx.request())) {
      metrics.refused(ResultMetrics.ORIGIN);
      refuse(ctx, 403, "This page may not open the live results: its origin is not allowed.");
      return;
    }
    if (!slots.tryAcquire()) {
      metrics.refused(ResultMetrics.FULL);
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
      refuse(ctx, 503, "Too many live viewers on this instance; try again in a moment.");
      return;
    }
    ctx.request().toWebSocket().onSuccess(clients::add).onFailure(failed -> {
      slots.release();
      refuse(ctx, 400, "WebSocket upgrade expected");
    });
  }

  private static void refuse(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end(message);
    }
  }

  private static void unavailable(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    refuse(ctx, 503, "Results are not available yet: the database has not answered.");
  }

  /**
   * SIGTERM (after the launcher's drain period): close the clients with "going away", so their pages
   * reconnect to another instance, then stop accepting.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pingTimer);
    clients.closeAll();
    Future<Void> unsubscribed = tallies.unregister();
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS);
    return Future.join(unsubscribed, drained);
  }
}
