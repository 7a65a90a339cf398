package dev.votingapp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.store.VoteMessage;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.Readiness;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TableLock;
import dev.votingapp.testing.TcpProxy;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker deployed against real Redis and PostgreSQL, checked by what ends up in the table. Each
 * worker runs in a Vert.x of its own, with its own management port, as separate processes would.
 */
@ExtendWith(VertxExtension.class)
class WorkerVerticleIT {

  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static PgConfig database;

  private InProcessApp app;
  private RedisKeys redis;
  private Db db;
  private String queue;
  private String voterPrefix;
  private final List<Worker> workers = new ArrayList<>();

  /** A deployed worker and the process it runs in. */
  private record Worker(InProcessApp process, String deployment) {
    Browser management() {
      return process.managementPort();
    }

    String metrics() {
      return process.metrics();
    }

    void undeploy() {
      Await.result(process.vertx.undeploy(deployment));
    }
  }

  @BeforeAll
  static void database() {
    database = TestServers.newDatabase();
  }

  @BeforeEach
  void setUp(InProcessApp app) {
    this.app = app;
    queue = TestServers.uniqueKey("drain");
    voterPrefix = "v" + UUID.randomUUID().toString().substring(0, 8) + "-";
    redis = new RedisKeys(app.vertx, TestServers.redisUrl(), queue);
    db = new Db(app.vertx, database);
  }

  @AfterEach
  void tearDown() {
    workers.forEach(worker -> Await.result(worker.process.close()));
    redis.close();
    db.close();
  }

  @Test
  void everyQueuedVoteBecomesARow() {
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      // half with our timestamp, half in the reference app's format without one
      messages.add(i % 2 == 0 ? message(voter(i), i % 3 == 0 ? "a" : "b", now() + i) : reference(voter(i), "a"));
    }
    redis.push(queue, messages);

    Worker worker = deploy("w1", 100, 2, database);

    awaitRows(1_000);
    Map<String, String> votes = db.votes(voterPrefix);
    for (int i = 0; i < 1_000; i++) {
      assertThat(votes.get(voter(i))).isEqualTo(i % 2 == 0 ? (i % 3 == 0 ? "a" : "b") : "a");
    }
    awaitQueueAndListsEmpty();
    assertThat(redis.range(queue + ":dead")).isEmpty();
    String metrics = worker.metrics();
    assertThat(PrometheusText.value(metrics, "worker_votes_written_total")).isEqualTo(1_000);
    assertThat(metrics).contains("worker_batches_total", "worker_batch_size_count", "worker_queue_depth",
        "worker_processing_depth", "worker_dead_letters_depth", "worker_queue_oldest_age_seconds",
        "worker_claim_to_commit_seconds_bucket");
    // Freshness, with a bucket at the SLO's 5 s: every vote here was committed within it.
    assertThat(PrometheusText.value(metrics, "worker_vote_age_seconds_bucket{le=\"5.0\"}")).isEqualTo(1_000);
  }

  /**
   * On an empty queue the worker warms its lanes up before it reports ready: real claims, upserts and
   * releases on a queue of its own, every write rolled back. Nothing of it is left: no row, no tally
   * change, no key; and the real lanes then count the first vote as usual.
   */
  @Test
  void theWarmUpComesBeforeReadyAndLeavesNothingBehind() {
    PgConfig fresh = TestServers.newDatabase();
    try (Db freshDb = new Db(app.vertx, fresh)) {
      Worker worker = deploy(config("w1", 500, 2, fresh, Map.of("WARMUP_SECONDS", "2")));
      Await.until("/ready says the worker is warming up", DRAIN, () -> {
        try {
          return Readiness.down(worker.management().get("/ready")).contains("warm-up");
        } catch (RuntimeException notListeningYet) {
          return false;
        }
      });
      awaitReady(worker);

      assertThat(freshDb.count("SELECT count(*) FROM votes")).as("rows the warm-up left").isZero();
      assertThat(freshDb.count("SELECT coalesce(sum(votes), 0) FROM vote_tally")).as("tally the warm-up left").isZero();
      // Rolled-back transactions are what the warm-up's writes leave in the statistics, and only there.
      Await.until("the warm-up's batches, rolled back", DRAIN, () -> freshDb.count(
          "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()") >= 50);
      assertThat(freshDb.count("SELECT count(*) FROM worker_status WHERE worker_id <> 'w1'"))
          .as("reports of the warm-up's queue").isZero();
      assertThat(redis.keys()).as("keys the warm-up left").noneMatch(key -> key.contains("warm-up"));
      assertThat(PrometheusText.value(worker.metrics(), "worker_votes_written_total")).as("votes in the metrics").isZero();

      redis.push(queue, List.of(message(voter(1), "a", now())));
      Await.until("the first real vote", DRAIN, () -> freshDb.count("SELECT count(*) FROM votes") == 1);
      assertThat(freshDb.count("SELECT votes FROM vote_tally WHERE vote = 'a'")).isEqualTo(1);
    }
  }

  /**
   * Under load a lane lingers after a commit (WORKER_LINGER_MS), so votes arriving one by one meanwhile
   * go in one transaction together instead of one each.
   */
  @Test
  void votesArrivingWhileALaneLingersShareOneBatch() throws InterruptedException {
    Worker worker = deploy(config("w1", 100, 1, database, Map.of("WORKER_LINGER_MS", "1000")));
    awaitReady(worker);
    redis.push(queue, List.of(message(voter(0), "a", now())));
    awaitRows(1);
    for (int i = 1; i <= 5; i++) {
      redis.push(queue, List.of(message(voter(i), "b", now())));
      Thread.sleep(20); // arriving one by one, as voters do, well within the linger
    }
    awaitRows(6);
    assertThat(PrometheusText.value(worker.metrics(), "worker_batches_total")).as("batches").isEqualTo(2);
  }

  @Test
  void aVoterWhoVotesAThenBEndsWithB() {
    long t = now();
    redis.push(queue, List.of(message(voter(1), "a", t), message(voter(1), "b", t + 1)));
    // Arriving out of order (older vote last) must not change the outcome either.
    redis.push(queue, List.of(message(voter(2), "b", t + 1), message(voter(2), "a", t)));
    // Without timestamps (reference producer), the order of the queue decides.
    redis.push(queue, List.of(reference(voter(3), "a"), reference(voter(3), "b")));

    deploy("w1", 500, 1, database);

    awaitRows(3);
    assertThat(db.votes(voterPrefix)).containsOnly(
        Map.entry(voter(1), "b"), Map.entry(voter(2), "b"), Map.entry(voter(3), "b"));
  }

  @Test
  void aLateOlderVoteInALaterBatchNeverOverwritesANewerOne() {
    long t = now();
    redis.push(queue, List.of(message(voter(1), "b", t + 10)));
    deploy("w1", 1, 1, database);
    awaitRows(1);

    redis.push(queue, List.of(message(voter(1), "a", t), message(voter(2), "a", t)));
    awaitRows(2);

    assertThat(db.votes(voterPrefix)).containsOnly(Map.entry(voter(1), "b"), Map.entry(voter(2), "a"));
  }

  /**
   * A message without a time (the reference vote app's) is timed once, at its first claim, and keeps that
   * time: redelivered after a newer vote of the same voter, it changes nothing.
   */
  @Test
  void aRedeliveredReferenceVoteKeepsTheTimeOfItsFirstClaim() {
    deploy("w1", 100, 1, database);
    awaitReady(workers.get(0));
    String firstClaimed;
    try (TableLock lock = new TableLock(db)) {
      redis.push(queue, List.of(reference(voter(1), "a")));
      Await.until("the vote is claimed", DRAIN, () -> redis.length(queue + ":processing:w1:0") == 1);
      firstClaimed = redis.range(queue + ":processing:w1:0").get(0);
    }
    awaitRows(1);
    redis.push(queue, List.of(reference(voter(1), "b")));
    Await.until("the newer vote is written", DRAIN, () -> "b".equals(db.votes(voterPrefix).get(voter(1))));

    // Redelivered as recovery moves a dead worker's list back: the message as it was claimed.
    redis.push(queue, List.of(firstClaimed));

    Await.until("the redelivery is processed", DRAIN,
        () -> PrometheusText.value(workers.get(0).metrics(), "worker_batches_total") == 3);
    assertThat(db.votes(voterPrefix)).containsOnly(Map.entry(voter(1), "b"));
    assertThat(new JsonObject(firstClaimed).getLong("ts")).isPositive();
  }

  /**
   * A producer whose clock runs six minutes fast: its vote counts (it was acknowledged), set back to the
   * time of its claim, and the voter's next vote still wins over it.
   */
  @Test
  void aVoteFromTheFutureCountsAndCannotWinForever() {
    redis.push(queue, List.of(message(voter(1), "a", now() + 6 * 60 * 1_000_000L)));
    Worker worker = deploy("w1", 100, 1, database);
    awaitRows(1);
    assertThat(db.votes(voterPrefix)).containsEntry(voter(1), "a");

    redis.push(queue, List.of(message(voter(1), "b", now())));

    Await.until("the later vote wins", DRAIN, () -> "b".equals(db.votes(voterPrefix).get(voter(1))));
    assertThat(redis.range(queue + ":dead")).isEmpty();
    assertThat(PrometheusText.value(worker.metrics(), "worker_timestamps_clamped_total")).isEqualTo(1);
  }

  @Test
  void malformedMessagesGoToTheDeadLetterListWithTheirReason() {
    Map<String, String> badToReason = new HashMap<>();
    badToReason.put("not json at all", "not_json");
    badToReason.put("[1,2,3]", "not_an_object");
    badToReason.put("{\"vote\":\"a\"}", "missing_voter_id");
    badToReason.put("{\"voter_id\":42,\"vote\":\"a\"}", "missing_voter_id");
    badToReason.put(new JsonObject().put("voter_id", "x".repeat(300)).put("vote", "a").put("ts", now()).encode(), "bad_voter_id");
    badToReason.put("{\"voter_id\":\"bad\\u0000id\",\"vote\":\"a\",\"ts\":1}", "bad_voter_id");
    badToReason.put("{\"voter_id\":\"" + voter(900) + "\"}", "missing_vote");
    badToReason.put(message(voter(901), "c", now()), "unknown_option");
    badToReason.put("{\"voter_id\":\"" + voter(902) + "\",\"vote\":\"a\",\"ts\":\"yesterday\"}", "bad_timestamp");
    badToReason.put("{\"voter_id\":\"" + voter(904) + "\",\"vote\":\"a\",\"pad\":\"" + "p".repeat(5_000) + "\",\"ts\":1}", "too_large");
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      messages.add(message(voter(i), "a", now()));
    }
    messages.addAll(badToReason.keySet());
    Collections.shuffle(messages, new Random(7));
    redis.push(queue, messages);

    Worker worker = deploy("w1", 7, 2, database);

    awaitRows(20);
    Await.until("every bad message dead-lettered", DRAIN, () -> redis.length(queue + ":dead") == badToReason.size());
    for (String letter : redis.range(queue + ":dead")) {
      JsonObject dead = new JsonObject(letter);
      assertThat(dead.getString("reason")).isEqualTo(badToReason.get(dead.getString("message")));
      assertThat(dead.getString("worker")).isEqualTo("w1");
    }
    assertThat(db.votes(voterPrefix)).hasSize(20);
    assertThat(PrometheusText.value(worker.metrics(), "worker_dead_letters_total{reason=\"not_json\"}")).isEqualTo(1);
    assertThat(worker.management().get("/ready").statusCode()).as("still healthy").isEqualTo(200);
  }

  @Test
  void threeWorkersDrainingChangedVotesKeepTheLastVoteOfEveryVoter() {
    Random random = new Random(42);
    int voters = 2_000;
    long t = now();
    Map<String, String> expected = new HashMap<>();
    List<String> messages = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < voters; i++) {
        String option = random.nextBoolean() ? "a" : "b";
        messages.add(message(voter(i), option, t + round * 1_000L + random.nextInt(500)));
        expected.put(voter(i), option);
      }
    }
    redis.push(queue, messages);

    deploy("w1", 50, 2, database);
    deploy("w2", 50, 2, database);
    deploy("w3", 50, 2, database);

    awaitQueueAndListsEmpty();
    awaitRows(voters);
    assertThat(db.votes(voterPrefix)).isEqualTo(expected);
  }

  @Test
  void theBatchOfADeadWorkerIsRecoveredAndWrittenOnce() {
    // "ghost" claimed 300 votes and died: its processing list is registered, its heartbeat gone.
    String ghostList = queue + ":processing:ghost:0";
    List<String> claimed = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      claimed.add(message(voter(i), "b", now()));
    }
    redis.push(ghostList, claimed);
    Await.result(redis.api().sadd(List.of(queue + ":processing", ghostList)));
    redis.push(queue, List.of(message(voter(1_000), "a", now())));

    Worker worker = deploy("w1", 100, 2, database);

    awaitRows(301);
    assertThat(redis.exists(ghostList)).isFalse();
    assertThat(db.votes(voterPrefix).values()).containsOnly("a", "b");
    assertThat(db.count("SELECT count(*) FROM votes WHERE id LIKE $1 AND vote = 'b'", voterPrefix + "%")).isEqualTo(300);
    assertThat(PrometheusText.value(worker.metrics(), "worker_votes_recovered_total")).isEqualTo(300);
  }

  @Test
  void aLiveWorkersBatchIsLeftAloneWhileADeadOnesIsRecovered() {
    String busyList = queue + ":processing:busy:0";
    redis.push(busyList, List.of(message(voter(1), "a", now())));
    Await.result(redis.api().sadd(List.of(queue + ":processing", busyList)));
    Await.result(redis.api().set(List.of(queue + ":worker:busy", "someone", "PX", "60000")));
    String ghostList = queue + ":processing:ghost:0";
    redis.push(ghostList, List.of(message(voter(2), "a", now())));
    Await.result(redis.api().sadd(List.of(queue + ":processing", ghostList)));

    Worker worker = deploy("w1", 100, 1, database);
    // The ghost's vote in the table proves the reaper went through the registry, busy's list included.
    awaitRows(1);
    Await.until("a whole reaper pass done", DRAIN,
        () -> PrometheusText.value(worker.metrics(), "worker_reaper_runs_total") >= 1);

    assertThat(redis.range(busyList)).hasSize(1);
    assertThat(db.votes(voterPrefix)).containsOnlyKeys(voter(2));
  }

  @Test
  void aRestartedWorkerFinishesItsOwnBatchFirst() {
    String ownList = queue + ":processing:w1:0";
    redis.push(ownList, List.of(message(voter(1), "a", now()), message(voter(2), "b", now())));
    Await.result(redis.api().sadd(List.of(queue + ":processing", ownList)));

    deploy("w1", 100, 1, database);

    awaitRows(2);
    assertThat(db.votes(voterPrefix)).containsOnly(Map.entry(voter(1), "a"), Map.entry(voter(2), "b"));
    Await.until("own list released", DRAIN, () -> !redis.exists(ownList));
  }

  /** A second live process with the same WORKER_ID waits, touching nothing, until the first has stopped. */
  @Test
  void aSecondProcessWithTheSameWorkerIdWaitsUntilTheIdIsFree() {
    Worker first = deploy("twin", 100, 1, database);
    awaitReady(first);
    Worker second = deploy("twin", 100, 1, database);
    Await.until("the second reports why it is not ready", DRAIN,
        () -> Readiness.down(second.management().get("/ready")).contains("heartbeat"));

    redis.push(queue, List.of(message(voter(1), "a", now())));
    Await.until("the first commits it", DRAIN, () -> PrometheusText.value(first.metrics(), "worker_batches_total") == 1);
    assertThat(PrometheusText.value(second.metrics(), "worker_batches_total")).isZero();

    first.undeploy();

    awaitReady(second);
    redis.push(queue, List.of(message(voter(2), "b", now())));
    awaitRows(2);
    Await.until("the second committed it", DRAIN, () -> PrometheusText.value(second.metrics(), "worker_batches_total") == 1);
  }

  /**
   * A worker that lost its id to another process while a batch was in flight commits it, but may not
   * release the list: it is the other process's now, and may hold that process's batch.
   */
  @Test
  void aWorkerThatLostItsIdNeverReleasesTheNewOwnersList() {
    Worker worker = deploy("w1", 100, 1, database);
    awaitReady(worker);
    String list = queue + ":processing:w1:0";
    try (TableLock lock = new TableLock(db)) {
      redis.push(queue, List.of(message(voter(1), "a", now())));
      Await.until("the vote is claimed", DRAIN, () -> redis.length(list) == 1);
      // Another process takes the id (as after a pause past the heartbeat's TTL) and claims into the list.
      Await.result(redis.api().set(List.of(queue + ":worker:w1", "another-process", "PX", "60000")));
      redis.push(list, List.of(message(voter(2), "b", now())));
    }

    awaitRows(1);
    Await.until("the release was refused", DRAIN,
        () -> PrometheusText.value(worker.metrics(), "worker_failures_total{dependency=\"heartbeat\"}") >= 1);
    assertThat(redis.range(list)).as("the other process's batch is still there").hasSize(2);
    Await.until("not ready: the heartbeat is another process's", DRAIN,
        () -> Readiness.down(worker.management().get("/ready")).contains("heartbeat"));
  }

  @Test
  void postgresGoingAwayDuringADrainLosesNothingAndClaimsNothingMore() {
    try (TcpProxy proxy = new TcpProxy(app.vertx, database.host(), database.port())) {
      PgConfig viaProxy = new PgConfig("127.0.0.1", proxy.port(), database.database(), database.user(), database.password(),
          database.sslMode(), database.sslRootCert());
      List<String> messages = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        messages.add(message(voter(i), i % 2 == 0 ? "a" : "b", now()));
      }
      redis.push(queue, messages);
      Worker worker = deploy("w1", 200, 2, viaProxy);
      Browser probe = worker.management();
      Await.until("some votes written", DRAIN, () -> written() > 0);

      proxy.cut();

      Await.until("not ready while PostgreSQL is away", DRAIN, () -> probe.get("/ready").statusCode() == 503);
      assertThat(Readiness.down(probe.get("/ready"))).contains("postgres");
      long waiting = redis.length(queue);
      double failures = failures(worker, "postgres");
      Await.until("six more failed attempts at the claimed batches", DRAIN, () -> failures(worker, "postgres") >= failures + 6);
      assertThat(redis.length(queue)).as("nothing more claimed while PostgreSQL is away").isEqualTo(waiting);

      proxy.restore();

      awaitRows(20_000);
      Await.until("ready again", DRAIN, () -> probe.get("/ready").statusCode() == 200);
      Map<String, String> votes = db.votes(voterPrefix);
      for (int i = 0; i < 20_000; i++) {
        assertThat(votes.get(voter(i))).isEqualTo(i % 2 == 0 ? "a" : "b");
      }
      assertThat(redis.range(queue + ":dead")).isEmpty();
    }
  }

  @Test
  void redisGoingAwayDuringADrainLosesNothingAndCountsNothingTwice() {
    URI redisUri = URI.create(TestServers.redisUrl());
    try (TcpProxy proxy = new TcpProxy(app.vertx, redisUri.getHost(), redisUri.getPort())) {
      List<String> messages = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        messages.add(message(voter(i), i % 3 == 0 ? "b" : "a", now()));
      }
      redis.push(queue, messages);
      Worker worker = deploy(config("w1", 200, 2, database, Map.of("REDIS_URL", "redis://127.0.0.1:" + proxy.port())));
      Browser probe = worker.management();
      Await.until("some votes written", DRAIN, () -> written() > 0);

      proxy.cut();

      Await.until("not ready while Redis is away", DRAIN, () -> Readiness.down(probe.get("/ready")).contains("redis"));
      // Away until a lane has met the outage, not only the readiness check: a lane busy with PostgreSQL
      // for the whole cut would reconnect on its next call and never see it.
      Await.until("a lane failed on Redis", DRAIN, () -> failures(worker, "redis") >= 1);

      proxy.restore();

      awaitRows(20_000);
      Await.until("queue drained, processing lists released, ready again", DRAIN, () -> redis.length(queue) == 0
          && redis.keys().stream().noneMatch(key -> key.contains(":processing:"))
          && probe.get("/ready").statusCode() == 200);
      Map<String, String> votes = db.votes(voterPrefix);
      for (int i = 0; i < 20_000; i++) {
        assertThat(votes.get(voter(i))).isEqualTo(i % 3 == 0 ? "b" : "a");
      }
      assertThat(redis.range(queue + ":dead")).as("dead letters").isEmpty();
      assertThat(failures(worker, "redis")).isGreaterThanOrEqualTo(1);
    }
  }

  /**
   * A connection that stops answering without closing (a black hole: a dead NAT entry, a partition)
   * fails its batch at the deadline: the worker says it is not ready, keeps the batch, and finishes it on a
   * new connection once the network is back, instead of hanging for the kernel's retransmission time.
   */
  @Test
  void aBlackHoledPostgresConnectionFailsAtItsDeadlineAndTheBatchIsRetried() {
    try (TcpProxy proxy = new TcpProxy(app.vertx, database.host(), database.port())) {
      PgConfig viaProxy = new PgConfig("127.0.0.1", proxy.port(), database.database(), database.user(), database.password(),
          database.sslMode(), database.sslRootCert());
      redis.push(queue, votes(5_000));
      Worker worker = deploy(config("w1", 100, 2, viaProxy, Map.of("WORKER_TIMEOUT_MS", "1500")));
      Await.until("some votes written", DRAIN, () -> written() > 0);

      proxy.blackhole();

      Await.until("not ready: a lane's PostgreSQL write missed its deadline", DRAIN,
          () -> Readiness.down(worker.management().get("/ready")).contains("lanes"));
      assertThat(written() + redis.length(queue) + processingLength()).as("every vote written, queued or claimed")
          .isGreaterThanOrEqualTo(5_000);

      proxy.heal();

      awaitRows(5_000);
      Await.until("ready again", DRAIN, () -> worker.management().get("/ready").statusCode() == 200);
      assertThat(redis.range(queue + ":dead")).isEmpty();
    }
  }

  @Test
  void aBlackHoledRedisConnectionFailsAtItsDeadlineAndTheBatchIsRetried() {
    URI redisUri = URI.create(TestServers.redisUrl());
    try (TcpProxy proxy = new TcpProxy(app.vertx, redisUri.getHost(), redisUri.getPort())) {
      redis.push(queue, votes(5_000));
      Worker worker = deploy(config("w1", 100, 2, database,
          Map.of("REDIS_URL", "redis://127.0.0.1:" + proxy.port(), "WORKER_TIMEOUT_MS", "1500")));
      Await.until("some votes written", DRAIN, () -> written() > 0);

      proxy.blackhole();

      Await.until("not ready: Redis commands miss their deadline", DRAIN,
          () -> worker.management().get("/ready").statusCode() == 503);

      proxy.heal();

      awaitRows(5_000);
      awaitQueueAndListsEmpty();
      Await.until("ready again", DRAIN, () -> worker.management().get("/ready").statusCode() == 200);
      assertThat(redis.range(queue + ":dead")).isEmpty();
    }
  }

  @Test
  void anExistingReferenceTableKeepsItsRows() {
    PgConfig legacy = TestServers.newDatabase();
    try (Db old = new Db(app.vertx, legacy)) {
      old.execute("CREATE TABLE votes (id VARCHAR(255) NOT NULL UNIQUE, vote VARCHAR(255) NOT NULL)");
      old.execute("INSERT INTO votes (id, vote) VALUES ('old-1', 'a'), ('old-2', 'b')");
      redis.push(queue, List.of(message("old-1", "b", now()), message(voter(1), "a", now())));

      deploy("w1", 100, 1, legacy);

      Await.until("new votes written", DRAIN, () -> old.count("SELECT count(*) FROM votes") == 3
          && "b".equals(old.votes("old-1").get("old-1")));
      assertThat(old.votes("old-2")).containsEntry("old-2", "b");
      assertThat(old.count("SELECT count(*) FROM (SELECT vote, COUNT(id) FROM votes GROUP BY vote) AS tally")).isEqualTo(2);
    }
  }

  @Test
  void workersStartingAtOnceOnAnEmptyDatabaseAllBecomeReady() {
    PgConfig fresh = TestServers.newDatabase();
    List<InProcessApp> processes = new ArrayList<>();
    List<io.vertx.core.Future<String>> deploying = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      InProcessApp process = app.another();
      processes.add(process);
      deploying.add(process.vertx.deployVerticle(new WorkerVerticle(config("w" + i, 100, 1, fresh, Map.of()), process.management)));
    }
    for (int i = 0; i < 4; i++) {
      workers.add(new Worker(processes.get(i), Await.result(deploying.get(i))));
    }

    workers.forEach(this::awaitReady);
    try (Db created = new Db(app.vertx, fresh)) {
      assertThat(created.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'votes'")).isEqualTo(3);
    }
  }

  /** Migrations that are already applied take no lock on votes: a long reader (a backup) does not hold up a start. */
  @Test
  void aWorkerStartsAndWritesWhileALongReaderHoldsTheTable() {
    deploy("w1", 100, 1, database);
    awaitReady(workers.get(0));
    Await.result(workers.remove(0).process.close());
    try (LongReader reader = new LongReader(database)) {
      redis.push(queue, List.of(message(voter(1), "a", now())));

      Worker worker = deploy("w2", 100, 1, database);

      awaitReady(worker);
      awaitRows(1);
      assertThat(reader.stillOpen()).isTrue();
    }
  }

  /**
   * A migration that has to change the table waits at most its lock timeout behind a long reader, then
   * retries: writers queued behind its lock request are never stuck behind it for longer.
   */
  @Test
  void aMigrationBehindALongReaderGivesWayToOtherWriters() {
    PgConfig legacy = TestServers.newDatabase();
    try (Db old = new Db(app.vertx, legacy)) {
      old.execute("CREATE TABLE votes (id VARCHAR(255) NOT NULL UNIQUE, vote VARCHAR(255) NOT NULL)");
      Worker worker;
      try (LongReader reader = new LongReader(legacy)) {
        worker = deploy("w1", 100, 1, legacy);
        Await.until("the migration waits for its lock", DRAIN, () -> old.count(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'votes'::regclass"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") > 0);

        // The reference worker's plain INSERT, queued behind the migration's lock request.
        long started = System.nanoTime();
        old.execute("INSERT INTO votes (id, vote) VALUES ('ref-1', 'a')");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(Readiness.down(worker.management().get("/ready"))).contains("schema");
      }
      awaitReady(worker);
      assertThat(old.count("SELECT votes FROM vote_tally WHERE vote = 'a'")).isEqualTo(1);
    }
  }

  @Test
  void undeployingCommitsTheBatchInFlightAndReleasesEverything() {
    redis.push(queue, votes(30_000));
    Worker worker = deploy("w1", 500, 2, database);
    Await.until("draining", DRAIN, () -> written() > 0);

    worker.undeploy();

    long written = db.count("SELECT count(*) FROM votes WHERE id LIKE $1", voterPrefix + "%");
    assertThat(written + redis.length(queue)).as("every vote is either written or still queued").isEqualTo(30_000);
    assertThat(redis.keys()).noneMatch(key -> key.contains(":processing:") || key.contains(":worker:"));
  }

  /** While a stopping worker finishes its batch, it keeps its heartbeat, so no reaper hands the batch to another worker. */
  @Test
  void aStoppingWorkerKeepsItsHeartbeatUntilItsBatchIsCommitted() {
    Worker worker = deploy(config("w1", 100, 1, database, Map.of("WORKER_TIMEOUT_MS", "60000")));
    awaitReady(worker);
    String heartbeat = queue + ":worker:w1";
    io.vertx.core.Future<Void> stopped;
    try (TableLock lock = new TableLock(db)) {
      redis.push(queue, List.of(message(voter(1), "a", now())));
      Await.until("the vote is claimed", DRAIN, () -> redis.length(queue + ":processing:w1:0") == 1);

      stopped = worker.process.vertx.undeploy(worker.deployment);

      long before = ttl(heartbeat);
      Await.until("the heartbeat renewed while the batch waits", DRAIN, () -> ttl(heartbeat) > before);
      assertThat(stopped.isComplete()).isFalse();
    }
    Await.result(stopped);
    awaitRows(1);
    assertThat(redis.exists(heartbeat)).isFalse();
  }

  private Worker deploy(String workerId, int batchSize, int concurrency, PgConfig pg) {
    return deploy(config(workerId, batchSize, concurrency, pg, Map.of()));
  }

  private Worker deploy(Config config) {
    InProcessApp process = app.another();
    Worker worker = new Worker(process, Await.result(process.vertx.deployVerticle(new WorkerVerticle(config, process.management))));
    workers.add(worker);
    return worker;
  }

  private Config config(String workerId, int batchSize, int concurrency, PgConfig pg, Map<String, String> extra) {
    return TestConfig.on(pg).queueOn(TestServers.redisUrl(), queue)
        .with("WORKER_ID", workerId)
        .with("WORKER_BATCH_SIZE", String.valueOf(batchSize))
        .with("WORKER_CONCURRENCY", String.valueOf(concurrency))
        .with(extra)
        .config();
  }

  private void awaitReady(Worker worker) {
    Await.until("worker ready", DRAIN, () -> worker.management().get("/ready").statusCode() == 200);
  }

  private void awaitRows(int rows) {
    Await.until(rows + " rows", DRAIN, () -> written() == rows);
  }

  private void awaitQueueAndListsEmpty() {
    Await.until("queue and processing lists empty", DRAIN, () -> redis.length(queue) == 0
        && redis.keys().stream().noneMatch(key -> key.contains(":processing:")));
  }

  /** This test's rows; 0 until a worker has created the table. */
  private long written() {
    if (db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'votes'") == 0) {
      return 0;
    }
    return db.count("SELECT count(*) FROM votes WHERE id LIKE $1", voterPrefix + "%");
  }

  private long processingLength() {
    return redis.keys().stream().filter(key -> key.contains(":processing:")).mapToLong(redis::length).sum();
  }

  private long ttl(String key) {
    return Await.result(redis.api().pttl(key)).toLong();
  }

  private static double failures(Worker worker, String dependency) {
    return PrometheusText.value(worker.metrics(), "worker_failures_total{dependency=\"" + dependency + "\"}");
  }

  private List<String> votes(int count) {
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      messages.add(message(voter(i), "a", now()));
    }
    return messages;
  }

  private String voter(int i) {
    return voterPrefix + i;
  }

  private static String message(String voterId, String vote, long ts) {
    return new JsonObject().put("voter_id", voterId).put("vote", vote).put("ts", ts).encode();
  }

  private static String reference(String voterId, String vote) {
    return new JsonObject().put("voter_id", voterId).put("vote", vote).encode();
  }

  private static long now() {
    return VoteMessage.micros(Instant.now());
  }

  /** A transaction that has read votes and stays open (a backup, a report), holding its ACCESS SHARE lock. */
  private final class LongReader implements AutoCloseable {
    private final Db reader;
    private final SqlConnection connection;

    LongReader(PgConfig pg) {
      reader = new Db(app.vertx, pg);
      connection = reader.connection();
      Await.result(connection.query("BEGIN").execute());
      Await.result(connection.query("SELECT count(*) FROM votes").execute());
    }

    boolean stillOpen() {
      return Await.result(connection.query("SELECT 1").execute()).size() == 1;
    }

    @Override
    public void close() {
      Await.result(connection.query("ROLLBACK").execute());
      Await.result(connection.close());
      reader.close();
    }
  }
}
