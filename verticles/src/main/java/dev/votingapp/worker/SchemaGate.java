package dev.votingapp.worker;

import dev.votingapp.store.Schema;
import dev.votingapp.store.Sql;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;

/**
 * The worker's schema at start: up to date, or brought up to date when the worker's role may (the dev
 * and all roles, with a superuser), or else waited for. The worker's own login (in voting_writer) may
 * not change the schema: then the check fails with {@link Behind}, which says what to run, and later
 * checks only read the version until `migrate` has run (each try to migrate would log a permission
 * error on the server).
 */
final class SchemaGate {

  /** SQLSTATE insufficient_privilege: permission denied, must be owner. */
  private static final String DENIED = "42501";

  private boolean mayMigrate = true;

  /** Succeeds once the schema is at the version this code needs. */
  Future<Void> check(Pool pool) {
    return Schema.version(pool).transform(read -> {
      if (read.failed()) {
        if (denied(read.cause())) {
          mayMigrate = false;
          return Future.failedFuture(new Behind(null));
        }
        return Future.failedFuture(read.cause());
      }
      int current = read.result();
      if (current >= Sql.SCHEMA_VERSION) {
        return Future.succeededFuture();
      }
      if (!mayMigrate) {
        return Future.failedFuture(new Behind(current));
      }
      return Schema.migrate(pool).recover(failure -> {
        if (!denied(failure)) {
          return Future.failedFuture(failure);
        }
        mayMigrate = false;
        return Future.failedFuture(new Behind(current));
      });
    });
  }

  private static boolean denied(Throwable failure) {
    return failure instanceof PgException pg && DENIED.equals(pg.getSqlState());
  }

  /** The schema is older than this code, and this role may not change it. */
  static final class Behind extends RuntimeException {
    Behind(Integer current) {
      super("schema at version " + (current == null ? "unknown (this role may not read " + Sql.SCHEMA_TABLE + ")" : current)
          + ", this worker needs " + Sql.SCHEMA_VERSION + ": run `migrate` (the worker's role may not change the schema)",
          null, false, false);
    }
  }
}
