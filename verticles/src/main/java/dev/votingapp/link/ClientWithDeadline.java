package dev.votingapp.link;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@link PgLink} and {@link RedisLink} share: a client of one's own, made when first needed, with a
 * deadline on every piece of work. Work that misses its deadline closes the client and its connections:
 * a black-holed connection (no answer, no reset) would otherwise hold every later piece of work for the
 * kernel's retransmission time, about 15 minutes, while everything else looks healthy. The next piece of
 * work makes a new client, which connects again.
 *
 * @param <C> the client: a PostgreSQL pool, a Redis client
 */
final class ClientWithDeadline<C> {

  private final Supplier<C> create;
  private final Function<C, Future<Void>> close;
  private C client;

  ClientWithDeadline(Supplier<C> create, Function<C, Future<Void>> close) {
    this.create = create;
    this.close = close;
  }

  /** Runs {@code work} on the client; a miss of {@code deadlineMs} fails it with a TimeoutException. */
  <T> Future<T> run(Function<C, Future<T>> work, long deadlineMs) {
    C current = client();
    Future<T> started;
    try {
      started = work.apply(current);
    } catch (RuntimeException failed) {
      started = Future.failedFuture(failed);
    }
    return started.timeout(deadlineMs, TimeUnit.MILLISECONDS).onFailure(failed -> {
      if (failed instanceof TimeoutException) {
        reset(current);
      }
    });
  }

  synchronized Future<Void> close() {
    C current = client;
    client = null;
    return current == null ? Future.succeededFuture() : close.apply(current);
  }

  private synchronized C client() {
    if (client == null) {
      client = create.get();
    }
    return client;
  }

  /** Closes a stuck client; the next piece of work makes another, unless one was made meanwhile. */
  private synchronized void reset(C stuck) {
    if (client == stuck) {
      client = null;
    }
    close.apply(stuck);
  }
}
