package dev.votingapp.result;

import dev.votingapp.config.VoteOptions;
import dev.votingapp.link.PgLink;
import dev.votingapp.store.Schema;
import dev.votingapp.store.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;

/**
 * The result service's side of PostgreSQL: reads the per-option counts, one row per option, and the
 * workers' report of the votes waiting. It only reads: the service runs with a role that may SELECT and
 * LISTEN, nothing else.
 */
final class TallyStore {

  private final PgLink link;
  private final VoteOptions options;

  TallyStore(PgLink link, VoteOptions options) {
    this.link = link;
    this.options = options;
  }

  /** The schema is in place (the worker or the migrate command brings it). */
  Future<Boolean> schemaReady() {
    return link.run(Schema::ready);
  }

  Future<Tally> read() {
    return link.run(pool -> pool.query(Sql.READ_TALLY).execute()).map(rows -> {
      Map<String, Long> votes = new HashMap<>();
      for (Row row : rows) {
        votes.put(row.getString("vote"), row.getLong("votes"));
      }
      return Tally.of(options, votes);
    });
  }

  /** The votes waiting by the newest worker report of the last {@code seconds}; null when there is none. */
  Future<Long> waiting(int seconds) {
    return link.run(pool -> pool.preparedQuery(Sql.READ_BACKLOG).execute(Tuple.of(seconds)))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong("waiting"));
  }

  Future<Void> ping() {
    return link.ping();
  }

  Future<Void> close() {
    return link.close();
  }
}
