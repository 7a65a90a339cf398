package dev.votingapp.testing;

import io.vertx.sqlclient.SqlConnection;

/** Holds the votes table so no one can write it (readers still can), until closed. */
public final class TableLock implements AutoCloseable {

  private final SqlConnection connection;

  public TableLock(Db db) {
    connection = db.connection();
    Await.result(connection.query("BEGIN").execute());
    Await.result(connection.query("LOCK TABLE votes IN EXCLUSIVE MODE").execute());
  }

  @Override
  public void close() {
    Await.result(connection.query("COMMIT").execute());
    Await.result(connection.close());
  }
}
