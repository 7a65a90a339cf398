package dev.votingapp.result;

import static dev.votingapp.result.TallyJson.tally;
import static dev.votingapp.result.TallyJson.tallyOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.store.VoteMessage;
import dev.votingapp.testing.AppWithDatabase;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.Readiness;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.testing.WsClient;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The result service deployed against a real PostgreSQL, fed by the real worker, watched over HTTP and WebSocket. */
class ResultVerticleIT extends AppWithDatabase {

  private static final Duration SOON = Duration.ofSeconds(10);

  private ResultService result;
  private Browser browser;

  @BeforeEach
  void deploy(VertxTestContext test) {
    Config config = TestConfig.on(database).with("OPTION_A", "Tabs").with("OPTION_B", "Spaces").with("RESULT_POLL_MS", "200")
        .config();
    ResultService.deploy(app.vertx, config, app.management, 1)
        .compose(deployed -> {
          result = deployed;
          browser = new Browser(deployed.port());
          return app.whenReady(SOON);
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void theFirstRenderAlreadyHoldsTheTally() {
    HttpResponse<String> empty = browser.get("/");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).contains("<h1>Tabs vs Spaces!</h1>", "<h2 class=\"label\">Tabs</h2>",
        "<h2 class=\"label\">Spaces</h2>", "<p id=\"total\">No votes yet</p>", "id=\"percent-a\">0.0%");
    assertThat(empty.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");

    db.execute("INSERT INTO votes (id, vote) VALUES ('x1', 'b')");
    Await.until("1 vote rendered", SOON, () -> browser.get("/").body().contains("<p id=\"total\">1 vote</p>"));
    assertThat(browser.get("/").body()).contains("id=\"percent-b\">100.0%", "id=\"percent-a\">0.0%",
        "<progress class=\"bar\" id=\"bar-b\" max=\"100\" value=\"100.0\">");

    db.execute("INSERT INTO votes (id, vote) VALUES ('x2', 'a'), ('x3', 'a')");
    Await.until("3 votes rendered", SOON, () -> browser.get("/").body().contains("<p id=\"total\">3 votes</p>"));
    assertThat(browser.get("/").body()).contains("id=\"percent-a\">66.7%", "id=\"percent-b\">33.3%");
    assertThat(browser.get("/static/result.js").statusCode()).isEqualTo(200);
    assertThat(browser.get("/static/result.css").statusCode()).isEqualTo(200);
  }

  @Test
  void apiResultsGivesTheTallyAsJson() {
    db.execute("INSERT INTO votes (id, vote) VALUES ('j1', 'a'), ('j2', 'a'), ('j3', 'a'), ('j4', 'b'), ('j5', 'zzz')");

    Await.until("4 votes", SOON, () -> new JsonObject(browser.get("/api/results").body()).getLong("total") == 4);
    HttpResponse<String> api = browser.get("/api/results");
    assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject answer = new JsonObject(api.body());
    assertThat(tallyOf(answer)).isEqualTo(new JsonObject(
        "{\"options\":[{\"id\":\"a\",\"label\":\"Tabs\",\"votes\":3},{\"id\":\"b\",\"label\":\"Spaces\",\"votes\":1}],\"total\":4}"));
    // Then its status (StaleTallyIT has the rest): read just now, current, no worker reports here.
    assertThat(answer.fieldNames()).containsExactlyInAnyOrderElementsOf(TallyJson.FIELDS);
    assertThat(Instant.parse(answer.getString("asOf"))).isBetween(Instant.now().minusSeconds(5), Instant.now());
    assertThat(answer.getBoolean("current")).isTrue();
    assertThat(answer.getMap()).containsEntry("reason", null).containsEntry("waiting", null);
  }

  @Test
  void aWebSocketClientGetsTheTallyAtOnceThenEveryCommitOfTheWorker() {
    String queue = TestServers.uniqueKey("result");
    try (RedisKeys redis = new RedisKeys(app.vertx, TestServers.redisUrl(), queue);
         WsClient ws = new WsClient(app.vertx, result.port(), "/ws")) {
      assertThat(tallyOf(ws.next(SOON))).isEqualTo(tally(0, 0));
      Config worker = TestConfig.on(database).queueOn(TestServers.redisUrl(), queue).with("WORKER_ID", "result-test").config();
      Await.result(app.vertx.deployVerticle(new WorkerVerticle(worker, app.management)));

      redis.push(queue, List.of(vote("w1", "b")));
      assertThat(tallyOf(ws.next(SOON))).isEqualTo(tally(0, 1));

      redis.push(queue, List.of(vote("w2", "a"), vote("w3", "a"), vote("w1", "a")));
      assertThat(tallyOf(ws.until(message -> message.getLong("total") == 3, SOON))).isEqualTo(tally(3, 0));
    }
  }

  /**
   * Browsers offer permessage-deflate on every WebSocket; accepted, each viewer would hold zlib state
   * (about 110 KiB) for messages of 100 bytes. The upgrade succeeds without it.
   */
  @Test
  void aWebSocketIsNotCompressedEvenWhenTheBrowserOffersIt() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), result.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      List<String> head = new ArrayList<>();
      for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
        head.add(line.toLowerCase(java.util.Locale.ROOT));
      }

      assertThat(head.get(0)).startsWith("http/1.1 101");
      assertThat(head).noneMatch(header -> header.startsWith("sec-websocket-extensions"));
    }
  }

  @Test
  void nothingIsSentWhenNothingChanged() {
    try (WsClient ws = new WsClient(app.vertx, result.port(), "/ws")) {
      ws.next(SOON);
      // A write that changes no count (the same vote again) still notifies; it must not be pushed.
      db.execute("INSERT INTO votes (id, vote) VALUES ('n1', 'a')");
      assertThat(tallyOf(ws.next(SOON))).isEqualTo(tally(1, 0));
      db.execute("UPDATE votes SET vote = 'a' WHERE id = 'n1'");

      // Several poll periods (200 ms) and notifications later, still nothing new.
      Await.until("a few polls happened", SOON, () -> reads() >= readsNow() + 5);
      assertThat(ws.pending()).isZero();
    }
  }

  @Test
  void aBurstOfCommitsIsCoalescedIntoAFewMessages() {
    try (WsClient ws = new WsClient(app.vertx, result.port(), "/ws")) {
      ws.next(SOON);
      // 200 commits 2 ms apart, in one call on the server: the stream's pace is the server's, not the
      // test's round trips, which on a busy machine take longer than the push gap.
      long start = System.nanoTime();
      db.execute("DO $$ BEGIN FOR i IN 1..200 LOOP "
          + "INSERT INTO votes (id, vote) VALUES ('burst-' || i, 'a'); COMMIT; PERFORM pg_sleep(0.002); END LOOP; END $$");
      long burstMs = (System.nanoTime() - start) / 1_000_000;
      // Every message from the burst's start, up to and after the one with the final tally: the first
      // change at once, then at most one per push gap, the last one gap after the burst at most.
      int messages = ws.countUntil(message -> message.getLong("total") == 200, SOON) + drain(ws);
      assertThat(messages).as("messages for 200 commits in " + burstMs + " ms")
          .isLessThanOrEqualTo((int) (burstMs / TallyFeed.MIN_PUSH_GAP_MS) + 3);
      assertThat(PrometheusText.value(app.metrics(), "result_notifications_total"))
          .isGreaterThanOrEqualTo(200);
    }
  }

  @Test
  void aChangeThatSentNoNotificationIsPickedUpByThePoll() {
    try (WsClient ws = new WsClient(app.vertx, result.port(), "/ws")) {
      ws.next(SOON);
      // No trigger on the tally itself: a writer that changes it directly sends no NOTIFY.
      db.execute("INSERT INTO vote_tally (vote, votes) VALUES ('b', 5) "
          + "ON CONFLICT (vote) DO UPDATE SET votes = vote_tally.votes + 5");
      assertThat(tallyOf(ws.next(Duration.ofSeconds(3)))).isEqualTo(tally(0, 5));
    }
  }

  @Test
  void healthReadinessAndMetrics() {
    try (WsClient ws = new WsClient(app.vertx, result.port(), "/ws")) {
      ws.next(SOON);
      assertThat(app.managementPort().get("/health").statusCode()).isEqualTo(200);
      assertThat(Readiness.checks(app.managementPort().get("/ready")))
          .containsExactlyInAnyOrder("accepting", "postgres", "schema", "listen", "tally");
      String metrics = app.metrics();
      assertThat(PrometheusText.value(metrics, "result_clients")).isEqualTo(1);
      assertThat(metrics).contains("result_messages_sent_total", "result_tally_reads_total",
          "result_commit_to_push_seconds_bucket", "result_notifications_total");
      assertThat(PrometheusText.value(metrics, "result_tally_current")).as("the tally is current").isEqualTo(1);
      assertThat(PrometheusText.value(metrics, "result_tally_age_seconds")).as("read within a poll or so").isBetween(0.0, 2.0);
    }
  }

  private long readsNow = -1;

  private long readsNow() {
    if (readsNow < 0) {
      readsNow = reads();
    }
    return readsNow;
  }

  private long reads() {
    return (long) PrometheusText.value(app.metrics(), "result_tally_reads_total");
  }

  private static int drain(WsClient ws) {
    int count = 0;
    while (ws.pending() > 0) {
      ws.next(SOON);
      count++;
    }
    return count;
  }

  private static String vote(String voter, String option) {
    return VoteMessage.now(voter, option).toJson();
  }
}
