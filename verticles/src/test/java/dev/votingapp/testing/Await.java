package dev.votingapp.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: for a future, or for a condition, always with a deadline, never a bare sleep. */
public final class Await {

  /** The deadline for what an app in the test's JVM does next: a vote stored, a page updated. */
  public static final Duration SOON = Duration.ofSeconds(20);
  /**
   * The deadline for what waits on a process or server the test started besides (a second Redis, a
   * PostgreSQL cluster of its own, a rotated password, a browser, a collector).
   */
  public static final Duration LATER = Duration.ofSeconds(30);

  private static final Duration DEFAULT = SOON;

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEFAULT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException failed) {
      Throwable cause = failed.getCause();
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    } catch (TimeoutException | InterruptedException notInTime) {
      throw new IllegalStateException("future not complete within " + DEFAULT, notInTime);
    }
  }

  /** Polls until the supplier has a value; fails with the description after the deadline. */
  public static <T> T untilPresent(String description, Duration deadline, Supplier<Optional<T>> value) {
    AtomicReference<T> found = new AtomicReference<>();
    until(description, deadline, () -> {
      value.get().ifPresent(found::set);
      return found.get() != null;
    });
    return found.get();
  }

  /**
   * Asks the condition every 50 ms, on Vert.x timers, until it answers true; fails with the description
   * after the deadline. A condition that fails (a refused connection) counts as not yet.
   */
  public static Future<Void> eventually(Vertx vertx, String description, Duration deadline,
      Supplier<Future<Boolean>> condition) {
    Promise<Void> held = Promise.promise();
    poll(vertx, description, deadline, Instant.now().plus(deadline), condition, held);
    return held.future();
  }

  private static void poll(Vertx vertx, String description, Duration deadline, Instant end,
      Supplier<Future<Boolean>> condition, Promise<Void> held) {
    condition.get().otherwise(false).onComplete(answer -> {
      if (Boolean.TRUE.equals(answer.result())) {
        held.complete();
      } else if (Instant.now().isAfter(end)) {
        held.fail(new AssertionError("not within " + deadline + ": " + description));
      } else {
        vertx.setTimer(50, next -> poll(vertx, description, deadline, end, condition, held));
      }
    });
  }

  /** Polls the condition every 50 ms until it holds; fails with the description after the deadline. */
  public static void until(String description, Duration deadline, BooleanSupplier condition) {
    Instant end = Instant.now().plus(deadline);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("not within " + deadline + ": " + description);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + description);
      }
    }
  }
}
