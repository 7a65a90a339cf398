package dev.votingapp.link;

import dev.votingapp.config.PgConfig;
import dev.votingapp.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A small PostgreSQL pool of one's own with a deadline on every piece of work. Work that misses its
 * deadline closes the pool's connections: a black-holed connection would otherwise hold its queries
 * for the kernel's retransmission time (about 15 minutes) while everything else looks healthy. The next
 * piece of work connects again. PostgreSQL rolls back whatever the closed connection had not committed.
 * A refused login fails the work with a {@link dev.votingapp.config.LoginRefused} that says why and what happens next.
 */
public final class PgLink {

  private final Vertx vertx;
  private final PgConfig config;
  private final int connections;
  private final String name;
  private final long timeoutMs;
  private Pool pool;

  public PgLink(Vertx vertx, PgConfig config, int connections, String name, long timeoutMs) {
    this.vertx = vertx;
    this.config = config;
    this.connections = connections;
    this.name = name;
    this.timeoutMs = timeoutMs;
  }

  public <T> Future<T> run(Function<Pool, Future<T>> work) {
    return run(work, timeoutMs);
  }

  public <T> Future<T> run(Function<Pool, Future<T>> work, long deadlineMs) {
    Pool current = pool();
    Future<T> started;
    try {
      started = work.apply(current);
    } catch (RuntimeException failed) {
      started = Future.failedFuture(failed);
    }
    return started.timeout(deadlineMs, TimeUnit.MILLISECONDS).recover(failed -> {
      if (failed instanceof TimeoutException) {
        reset(current);
      }
      return Future.failedFuture(config.explain(failed));
    });
  }

  public Future<Void> ping() {
    return run(pool -> pool.query(Sql.PING).execute()).mapEmpty();
  }

  public synchronized Future<Void> close() {
    Pool current = pool;
    pool = null;
    return current == null ? Future.succeededFuture() : current.close();
  }

  private synchronized Pool pool() {
    if (pool == null) {
      pool = PgPools.create(vertx, config, connections, name);
    }
    return pool;
  }

  private synchronized void reset(Pool stuck) {
    if (pool == stuck) {
      pool = null;
    }
    stuck.close();
  }
}
