package dev.votingapp.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Brings the schema to {@link Sql#SCHEMA_VERSION} with the versioned {@link Sql#MIGRATIONS}. Run by the
 * worker at start and by the {@code migrate} command, both with a role that may change the schema;
 * the result service only waits for it ({@link #ready}).
 */
public final class Schema {

  private Schema() {
  }

  /**
   * Does nothing, and locks nothing but the version table, when the schema is up to date. Otherwise
   * applies what is missing in one transaction under an advisory lock (workers may start together),
   * with a lock timeout on the DDL; a migration that times out fails and is retried by the caller.
   */
  public static Future<Void> migrate(Pool pool) {
    return version(pool).compose(current -> current >= Sql.SCHEMA_VERSION ? Future.succeededFuture()
        : pool.withTransaction(Schema::applyMissing));
  }

  /** The schema is at the version this code needs. */
  public static Future<Boolean> ready(Pool pool) {
    return version(pool).map(current -> current >= Sql.SCHEMA_VERSION);
  }

  /** The applied version; 0 for a database this app has not migrated yet. */
  public static Future<Integer> version(Pool pool) {
    return pool.query(Sql.SCHEMA_TABLE_EXISTS).execute()
        .compose(exists -> !exists.iterator().next().getBoolean(0) ? Future.succeededFuture(0)
            : pool.query(Sql.SCHEMA_VERSION_READ).execute().map(rows -> rows.iterator().next().getInteger(0)));
  }

  private static Future<Void> applyMissing(SqlConnection connection) {
    return connection.query(Sql.QUIET_SCHEMA_NOTICES).execute()
        .compose(quiet -> connection.query(Sql.MIGRATION_LOCK_TIMEOUT).execute())
        .compose(timeout -> connection.query(Sql.LOCK_SCHEMA).execute())
        .compose(locked -> connection.query(Sql.SCHEMA_TABLE_CREATE).execute())
        // Another process may have migrated while this one waited for the advisory lock.
        .compose(created -> connection.query(Sql.SCHEMA_VERSION_READ).execute())
        .compose(rows -> {
          int current = rows.iterator().next().getInteger(0);
          Future<?> step = Future.succeededFuture();
          for (Sql.Migration migration : Sql.MIGRATIONS) {
            if (migration.version() > current) {
              step = step.compose(previous -> apply(connection, migration));
            }
          }
          return step.mapEmpty();
        });
  }

  private static Future<Void> apply(SqlConnection connection, Sql.Migration migration) {
    Future<?> step = Future.succeededFuture();
    for (String statement : migration.statements()) {
      step = step.compose(previous -> connection.query(statement).execute());
    }
    return step.compose(done -> connection.preparedQuery(Sql.SCHEMA_VERSION_RECORD)
        .execute(Tuple.of(migration.version(), migration.description()))).mapEmpty();
  }
}
