package dev.votingapp.link;

import dev.votingapp.config.PgConfig;
import dev.votingapp.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.function.Function;

/**
 * A small PostgreSQL pool of one's own with a deadline on every piece of work: work that misses it
 * closes the pool's connections and the next one connects again ({@link ClientWithDeadline}).
 * PostgreSQL rolls back whatever the closed connection had not committed. A refused login fails the
 * work with a {@link dev.votingapp.config.LoginRefused} that says why and what happens next.
 */
public final class PgLink {

  private final PgConfig config;
  private final long timeoutMs;
  private final ClientWithDeadline<Pool> pool;

  public PgLink(Vertx vertx, PgConfig config, int connections, String name, long timeoutMs) {
    this.config = config;
    this.timeoutMs = timeoutMs;
    this.pool = new ClientWithDeadline<>(() -> PgPools.create(vertx, config, connections, name), Pool::close);
  }

  public <T> Future<T> run(Function<Pool, Future<T>> work) {
    return run(work, timeoutMs);
  }

  public <T> Future<T> run(Function<Pool, Future<T>> work, long deadlineMs) {
    return pool.run(work, deadlineMs).recover(failed -> Future.failedFuture(config.explain(failed)));
  }

  public Future<Void> ping() {
    return run(pool -> pool.query(Sql.PING).execute()).mapEmpty();
  }

  public Future<Void> close() {
    return pool.close();
  }
}
