package dev.votingapp.web;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.ErrorDataDecoderException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests that cannot be read: a broken chunked body, a body cut short by the client, a path with an
 * invalid %-escape. They get a 400 (or the connection closes) and are counted in one short log line a
 * minute at most, per process: without this, each logged an ERROR with a stack trace, so anyone could
 * flood the logs.
 *
 * <p>Why they need catching: Netty hands bad chunk sizes and trailers over unwrapped, vertx-web's body
 * handler fails such a request with status 200 (it maps only DecoderException to 400), and a path that
 * cannot be decoded fails route matching with 400; with no handler for those, vertx-web logs "Unhandled
 * exception in router".
 */
public final class BadRequests {

  private static final Logger LOG = LoggerFactory.getLogger(BadRequests.class);
  static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int MAX_DETAIL = 120;
  /** Per process, so the bound holds for any number of verticle instances. */
  private static final AtomicLong UNREPORTED = new AtomicLong();
  private static final AtomicLong NEXT_REPORT = new AtomicLong(System.nanoTime());

  private BadRequests() {
  }

  /** Mount first with {@code router.route().failureHandler(...)}: other failures go on to the router's handlers. */
  public static void onFailure(RoutingContext ctx) {
    if (unreadable(ctx.failure())) {
      reject(ctx);
    } else {
      ctx.next();
    }
  }

  /** A 400 that closes the connection, counted; also the 400 handler of routers without a page of their own. */
  public static void reject(RoutingContext ctx) {
    count(ctx);
    HttpServerResponse response = ctx.response();
    if (!response.headWritten() && !response.closed()) {
      response.setStatusCode(400)
          .putHeader(HttpHeaders.CONNECTION, "close")
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end("Bad request")
          .onComplete(sent -> ctx.request().connection().close());
    } else {
      ctx.request().connection().close();
    }
  }

  public static boolean unreadable(Throwable failure) {
    if (failure instanceof ErrorDataDecoderException) {
      return false; // the body arrived whole, only its form encoding is wrong: the page says so
    }
    return failure instanceof DecoderException || failure instanceof HttpClosedException
        || failure instanceof IOException || thrownByNettyHttpCodec(failure);
  }

  /** Netty's HTTP decoder reports bad chunk sizes and trailers as plain NumberFormat/IllegalArgument exceptions. */
  private static boolean thrownByNettyHttpCodec(Throwable failure) {
    if (failure == null) {
      return false;
    }
    StackTraceElement[] trace = failure.getStackTrace();
    return trace.length > 0 && trace[0].getClassName().startsWith("io.netty.handler.codec.http.");
  }

  private static void count(RoutingContext ctx) {
    UNREPORTED.incrementAndGet();
    long now = System.nanoTime();
    long due = NEXT_REPORT.get();
    if (now - due >= 0 && NEXT_REPORT.compareAndSet(due, now + REPORT_EVERY_NANOS)) {
      Throwable failure = ctx.failure(); // null when the path could not be decoded
      String detail = ctx.request().method() + " " + ctx.request().path() + ": "
          + (failure == null ? "400" : failure.getClass().getSimpleName() + ": " + failure.getMessage());
      LOG.warn("Refused {} malformed or aborted request(s) since the last report (at most one a minute); latest: {}",
          UNREPORTED.getAndSet(0), detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail);
    }
  }
}
