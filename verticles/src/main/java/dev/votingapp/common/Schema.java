package dev.votingapp.common;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/** Creates or upgrades the schema ({@link Sql#SCHEMA}); used by every role that talks to PostgreSQL. */
public final class Schema {

  private Schema() {
  }

  /** Safe when several workers and result services start at once: one transaction under an advisory lock. */
  public static Future<Void> migrate(Pool pool) {
    return pool.withTransaction(connection -> {
      Future<?> step = connection.query(Sql.QUIET_SCHEMA_NOTICES).execute()
          .compose(quiet -> connection.query(Sql.LOCK_SCHEMA).execute());
      for (String statement : Sql.SCHEMA) {
        step = step.compose(done -> connection.query(statement).execute());
      }
      return step.mapEmpty();
    });
  }

  public static Future<Boolean> ready(Pool pool) {
    return pool.query(Sql.SCHEMA_READY).execute().map(rows -> rows.iterator().next().getBoolean(0));
  }
}
