package dev.votingapp.link;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Start-up steps that wait for a dependency: try, and after a failure try again, until it works. */
public final class Retry {

  private Retry() {
  }

  /**
   * Completes with the first success of {@code attempt}, trying again {@code delayMs} after each failure
   * (reported to {@code onFailure}); fails once {@code stopped} says the caller is shutting down.
   */
  public static <T> Future<T> untilSucceeded(Vertx vertx, long delayMs, BooleanSupplier stopped,
                                             Supplier<Future<T>> attempt, Consumer<Throwable> onFailure) {
    Promise<T> done = Promise.promise();
    tryOnce(vertx, delayMs, stopped, attempt, onFailure, done);
    return done.future();
  }

  private static <T> void tryOnce(Vertx vertx, long delayMs, BooleanSupplier stopped, Supplier<Future<T>> attempt,
                                  Consumer<Throwable> onFailure, Promise<T> done) {
    if (stopped.getAsBoolean()) {
      done.tryFail("stopped before it succeeded");
      return;
    }
    attempt.get().onComplete(result -> {
      if (result.succeeded()) {
        done.tryComplete(result.result());
      } else if (stopped.getAsBoolean()) {
        // Failed because the process is closing its clients: not an outage worth reporting.
        done.tryFail("stopped before it succeeded");
      } else {
        onFailure.accept(result.cause());
        vertx.setTimer(delayMs, retry -> tryOnce(vertx, delayMs, stopped, attempt, onFailure, done));
      }
    });
  }
}
