package dev.votingapp.result;

import dev.votingapp.common.PgLink;
import dev.votingapp.common.Schema;
import dev.votingapp.common.Sql;
import dev.votingapp.common.VoteOptions;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.Map;

/**
 * The result service's side of PostgreSQL: reads the per-option counts, one row per option. It only
 * reads: the service runs with a role that may SELECT and LISTEN, nothing else.
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

  Future<Void> ping() {
    return link.ping();
  }

  Future<Void> close() {
    return link.close();
  }
}
