package dev.votingapp.testing;

import dev.votingapp.config.PgConfig;
import dev.votingapp.link.PgPools;
import dev.votingapp.store.Schema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Direct SQL on a test database, to prepare data and to look at what the app wrote: the tests' only
 * PostgreSQL pool, built by {@link PgPools} as the app builds its own.
 */
public final class Db implements AutoCloseable {

  private final PgConfig config;
  private final Pool pool;

  public Db(Vertx vertx, PgConfig config) {
    this.config = config;
    pool = PgPools.create(vertx, config, 2, "voting-test");
  }

  /** With up to {@code connections} statements at once, and no limit on those waiting (for concurrent writers). */
  public Db(Vertx vertx, PgConfig config, int connections) {
    this.config = config;
    pool = PgPools.create(vertx, config, new PoolOptions().setMaxSize(connections), "voting-test");
  }

  /** On a new, empty database of the test's own ({@link TestServers#newDatabase()}). */
  public static Db onNewDatabase(Vertx vertx) {
    return new Db(vertx, TestServers.newDatabase());
  }

  /** The database it works on, as the app would be pointed at it. */
  public PgConfig config() {
    return config;
  }

  /** The pool, for statements the test runs concurrently or inside a transaction. */
  public Pool pool() {
    return pool;
  }

  /** The rows a statement returns, once it has run. */
  public Future<List<Row>> query(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.from(params)).map(result -> {
      List<Row> rows = new ArrayList<>();
      result.forEach(rows::add);
      return rows;
    });
  }

  public void execute(String sql, Object... params) {
    Await.result(query(sql, params));
  }

  public List<Row> rows(String sql, Object... params) {
    return Await.result(query(sql, params));
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

  /** Each vote of {@code expected} (voter id to option) that the table does not hold, as "voter=a (table: null)". */
  public List<String> missing(Map<String, String> expected) {
    Map<String, String> written = new HashMap<>();
    rows("SELECT id, vote FROM votes").forEach(row -> written.put(row.getString("id"), row.getString("vote")));
    List<String> missing = new ArrayList<>();
    expected.forEach((voter, choice) -> {
      if (!choice.equals(written.get(voter))) {
        missing.add(voter + "=" + choice + " (table: " + written.get(voter) + ")");
      }
    });
    return missing;
  }

  public boolean tableExists(String table) {
    return count("SELECT count(*) FROM pg_tables WHERE tablename = $1", table) > 0;
  }

  /** Brings the schema up to date, as the worker does at start. */
  public Db migrate() {
    Await.result(Schema.migrate(pool));
    return this;
  }

  /** A connection of the caller's own (for a transaction held open), returned with close(). */
  public SqlConnection connection() {
    return Await.result(pool.getConnection());
  }

  public Future<Void> closeAsync() {
    return pool.close();
  }

  @Override
  public void close() {
    Await.result(closeAsync());
  }
}
