package dev.votingapp.result;

import static dev.votingapp.testing.Await.LATER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.votingapp.config.PgConfig;
import dev.votingapp.store.Sql;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.Readiness;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The result service runs with a role that may only read and LISTEN: it waits for the schema instead of
 * creating it, and its readiness can be asked as often as anyone likes without taking a connection
 * from the work.
 */
@ExtendWith(VertxExtension.class)
class ReadOnlyResultIT {

  @Test
  void withAReadOnlyRoleItWaitsForTheSchemaThenShowsTheTally(InProcessApp app) {
    PgConfig database = TestServers.newDatabase();
    try (Db owner = new Db(app.vertx, database)) {
      // The group role exists once any database of the server was migrated.
      try (Db other = new Db(app.vertx, TestServers.newDatabase())) {
        other.migrate();
      }
      PgConfig reader = TestServers.newLoginRole(database, Sql.READER_ROLE);
      ResultService result = Await.result(ResultService.deploy(app.vertx,
          TestConfig.on(reader).config(), app.management, 1));
      Browser probe = app.managementPort();
      Await.until("not ready: no schema yet", LATER, () -> Readiness.down(probe.get("/ready")).contains("schema"));
      assertThat(Readiness.down(probe.get("/ready"))).as("no figures to show yet").contains("tally");

      owner.migrate();
      owner.execute("INSERT INTO votes (id, vote) VALUES ('ro-1', 'b')");

      Await.until("ready", LATER, () -> probe.get("/ready").statusCode() == 200);
      Browser page = new Browser(result.port());
      Await.until("the tally shows", LATER, () -> page.isOk("/api/results")
          && new JsonObject(page.get("/api/results").body()).getLong("total") == 1);
      // A worker's report of the queue, which the reader may read, and only read.
      owner.execute("INSERT INTO worker_status (worker_id, queued, processing, reported_at) VALUES ('ro-worker', 3, 1, now())");
      Await.until("the votes waiting, read", LATER,
          () -> Long.valueOf(4).equals(new JsonObject(page.get("/api/results").body()).getLong("waiting")));
      try (Db asReader = new Db(app.vertx, reader)) {
        for (String write : List.of("INSERT INTO votes (id, vote) VALUES ('ro-2', 'a')", "UPDATE worker_status SET queued = 0")) {
          assertThatThrownBy(() -> asReader.execute(write)).as(write)
              .isInstanceOfSatisfying(PgException.class, denied -> assertThat(denied.getSqlState()).isEqualTo("42501"));
        }
        assertThat(asReader.count("SELECT count(*) FROM votes")).isEqualTo(1);
      }
    }
  }

  /** A flood of /ready (a misconfigured prober, an attacker inside the network) is answered from one check at a time. */
  @Test
  void aFloodOfReadinessChecksNeverMakesItUnready(InProcessApp app) throws Exception {
    PgConfig database = TestServers.newDatabase();
    try (Db db = new Db(app.vertx, database)) {
      db.migrate();
      Await.result(ResultService.deploy(app.vertx, TestConfig.on(database).config(), app.management, 1));
      Await.until("ready", LATER, app::ready);
      HttpClient client = HttpClient.newHttpClient();
      URI ready = URI.create(app.managementPort().url("/ready"));

      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        flood.add(client.sendAsync(HttpRequest.newBuilder(ready).timeout(LATER).build(), HttpResponse.BodyHandlers.ofString()));
      }

      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> answer : flood) {
        statuses.add(answer.get().statusCode());
      }
      assertThat(statuses).containsOnly(200);
    }
  }
}
