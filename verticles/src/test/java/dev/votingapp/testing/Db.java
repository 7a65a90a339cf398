package dev.votingapp.testing;

import dev.votingapp.common.PgConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Direct SQL on a test database, to prepare data and to look at what the app wrote. */
public final class Db implements AutoCloseable {

  private final Pool pool;

  public Db(Vertx vertx, PgConfig config) {
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(config.connectOptions()).using(vertx).build();
  }

  public void execute(String sql, Object... params) {
    Await.result(pool.preparedQuery(sql).execute(Tuple.from(params)));
  }

  public List<Row> rows(String sql, Object... params) {
    List<Row> rows = new ArrayList<>();
    Await.result(pool.preparedQuery(sql).execute(Tuple.from(params))).forEach(rows::add);
    return rows;
  }

  public long count(String sql, Object... params) {
    return rows(sql, params).get(0).getLong(0);
  }

  /** voter id to option, for the voters whose id starts with the prefix. */
  public Map<String, String> votes(String idPrefix) {
    Map<String, String> votes = new HashMap<>();
    for (Row row : rows("SELECT id, vote FROM votes WHERE id LIKE $1", idPrefix + "%")) {
      votes.put(row.getString("id"), row.getString("vote"));
    }
    return votes;
  }

  @Override
  public void close() {
    Await.result(pool.close());
  }
}
