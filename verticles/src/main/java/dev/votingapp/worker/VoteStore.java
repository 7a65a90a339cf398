package dev.votingapp.worker;

import dev.votingapp.link.PgLink;
import dev.votingapp.store.Sql;
import dev.votingapp.store.VoteMessage;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A lane's side of PostgreSQL: one upsert per batch, on a connection of the lane's own. */
final class VoteStore {

  /** A vote the database refused (bad data that passed parsing), with the database's reason. */
  record Refused(VoteMessage vote, String reason) {
  }

  private final PgLink link;
  private final boolean rollBack;

  VoteStore(PgLink link) {
    this(link, false);
  }

  private VoteStore(PgLink link, boolean rollBack) {
    this.link = link;
    this.rollBack = rollBack;
  }

  /** The warm-up's store: the same statement, in a transaction that is rolled back, so nothing is written. */
  static VoteStore rolledBack(PgLink link) {
    return new VoteStore(link, true);
  }

  /**
   * Writes the batch in one statement (one transaction), within the link's deadline. If the database
   * refuses the data itself (SQLSTATE class 22, e.g. a character it cannot store), each vote is written
   * on its own so only the bad ones are refused and the rest still land.
   */
  Future<List<Refused>> upsert(List<VoteMessage> votes, String traceparent) {
    if (votes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (rollBack) {
      return link.run(pool -> pool.withConnection(connection -> connection.begin().compose(transaction ->
          connection.preparedQuery(Sql.UPSERT_VOTES).execute(tuple(votes, traceparent)).eventually(transaction::rollback))))
          .map(List.of());
    }
    return link.run(pool -> pool.preparedQuery(Sql.UPSERT_VOTES).execute(tuple(votes, traceparent))
        .<List<Refused>>map(done -> List.of())
        .recover(failure -> isDataError(failure)
            ? pool.withConnection(connection -> oneByOne(connection, votes, traceparent))
            : Future.failedFuture(failure)));
  }

  private static Future<List<Refused>> oneByOne(SqlConnection connection, List<VoteMessage> votes, String traceparent) {
    List<Refused> refused = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (VoteMessage vote : votes) {
      chain = chain.compose(previous -> writeOne(connection, vote, traceparent, refused));
    }
    return chain.map(done -> refused);
  }

  private static Future<Void> writeOne(SqlConnection connection, VoteMessage vote, String traceparent, List<Refused> refused) {
    return connection.preparedQuery(Sql.UPSERT_VOTES).execute(tuple(List.of(vote), traceparent))
        .<Void>mapEmpty()
        .recover(failure -> {
          if (!isDataError(failure)) {
            return Future.failedFuture(failure);
          }
          refused.add(new Refused(vote, failure.getMessage()));
          return Future.succeededFuture();
        });
  }

  /**
   * Rows in voter-id order: concurrent batches (lanes, workers) then lock the rows they share in the
   * same order and cannot deadlock each other.
   */
  private static Tuple tuple(List<VoteMessage> unordered, String traceparent) {
    List<VoteMessage> votes = new ArrayList<>(unordered);
    votes.sort(Comparator.comparing(VoteMessage::voterId));
    String[] ids = new String[votes.size()];
    String[] options = new String[votes.size()];
    Long[] times = new Long[votes.size()];
    for (int i = 0; i < votes.size(); i++) {
      VoteMessage vote = votes.get(i);
      ids[i] = vote.voterId();
      options[i] = vote.vote();
      times[i] = vote.timestampMicros();
    }
    return Tuple.of(ids, options, times, traceparent);
  }

  private static boolean isDataError(Throwable failure) {
    return failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22");
  }

  Future<Void> close() {
    return link.close();
  }
}
