package dev.votingapp.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.store.Sql;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.ScramPostgres;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The roles command on a PostgreSQL that checks passwords (scram-sha-256): each login logs in with the
 * password of its file and may do exactly its job; running it again with a new file changes that
 * password; bad input fails naming the variable and changes nothing; a schema the master owns moves to
 * the owner, also when the master is no superuser (as on RDS).
 */
@ExtendWith(VertxExtension.class)
class RolesIT {

  private static ScramPostgres postgres;
  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void cluster(Vertx injected) throws Exception {
    postgres = ScramPostgres.start();
    vertx = injected;
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void eachLoginLogsInWithItsFileAndMayDoExactlyItsJob() throws Exception {
    PgConfig master = postgres.superuser();
    Map<String, String> passwords = Map.of("OWNER", password(), "WORKER", password(), "RESULT", password(), "MONITOR", password());
    Map<String, String> env = env(master, passwords);

    assertThat(roles(env)).isZero();
    assertThat(Migrate.run(Config.fromEnv(as(env, "voting_owner", "OWNER")), 10)).as("migrate as the owner").isZero();

    try (Db admin = new Db(vertx, master)) {
      assertThat(admin.rows("SELECT rolname FROM pg_roles WHERE rolname IN ('voting_owner', 'worker', 'result', 'voting_monitor')"
          + " AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls OR NOT rolcanlogin)")).isEmpty();
      assertThat(admin.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'voting_owner'")).isEmpty();
    }
    try (Db worker = login(master, "worker", passwords.get("WORKER"))) {
      worker.execute(Sql.UPSERT_VOTES, new String[] {"roles-voter-1"}, new String[] {"a"}, new Long[] {1L}, "");
      assertThat(worker.count("SELECT count(*) FROM votes")).isEqualTo(1);
      denied(worker, "CREATE TABLE worker_table (id INT)", "DROP TABLE votes", "DELETE FROM votes", "ALTER TABLE votes ADD COLUMN x INT");
    }
    try (Db result = login(master, "result", passwords.get("RESULT"))) {
      assertThat(result.count("SELECT sum(votes) FROM vote_tally")).isEqualTo(1);
      denied(result, "INSERT INTO votes (id, vote) VALUES ('roles-voter-2', 'b')", "UPDATE votes SET vote = 'b'",
          "CREATE TABLE result_table (id INT)");
    }
    try (Db monitor = login(master, "voting_monitor", passwords.get("MONITOR"))) {
      assertThat(monitor.rows("SELECT 1 WHERE pg_has_role('pg_monitor', 'MEMBER')")).hasSize(1);
      denied(monitor, "SELECT count(*) FROM votes");
    }
  }

  @Test
  void runningItAgainWithANewFileChangesThatPassword() throws Exception {
    PgConfig master = postgres.superuser();
    String old = password();
    assertThat(roles(env(master, Map.of("WORKER", old)))).isZero();
    String changed = password();

    assertThat(roles(env(master, Map.of("WORKER", changed)))).isZero();

    try (Db worker = login(master, "worker", changed)) {
      assertThat(worker.count("SELECT 1")).isEqualTo(1);
    }
    refusedLogin(master, "worker", old);
  }

  @Test
  void badInputFailsNamingTheVariableAndChangesNothing() throws Exception {
    PgConfig master = postgres.superuser();
    Map<String, String> passwords = new HashMap<>(Map.of("RESULT", password()));
    assertThat(roles(env(master, passwords))).isZero();
    String kept = passwords.get("RESULT");
    passwords.put("RESULT", password()); // must not be set: the same run has bad input

    Map<String, String> missingFile = env(master, passwords);
    missingFile.put("WORKER_DB_PASSWORD_FILE", dir.resolve("no-such-file").toString());
    expectFailure(missingFile, "WORKER_DB_PASSWORD_FILE names a file that cannot be read");
    Map<String, String> badName = env(master, passwords);
    badName.put("OWNER_DB_USER", "Robert'); DROP TABLE votes;--");
    badName.put("OWNER_DB_PASSWORD_FILE", file("OWNER", password()));
    expectFailure(badName, "OWNER_DB_USER must be a PostgreSQL role name");
    Map<String, String> theMaster = env(master, passwords);
    theMaster.put("WORKER_DB_USER", "postgres");
    theMaster.put("WORKER_DB_PASSWORD_FILE", file("WORKER", password()));
    expectFailure(theMaster, "WORKER_DB_USER must not be PGUSER (postgres)");
    Map<String, String> emptyFile = env(master, passwords);
    emptyFile.put("MONITOR_DB_PASSWORD_FILE", Files.writeString(dir.resolve("empty"), "").toString());
    expectFailure(emptyFile, "MONITOR_DB_PASSWORD_FILE names an empty file");

    try (Db result = login(master, "result", kept)) {
      assertThat(result.count("SELECT 1")).as("the result password unchanged").isEqualTo(1);
    }
  }

  /** Upgrading: the master created the schema (as the worker used to); roles gives it to the owner. */
  @Test
  void aSchemaTheMasterOwnsMovesToTheOwnerAlsoWhenTheMasterIsNoSuperuser() throws Exception {
    String masterPassword = password();
    try (Db admin = new Db(vertx, postgres.superuser())) {
      admin.execute("CREATE ROLE rds_master LOGIN CREATEROLE PASSWORD '" + masterPassword + "'");
      admin.execute("CREATE DATABASE legacy OWNER rds_master");
    }
    PgConfig master = postgres.superuser().on("legacy").as("rds_master", masterPassword);
    try (Db asMaster = new Db(vertx, master)) {
      asMaster.migrate(); // master-owned tables and trigger function
      asMaster.execute("INSERT INTO votes (id, vote) VALUES ('legacy-voter', 'b')");
    }
    Map<String, String> passwords = Map.of("OWNER", password(), "WORKER", password(), "RESULT", password(), "MONITOR", password());
    Map<String, String> env = env(master, passwords);

    assertThat(roles(env)).isZero();

    try (Db owner = login(master, "voting_owner", passwords.get("OWNER"))) {
      assertThat(owner.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'voting_owner'")).isEmpty();
      assertThat(owner.rows("SELECT proname FROM pg_proc WHERE proname = 'vote_tally_apply' AND proowner::regrole::text <> 'voting_owner'")).isEmpty();
      // Only an owner may comment on a table or a function.
      owner.execute("COMMENT ON TABLE votes IS 'one row per voter'");
      owner.execute("COMMENT ON FUNCTION vote_tally_apply() IS 'keeps vote_tally'");
    }
    try (Db result = login(master, "result", passwords.get("RESULT"))) {
      assertThat(result.count("SELECT count(*) FROM votes")).isEqualTo(1);
    }
    assertThat(roles(env)).as("again: nothing left to move").isZero();
  }

  /** The command as the launcher runs it: its exit status. */
  private static int roles(Map<String, String> env) {
    return Roles.run(env, Config.fromEnv(env));
  }

  private static void expectFailure(Map<String, String> env, String message) {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    try {
      assertThat(roles(env)).as("exit status with " + message).isEqualTo(1);
      assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(line -> line.contains(message));
    } finally {
      root.detachAppender(logs);
    }
  }

  private Map<String, String> env(PgConfig master, Map<String, String> passwords) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("PGHOST", master.host(), "PGPORT", String.valueOf(master.port()),
        "PGDATABASE", master.database(), "PGUSER", master.user(), "PGPASSWORD_FILE", file("master", master.password().value()),
        "ROLES_WAIT_SECONDS", "5"));
    for (Map.Entry<String, String> login : passwords.entrySet()) {
      env.put(login.getKey() + "_DB_PASSWORD_FILE", file(login.getKey(), login.getValue()));
    }
    return env;
  }

  /** The same environment, as the given login with its password file (the migrate command's view). */
  private static Map<String, String> as(Map<String, String> env, String user, String prefix) {
    Map<String, String> as = new HashMap<>(env);
    as.put("PGUSER", user);
    as.put("PGPASSWORD_FILE", env.get(prefix + "_DB_PASSWORD_FILE"));
    return as;
  }

  private String file(String name, String content) throws Exception {
    return Files.writeString(Files.createTempFile(dir, name, ".txt"), content + "\n").toString();
  }

  private static Db login(PgConfig master, String user, String password) {
    return new Db(vertx, master.as(user, password));
  }

  private static void refusedLogin(PgConfig master, String user, String password) {
    try (Db db = login(master, user, password)) {
      assertThatThrownBy(() -> db.count("SELECT 1")).isInstanceOfSatisfying(PgException.class,
          refused -> assertThat(refused.getSqlState()).isEqualTo("28P01"));
    }
  }

  private static void denied(Db db, String... statements) {
    for (String statement : statements) {
      assertThatThrownBy(() -> db.execute(statement)).as(statement)
          .isInstanceOfSatisfying(PgException.class, denied -> assertThat(denied.getSqlState()).isEqualTo("42501"));
    }
  }

  private static String password() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
