package dev.votingapp.result;

import dev.votingapp.common.PgConfig;
import dev.votingapp.common.Schema;
import dev.votingapp.common.Sql;
import dev.votingapp.common.VoteOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.Map;

/** The result service's side of PostgreSQL: reads the per-option counts, one row per option. */
final class TallyStore {

  private final Pool pool;
  private final VoteOptions options;

  TallyStore(Vertx vertx, PgConfig config, VoteOptions options) {
    this.options = options;
    this.pool = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(4).setMaxWaitQueueSize(64))
        .connectingTo(config.connectOptions())
        .using(vertx)
        .build();
  }

  /** The result service may start before any worker (or next to the reference worker): it brings the schema too. */
  Future<Void> migrate() {
    return Schema.migrate(pool);
  }

  Future<Tally> read() {
    return pool.query(Sql.READ_TALLY).execute().map(rows -> {
      Map<String, Long> votes = new HashMap<>();
      for (Row row : rows) {
        votes.put(row.getString("vote"), row.getLong("votes"));
      }
      return Tally.of(options, votes);
    });
  }

  Future<Void> ping() {
    return pool.query(Sql.PING).execute().mapEmpty();
  }

  Future<Void> close() {
    return pool.close();
  }
}
