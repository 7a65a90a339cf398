package dev.votingapp.vote;

import dev.votingapp.config.Config;
import dev.votingapp.ops.Management;
import dev.votingapp.web.BadRequests;
import dev.votingapp.web.HttpServers;
import dev.votingapp.web.Origins;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vote service (port 5000): the ballot page, and {@code POST /} with form field {@code vote},
 * which queues the vote in Redis and shows the voter their choice once Redis has it.
 */
public final class VoteVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(VoteVerticle.class);

  /** A vote form is ~50 bytes; anything much larger is not a vote. */
  static final long BODY_LIMIT_BYTES = 4 * 1024;

  private static final CharSequence TEXT_HTML = HttpHeaders.createOptimized("text/html; charset=utf-8");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private static final CharSequence CSP = HttpHeaders.createOptimized(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
          + "frame-ancestors 'none'; base-uri 'none'");
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence SAME_ORIGIN = HttpHeaders.createOptimized("same-origin");

  private final Config config;
  private final Management management;
  private final Origins origins;
  private VoteQueue queue;
  private VoteMetrics metrics;
  private BallotPage page;
  private HttpServer server;

  public VoteVerticle(Config config, Management management) {
    this.config = config;
    this.management = management;
    this.origins = new Origins(config.vote().allowedOrigins());
  }

  @Override
  public Future<?> start() {
    queue = new VoteQueue(vertx, config.redis(), management.tracing());
    metrics = new VoteMetrics(management.registry());
    // Not part of starting: the service comes up without Redis and reports not-ready.
    management.check("redis", queue::ping);
    return BallotPage.render(vertx, config.options(), config.hostname())
        .compose(rendered -> {
          page = rendered;
          HttpServer created = vertx.createHttpServer(HttpServers.options(config.http())).requestHandler(router());
          return HttpServers.listen(created, config.http().votePort(), "VOTE_PORT");
        })
        .onSuccess(listening -> server = listening);
  }

  /**
   * Graceful: stop accepting, let requests in flight finish (their Redis calls too), then close. The
   * launcher has already turned /ready to 503 for the drain period, so load balancers have moved on.
   */
  @Override
  public Future<?> stop() {
    Future<Void> drained = server == null ? Future.succeededFuture() : server.shutdown(10, TimeUnit.SECONDS);
    return drained.eventually(queue::close);
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private Router router() {
    Router router = Router.router(vertx);
    // First, so a body that cannot be read (broken chunking, a client gone) never reaches the error handlers.
    router.route().failureHandler(BadRequests::onFailure);
    router.get("/").handler(this::ballot);
    router.head("/").handler(this::ballot);
    // One route (one route label in the HTTP metrics): the origin check, then the ballot's own form.
    router.post("/").handler(this::sameSite).handler(this::simpleForm);
    router.post("/")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
        .handler(this::vote);
    router.get("/static/*").handler(StaticHandler.create("webroot/vote"));
    router.errorHandler(400, this::badRequest);
    router.errorHandler(404, this::notFound);
    router.errorHandler(405, this::notAllowed);
    router.errorHandler(413, ctx -> reject(ctx, VoterId.of(ctx.request()), Rejection.BODY_TOO_LARGE));
    router.errorHandler(500, this::internalError);
    return router;
  }

  private void ballot(RoutingContext ctx) {
    sendPage(ctx, 200, page.ballot(), VoterId.of(ctx.request()));
  }

  /**
   * Before the body is read: a vote posted by another site's page (a hidden form that submits itself)
   * would be cast by every visitor's browser, each as a new voter. It gets 403 and no voter cookie.
   */
  private void sameSite(RoutingContext ctx) {
    if (origins.allows(ctx.request())) {
      ctx.next();
    } else {
      reject(ctx, null, Rejection.CROSS_SITE);
    }
  }

  /** The ballot's own form, the common case, decoded here; any other body goes on to BodyHandler. */
  private void simpleForm(RoutingContext ctx) {
    if (!VoteForm.simple(ctx.request(), BODY_LIMIT_BYTES)) {
      ctx.next();
      return;
    }
    ctx.request().body().onComplete(read -> {
      if (read.failed()) {
        ctx.fail(400, read.cause());
        return;
      }
      List<String> choices;
      try {
        choices = VoteForm.votes(read.result());
      } catch (IllegalArgumentException undecodable) {
        reject(ctx, VoterId.of(ctx.request()), Rejection.MISSING_VOTE);
        return;
      }
      vote(ctx, choices);
    });
  }

  private void vote(RoutingContext ctx) {
    vote(ctx, ctx.request().formAttributes().getAll("vote"));
  }

  private void vote(RoutingContext ctx, List<String> choices) {
    String voterId = VoterId.of(ctx.request());
    if (choices.isEmpty() || choices.get(0).isBlank()) {
      reject(ctx, voterId, Rejection.MISSING_VOTE);
    } else if (choices.size() > 1) {
      reject(ctx, voterId, Rejection.SEVERAL_VOTES);
    } else if (config.options().byId(choices.get(0)).isEmpty()) {
      reject(ctx, voterId, Rejection.UNKNOWN_OPTION);
    } else {
      queueVote(ctx, voterId, choices.get(0));
    }
  }

  /** The checkmark is shown only after Redis acknowledged the vote; otherwise the voter is told it did not count. */
  private void queueVote(RoutingContext ctx, String voterId, String option) {
    queue.push(voterId, option, management.tracing().currentHeaders()).onComplete(pushed -> {
      if (pushed.succeeded()) {
        metrics.accept(option);
        sendPage(ctx, 200, page.voted(option), voterId);
      } else {
        metrics.redisFailure(pushed.cause());
        sendPage(ctx, 503, page.notRecorded(), voterId);
      }
    });
  }

  private void reject(RoutingContext ctx, String voterId, Rejection reason) {
    metrics.reject(reason);
    sendPage(ctx, reason.status(), page.rejected(reason), voterId);
  }

  /** A form that does not decode is a vote without a choice; a request that cannot be read at all is not a voter's. */
  private void badRequest(RoutingContext ctx) {
    if (ctx.failure() == null || BadRequests.unreadable(ctx.failure())) {
      BadRequests.reject(ctx);
    } else {
      reject(ctx, VoterId.of(ctx.request()), Rejection.MISSING_VOTE);
    }
  }

  private void notFound(RoutingContext ctx) {
    sendPage(ctx, 404, page.notFound(), null);
  }

  private void notAllowed(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.ALLOW, "/".equals(ctx.normalizedPath()) ? "GET, HEAD, POST" : "GET");
    sendPage(ctx, 405, page.notAllowed(), null);
  }

  private void internalError(RoutingContext ctx) {
    LOG.error("Unexpected failure on {} {}", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
    if (!ctx.response().headWritten()) {
      ctx.response().setStatusCode(500).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("Internal error");
    }
  }

  private static void sendPage(RoutingContext ctx, int status, Buffer html, String voterId) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (voterId != null) {
      response.headers().add(HttpHeaders.SET_COOKIE, VoterId.setCookie(voterId));
    }
    MultiMap headers = response.headers();
    headers.set(HttpHeaders.CONTENT_TYPE, TEXT_HTML);
    headers.set(HttpHeaders.CACHE_CONTROL, NO_STORE);
    headers.set("Content-Security-Policy", CSP);
    headers.set("X-Content-Type-Options", NOSNIFF);
    headers.set("Referrer-Policy", SAME_ORIGIN);
    response.setStatusCode(status).end(html);
  }
}
