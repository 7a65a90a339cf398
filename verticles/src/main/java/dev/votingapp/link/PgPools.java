package dev.votingapp.link;

import dev.votingapp.config.PgConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Every PostgreSQL pool of the app (and of its tests) comes from here. */
public final class PgPools {

  private PgPools() {
  }

  /**
   * A pool of at most {@code maxSize} connections. The name shows as application_name in
   * pg_stat_activity, so an operator can tell the worker's connections from the result service's. Each
   * new connection reads the password afresh ({@link PgConfig#connector}), so a rotated password file
   * is used from the next connection on.
   */
  public static Pool create(Vertx vertx, PgConfig config, int maxSize, String name) {
    return create(vertx, config, new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(64), name);
  }

  public static Pool create(Vertx vertx, PgConfig config, PoolOptions pool, String name) {
    return PgBuilder.pool()
        .with(pool)
        .with(new NetClientOptions().setConnectTimeout(5_000).setTcpKeepAlive(true))
        .connectingTo(config.connector(name))
        .using(vertx)
        .build();
  }
}
