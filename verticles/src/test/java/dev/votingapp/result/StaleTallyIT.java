package dev.votingapp.result;

import static dev.votingapp.result.TallyJson.tally;
import static dev.votingapp.result.TallyJson.tallyOf;
import static dev.votingapp.testing.Await.SOON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.store.VoteMessage;
import dev.votingapp.testing.AppWithDatabase;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TableLock;
import dev.votingapp.testing.TcpProxy;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.testing.WsClient;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The results never pretend: /api/results and every push say when the tally was read ({@code asOf}) and
 * whether it is {@code current}; when it is not, why ({@code reason}), and how many votes the workers
 * report waiting ({@code waiting}). Here the tally is called stale after 1 s ({@code
 * RESULT_STALE_AFTER_MS}), read every 200 ms.
 */
class StaleTallyIT extends AppWithDatabase {

  private static final long STALE_AFTER_MS = 1_000;

  private int port;

  @Test
  void theApiSaysWhenTheTallyWasReadAndThatItIsCurrent() {
    Browser api = deploy(database);
    Instant before = Instant.now();
    db.execute("INSERT INTO votes (id, vote) VALUES ('c1', 'a')");

    Await.until("1 vote", SOON, () -> results(api).getLong("total") == 1);
    JsonObject first = results(api);
    assertThat(tallyOf(first)).isEqualTo(tally(1, 0));
    assertThat(first.getString("asOf")).as("ISO-8601, UTC").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    Instant asOf = Instant.parse(first.getString("asOf"));
    assertThat(asOf).isBetween(before.minusSeconds(1), Instant.now());
    assertThat(first.getBoolean("current")).isTrue();
    assertThat(first.getMap()).containsEntry("reason", null).containsEntry("waiting", null);

    // Nothing changes, yet each poll confirms the figures: asOf moves on.
    Await.until("asOf moves on with the poll", SOON, () -> Instant.parse(results(api).getString("asOf")).isAfter(asOf.plusMillis(600)));
    assertThat(current(api)).isTrue();
  }

  @Test
  void postgresCutMakesTheTallyNotCurrentSayingWhenItWasReadThenItRecoversByItself() {
    try (TcpProxy proxy = new TcpProxy(app.vertx, database.host(), database.port())) {
      Browser api = deploy(viaProxy(proxy));
      db.execute("INSERT INTO votes (id, vote) VALUES ('cut-1', 'a')");
      Await.until("1 vote, current", SOON, () -> results(api).getLong("total") == 1 && current(api));
      try (WsClient ws = new WsClient(app.vertx, port, "/ws")) {
        JsonObject live = ws.next(SOON);
        assertThat(tallyOf(live)).isEqualTo(tally(1, 0));
        assertThat(live.getBoolean("current")).isTrue();
        assertThat(live.getString("asOf")).isNotBlank();

        proxy.cut();
        Instant cutAt = Instant.now();

        Await.until("not current", SOON, () -> stale(api));
        JsonObject stale = results(api);
        assertThat(stale.getString("reason")).isEqualTo("postgres_unreachable");
        assertThat(tallyOf(stale)).as("the last tally, still shown").isEqualTo(tally(1, 0));
        assertThat(Instant.parse(stale.getString("asOf"))).as("read before the cut").isBefore(cutAt);
        JsonObject pushed = ws.until(message -> Boolean.FALSE.equals(message.getBoolean("current")), SOON);
        assertThat(pushed.getString("reason")).isEqualTo("postgres_unreachable");
        assertThat(pushed.getString("asOf")).isEqualTo(stale.getString("asOf"));
        assertThat(tallyOf(pushed)).isEqualTo(tally(1, 0));

        db.execute("INSERT INTO votes (id, vote) VALUES ('cut-2', 'b')");
        proxy.restore();

        Await.until("2 votes, current again", SOON, () -> results(api).getLong("total") == 2 && current(api));
        assertThat(Instant.parse(results(api).getString("asOf"))).isAfter(cutAt);
        assertThat(results(api).getMap()).containsEntry("reason", null);
        JsonObject back = ws.until(message -> Boolean.TRUE.equals(message.getBoolean("current")) && message.getLong("total") == 2, SOON);
        assertThat(tallyOf(back)).isEqualTo(tally(1, 1));
      }
    }
  }

  /** A frozen PostgreSQL (SIGSTOP) or a network that drops packets: nothing closes, the reads just hang. */
  @Test
  void postgresThatStopsAnsweringIsFoundOutWithinTheStaleLimit() {
    try (TcpProxy proxy = new TcpProxy(app.vertx, database.host(), database.port())) {
      Browser api = deploy(viaProxy(proxy));
      Await.until("current", SOON, () -> current(api));

      proxy.blackhole();
      long blackholedAt = System.nanoTime();

      Await.until("not current", SOON, () -> stale(api));
      assertThat((System.nanoTime() - blackholedAt) / 1_000_000).as("ms until the tally was called stale")
          .isLessThan(STALE_AFTER_MS + 1_500);
      assertThat(results(api).getString("reason")).isEqualTo("postgres_unreachable");

      proxy.heal();
      db.execute("INSERT INTO votes (id, vote) VALUES ('hole-1', 'a')");

      Await.until("1 vote, current again", SOON, () -> results(api).getLong("total") == 1 && current(api));
    }
  }

  /**
   * A worker reports votes waiting (queued, or claimed and not written) and no commit comes for longer
   * than the stale limit: delayed, saying how many. It is current again once they are counted.
   */
  @Test
  void votesReportedWaitingWithNoCommitForTooLongAreADelay() {
    Browser api = deploy(database);
    report("worker-1", 2, 1, 0);

    Await.until("delayed: 3 votes waiting", SOON, () -> "votes_waiting".equals(results(api).getString("reason")));
    JsonObject delayed = results(api);
    assertThat(delayed.getBoolean("current")).isFalse();
    assertThat(delayed.getLong("waiting")).isEqualTo(3);
    // The page says it too, as rendered (JavaScript off): the time in UTC, which its script makes local.
    Await.until("the page rendered delayed", SOON, () -> api.get("/").body().contains("<body class=\"delayed\">"));
    String page = api.get("/").body();
    assertThat(page).containsPattern("<p id=\"freshness\" class=\"freshness\">Updated <time id=\"as-of\" datetime=\"[^\"]+Z\">"
        + "\\d\\d:\\d\\d:\\d\\d UTC</time>, delayed: <span id=\"delay\">3 votes still being counted</span></p>");
    assertThat(page).containsPattern("aria-live=\"polite\">Tabs 0.0%, Spaces 0.0%, No votes yet. Updated \\d\\d:\\d\\d:\\d\\d UTC, "
        + "delayed: 3 votes still being counted</p>");

    report("worker-1", 0, 0, 0);

    Await.until("current again", SOON, () -> current(api));
    assertThat(results(api).getLong("waiting")).isZero();
    assertThat(results(api).getMap()).containsEntry("reason", null);
    Await.until("the page rendered current", SOON, () -> api.get("/").body().contains("<body>"));
    assertThat(api.get("/").body()).contains("<p id=\"freshness\" class=\"freshness\" hidden>",
        "aria-live=\"polite\">Tabs 0.0%, Spaces 0.0%, No votes yet</p>");
  }

  /** Under load the queue is never empty, but commits keep coming: that is not a delay. */
  @Test
  void votesWaitingWhileCommitsKeepComingAreNoDelay() {
    Browser api = deploy(database);
    report("busy-worker", 50, 10, 0);
    Await.until("the report is read", SOON, () -> results(api).getValue("waiting") != null);

    long end = System.nanoTime() + 3 * STALE_AFTER_MS * 1_000_000;
    for (int vote = 0; System.nanoTime() < end; vote++) {
      db.execute("INSERT INTO votes (id, vote) VALUES ($1, 'a')", "busy-" + vote);
      assertThat(current(api)).as("current while commits come").isTrue();
      sleep(100);
    }

    Await.until("delayed once the commits stop", SOON, () -> "votes_waiting".equals(results(api).getString("reason")));
    assertThat(results(api).getLong("waiting")).isEqualTo(60);
  }

  /**
   * A worker that died (or was scaled away) stops reporting: its last report stops counting after a
   * minute, so it cannot claim votes are waiting forever. With several workers, the newest report counts
   * (each one reports the whole queue). With none (the reference worker reports nothing), only
   * PostgreSQL's reachability decides.
   */
  @Test
  void onlyTheNewestReportOfTheLastMinuteCounts() {
    Browser api = deploy(database);
    report("dead-worker", 7, 1, 120);
    Instant since = Instant.now();

    Await.until("confirmed twice the stale limit after the report", SOON,
        () -> Instant.parse(results(api).getString("asOf")).isAfter(since.plusMillis(2 * STALE_AFTER_MS)));
    assertThat(current(api)).isTrue();
    assertThat(results(api).getMap()).containsEntry("waiting", null);

    report("older-worker", 5, 0, 5);
    report("newer-worker", 0, 0, 0);

    Await.until("the newest report is read", SOON, () -> results(api).getValue("waiting") != null);
    Instant read = Instant.now();
    Await.until("confirmed twice the stale limit later", SOON,
        () -> Instant.parse(results(api).getString("asOf")).isAfter(read.plusMillis(2 * STALE_AFTER_MS)));
    assertThat(results(api).getLong("waiting")).isZero();
    assertThat(current(api)).isTrue();
  }

  /** The whole path: the real worker's report, votes stuck behind a locked table, then counted. */
  @Test
  void theWorkersReportShowsVotesStuckBehindALockedTable() {
    String queue = TestServers.uniqueKey("stale");
    try (RedisKeys redis = new RedisKeys(app.vertx, TestServers.redisUrl(), queue)) {
      Config worker = TestConfig.on(database).queueOn(TestServers.redisUrl(), queue).with("WORKER_ID", "stale-test").config();
      Await.result(app.vertx.deployVerticle(new WorkerVerticle(worker, app.management)));
      Browser api = deploy(database);
      Await.until("ready", SOON, app::ready);
      Await.until("the worker's report is read", SOON, () -> results(api).getValue("waiting") != null);

      try (TableLock lock = new TableLock(db)) {
        redis.push(queue, List.of(VoteMessage.now("stuck-1", "a").toJson(), VoteMessage.now("stuck-2", "b").toJson()));

        Await.until("delayed: 2 votes waiting", SOON, () -> "votes_waiting".equals(results(api).getString("reason")));
        assertThat(results(api).getLong("waiting")).isEqualTo(2);
        assertThat(results(api).getLong("total")).isZero();
      }

      Await.until("2 votes, current", SOON, () -> results(api).getLong("total") == 2 && current(api));
      Await.until("nothing waiting", SOON, () -> Long.valueOf(0).equals(results(api).getLong("waiting")));
    }
  }

  /** As a worker reports: its id, the votes queued and those claimed and not yet written, {@code secondsAgo}. */
  private void report(String worker, long queued, long processing, int secondsAgo) {
    db.execute("INSERT INTO worker_status (worker_id, queued, processing, reported_at) "
        + "VALUES ($1, $2, $3, now() - make_interval(secs => $4)) "
        + "ON CONFLICT (worker_id) DO UPDATE SET queued = EXCLUDED.queued, processing = EXCLUDED.processing, "
        + "reported_at = EXCLUDED.reported_at", worker, queued, processing, secondsAgo);
  }

  private PgConfig viaProxy(TcpProxy proxy) {
    return new PgConfig("127.0.0.1", proxy.port(), database.database(), database.user(), database.password(),
        database.sslMode(), database.sslRootCert());
  }

  private Browser deploy(PgConfig pg) {
    Config config = TestConfig.on(pg).with("OPTION_A", "Tabs").with("OPTION_B", "Spaces").with("RESULT_POLL_MS", "200")
        .with("RESULT_STALE_AFTER_MS", String.valueOf(STALE_AFTER_MS)).config();
    ResultService result = Await.result(ResultService.deploy(app.vertx, config, app.management, 1));
    port = result.port();
    Browser api = new Browser(port);
    Await.until("the tally read", SOON, () -> api.isOk("/api/results"));
    return api;
  }

  private static boolean current(Browser api) {
    return Boolean.TRUE.equals(results(api).getBoolean("current"));
  }

  private static boolean stale(Browser api) {
    return Boolean.FALSE.equals(results(api).getBoolean("current"));
  }

  private static JsonObject results(Browser api) {
    return new JsonObject(api.get("/api/results").body());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new AssertionError(interrupted);
    }
  }
}
