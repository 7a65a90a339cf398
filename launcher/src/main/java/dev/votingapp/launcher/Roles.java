package dev.votingapp.launcher;

import dev.votingapp.config.Config;
import dev.votingapp.config.ConfigException;
import dev.votingapp.link.Outage;
import dev.votingapp.link.PgLink;
import dev.votingapp.link.Retry;
import dev.votingapp.store.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar voting-app.jar roles}: the database roles of the app, made or brought up to date by
 * the master user (the PG* variables), in one transaction, so a failure changes nothing. Run it first
 * on a new database, and again after a password changes: that is the rotation step.
 * <ul>
 *   <li>the group roles voting_reader and voting_writer (NOLOGIN); the migrations grant them their rights;</li>
 *   <li>a login for each *_DB_PASSWORD_FILE given ({@link RolesConfig}), with no attribute beyond LOGIN,
 *       its password set from its file on every run, and in its group;</li>
 *   <li>the owner (OWNER_DB_USER): CREATE on schema public, and the app's tables and functions when
 *       someone else owns them (the master did, before this command existed).</li>
 * </ul>
 * Exit 0 when done; 1 for bad input (nothing connects), a master that may not create roles, or
 * PostgreSQL still unreachable after ROLES_WAIT_SECONDS.
 */
final class Roles {

  private static final Logger LOG = LoggerFactory.getLogger(Roles.class);

  private Roles() {
  }

  static int run(Map<String, String> env, Config config) {
    RolesConfig roles;
    try {
      roles = RolesConfig.fromEnv(env, config.pg().user());
    } catch (ConfigException invalid) {
      invalid.problems().forEach(problem -> LOG.error("Invalid configuration: {}", problem));
      return 1;
    }
    if (roles.logins().isEmpty()) {
      LOG.warn("No *_DB_PASSWORD_FILE given: only the group roles are made");
    }
    Vertx vertx = Vertx.vertx();
    PgLink link = new PgLink(vertx, config.pg(), 1, "voting-roles", TimeUnit.MINUTES.toMillis(1));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(roles.waitSeconds());
    Outage outage = new Outage(LOG, "Cannot reach PostgreSQL as " + config.pg() + " yet, retrying every second", "PostgreSQL answers");
    // An error from the server itself (no right to do something) is final; only reaching it is retried.
    AtomicReference<Throwable> refused = new AtomicReference<>();
    try {
      Retry.untilSucceeded(vertx, 1_000, () -> refused.get() != null || System.nanoTime() > deadline,
          () -> link.run(pool -> pool.withTransaction(connection -> provision(connection, roles))),
          failure -> {
            if (failure instanceof PgException || failure instanceof Refused) {
              refused.set(failure);
            } else {
              outage.failed(failure);
            }
          })
          .toCompletionStage().toCompletableFuture().get();
      outage.recovered();
      LOG.info("Roles of {} are up to date", config.pg());
      return 0;
    } catch (Exception failed) {
      Throwable why = refused.get();
      LOG.error("Could not provision the roles of {}: {}", config.pg(), why != null ? why.getMessage()
          : "PostgreSQL not reachable within " + roles.waitSeconds() + " s (ROLES_WAIT_SECONDS): " + outage.reason());
      return 1;
    } finally {
      link.close().eventually(vertx::close);
    }
  }

  private static Future<Void> provision(SqlConnection connection, RolesConfig roles) {
    return connection.query(Sql.Roles.ME).execute().compose(rows -> {
      Row me = rows.iterator().next();
      if (!me.getBoolean(1)) {
        return Future.failedFuture(new Refused("PGUSER " + me.getString(0)
            + " may not create roles: run roles as the master user (a superuser, or CREATEROLE as on RDS)"));
      }
      Future<Void> steps = group(connection, Sql.READER_ROLE).compose(done -> group(connection, Sql.WRITER_ROLE));
      for (RolesConfig.Login login : roles.logins()) {
        steps = steps.compose(done -> login(connection, login));
        if (login.owner()) {
          steps = steps.compose(done -> owner(connection, me.getString(0), login.user()));
        }
      }
      return steps;
    });
  }

  private static Future<Void> group(SqlConnection connection, String group) {
    return connection.preparedQuery(Sql.Roles.ATTRIBUTES).execute(Tuple.of(group)).compose(found -> {
      if (found.size() > 0) {
        return Future.succeededFuture();
      }
      LOG.info("Creating the group role {}", group);
      return run(connection, Sql.Roles.createGroup(group));
    });
  }

  /** Creates the login, or checks the one there has no rights beyond it; then its password, then its group. */
  private static Future<Void> login(SqlConnection connection, RolesConfig.Login login) {
    return connection.preparedQuery(Sql.Roles.ATTRIBUTES).execute(Tuple.of(login.user())).compose(found -> {
      if (found.size() == 0) {
        LOG.info("Creating the login role {} ({})", login.user(), login.userVariable());
        return run(connection, Sql.Roles.createLogin(login.user()));
      }
      String extra = found.iterator().next().getString(0);
      return extra.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new Refused("the role " + login.user()
          + " (" + login.userVariable() + ") exists with " + extra + ": an application login gets no such right."
          + " Remove it (ALTER ROLE " + login.user() + " NO...) or name another role"));
    }).compose(created -> {
      LOG.info("Setting the password of {} from {}", login.user(), login.passwordVariable());
      return run(connection, Sql.Roles.setPassword(login.user(), ScramVerifier.of(login.password().value())));
    }).compose(set -> login.owner() ? Future.succeededFuture()
        : connection.preparedQuery(Sql.Roles.MEMBER).execute(Tuple.of(login.group(), login.user())).compose(member -> {
          if (member.iterator().next().getBoolean(0)) {
            return Future.succeededFuture();
          }
          LOG.info("Adding {} to {}", login.user(), login.group());
          return run(connection, Sql.Roles.grant(login.group(), login.user()));
        }));
  }

  /**
   * The owner may create in schema public (PostgreSQL 15 gives that to no one by default, and older ones
   * give it to everyone: taken back), and owns the app's objects. To give them away the master must be
   * able to act as the owner: a superuser can; RDS's master is made a member of it first.
   */
  private static Future<Void> owner(SqlConnection connection, String me, String owner) {
    return run(connection, Sql.Roles.schemaFor(owner))
        .compose(granted -> run(connection, Sql.Roles.NO_PUBLIC_CREATE))
        .compose(revoked -> connection.preparedQuery(Sql.Roles.OWNED_BY_OTHERS).execute(Tuple.of(
            Sql.Roles.APP_TABLES.toArray(String[]::new), Sql.Roles.APP_FUNCTIONS.toArray(String[]::new), owner)))
        .compose(others -> {
          if (others.size() == 0) {
            return Future.succeededFuture();
          }
          List<String> moves = new ArrayList<>();
          List<String> names = new ArrayList<>();
          for (Row row : others) {
            moves.add(Sql.Roles.ownedBy(row.getString(0), row.getString(1), owner));
            names.add(row.getString(1) + " (" + row.getString(2) + ")");
          }
          LOG.info("Giving {} to the owner {}", String.join(", ", names), owner);
          return connection.preparedQuery(Sql.Roles.ACTS_AS).execute(Tuple.of(owner))
              .compose(acts -> acts.iterator().next().getBoolean(0) ? Future.succeededFuture()
                  : run(connection, Sql.Roles.grantToMe(owner)).onSuccess(made -> LOG.info("{} is now a member of {}", me, owner)))
              .compose(member -> {
                Future<Void> moved = Future.succeededFuture();
                for (String move : moves) {
                  moved = moved.compose(previous -> run(connection, move));
                }
                return moved;
              });
        });
  }

  private static Future<Void> run(SqlConnection connection, String statement) {
    return connection.query(statement).execute().mapEmpty();
  }

  /** The master may not do what roles needs, or a role is not fit for an application: final, not retried. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
