package dev.votingapp.ops;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A dependency probe with at most one call in flight and its outcome reused for a short while. */
final class CachedCheck {

  private final Supplier<Future<?>> probe;
  private final long timeoutMs;
  private final long cacheNanos;
  private Future<Void> inFlight;
  private AsyncResult<Void> last;
  private long lastAt;

  CachedCheck(Supplier<Future<?>> probe, long timeoutMs, long cacheMs) {
    this.probe = probe;
    this.timeoutMs = timeoutMs;
    this.cacheNanos = TimeUnit.MILLISECONDS.toNanos(cacheMs);
  }

  synchronized Future<Void> run() {
    if (inFlight != null) {
      return inFlight;
    }
    if (last != null && System.nanoTime() - lastAt < cacheNanos) {
      return last.succeeded() ? Future.succeededFuture() : Future.failedFuture(last.cause());
    }
    Promise<Void> outcome = Promise.promise();
    inFlight = outcome.future();
    Future<?> attempt;
    try {
      attempt = probe.get();
    } catch (RuntimeException failed) {
      attempt = Future.failedFuture(failed);
    }
    attempt.timeout(timeoutMs, TimeUnit.MILLISECONDS).<Void>mapEmpty().onComplete(result -> {
      synchronized (this) {
        last = result;
        lastAt = System.nanoTime();
        inFlight = null;
      }
      outcome.handle(result);
    });
    return outcome.future();
  }
}
