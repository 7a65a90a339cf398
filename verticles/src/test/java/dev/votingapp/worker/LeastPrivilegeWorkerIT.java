package dev.votingapp.worker;

import static dev.votingapp.testing.Await.LATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.store.Sql;
import dev.votingapp.store.VoteMessage;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker logs in with a role in voting_writer: it writes votes, and may not change the schema. On a
 * schema older than it needs it waits, not ready, saying what to run, and starts writing once the
 * owner has migrated.
 */
@ExtendWith(VertxExtension.class)
class LeastPrivilegeWorkerIT {

  @Test
  void aWriterWaitsForMigrateSayingWhyThenWritesButCannotChangeTheSchema(InProcessApp app) {
    PgConfig database = TestServers.newDatabase();
    String queue = TestServers.uniqueKey("writer");
    try (Db owner = new Db(app.vertx, database);
         RedisKeys redis = new RedisKeys(app.vertx, TestServers.redisUrl(), queue)) {
      // The group roles exist once any database of the server was migrated.
      try (Db other = new Db(app.vertx, TestServers.newDatabase())) {
        other.migrate();
      }
      // As PostgreSQL 15 does by default (and the roles command does for older ones): only the owner creates.
      owner.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      PgConfig writer = TestServers.newLoginRole(database, Sql.WRITER_ROLE);
      Config config = TestConfig.on(writer).queueOn(TestServers.redisUrl(), queue).with("WORKER_ID", "writer").config();
      Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));
      Browser probe = app.managementPort();

      Await.until("not ready, saying what to run", LATER, () -> schemaProblem(probe).equals(
          "schema at version 0, this worker needs " + Sql.SCHEMA_VERSION
              + ": run `migrate` (the worker's role may not change the schema)"));
      assertThat(owner.tableExists("votes")).as("the writer created no table").isFalse();
      redis.push(queue, List.of(VoteMessage.now("writer-voter-1", "a").toJson()));

      owner.migrate();

      Await.until("ready once migrated", LATER, () -> probe.get("/ready").statusCode() == 200);
      Await.until("the vote written", LATER, () -> owner.votes("writer-voter-").size() == 1);
      // What the result service reads to tell that votes wait: this worker's row, renewed every second.
      Await.until("the queue reported, empty", LATER, () -> owner.count(
          "SELECT count(*) FROM worker_status WHERE worker_id = 'writer' AND queued + processing = 0") == 1);
      String reportedAt = "SELECT reported_at::text FROM worker_status WHERE worker_id = 'writer'";
      String first = owner.rows(reportedAt).get(0).getString(0);
      Await.until("the report renewed", LATER, () -> !owner.rows(reportedAt).get(0).getString(0).equals(first));
      try (Db asWriter = new Db(app.vertx, writer)) {
        for (String ddl : List.of("CREATE TABLE writer_table (id INT)", "DROP TABLE votes", "ALTER TABLE votes ADD COLUMN x INT",
            "DELETE FROM votes", "TRUNCATE votes")) {
          assertThatThrownBy(() -> asWriter.execute(ddl)).as(ddl)
              .isInstanceOfSatisfying(PgException.class, denied -> assertThat(denied.getSqlState()).isEqualTo("42501"));
        }
      }
    }
  }

  /** The schema check's reason on /ready, or "" while it passes. */
  private static String schemaProblem(Browser probe) {
    HttpResponse<String> ready = probe.get("/ready");
    for (Object check : new JsonObject(ready.body()).getJsonArray("checks")) {
      JsonObject json = (JsonObject) check;
      if ("schema".equals(json.getString("id")) && !"UP".equals(json.getString("status"))) {
        return json.getJsonObject("data").getString("error");
      }
    }
    return "";
  }
}
