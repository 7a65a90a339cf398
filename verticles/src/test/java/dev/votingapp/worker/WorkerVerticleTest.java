package dev.votingapp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.common.Config;
import dev.votingapp.common.PgConfig;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TcpProxy;
import dev.votingapp.testing.TestApp;
import dev.votingapp.testing.TestServers;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
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

/** The worker deployed against real Redis and PostgreSQL, checked by what ends up in the table. */
class WorkerVerticleTest {

  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static PgConfig database;

  private TestApp app;
  private RedisKeys redis;
  private Db db;
  private String queue;
  private String voterPrefix;
  private final List<String> deployments = new ArrayList<>();

  @BeforeAll
  static void database() {
    database = TestServers.newDatabase();
  }

  @BeforeEach
  void setUp() {
    app = new TestApp();
    queue = TestServers.uniqueKey("drain");
    voterPrefix = "v" + UUID.randomUUID().toString().substring(0, 8) + "-";
    redis = new RedisKeys(app.vertx, TestServers.redisUrl(), queue);
    db = new Db(app.vertx, database);
  }

  @AfterEach
  void tearDown() {
    for (String id : deployments) {
      Await.result(app.vertx.undeploy(id));
    }
    redis.close();
    db.close();
    app.close();
  }

  @Test
  void everyQueuedVoteBecomesARow() {
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      // half with our timestamp, half in the reference app's format without one
      messages.add(i % 2 == 0 ? message(voter(i), i % 3 == 0 ? "a" : "b", now() + i) : reference(voter(i), "a"));
    }
    redis.push(queue, messages);

    WorkerVerticle worker = deploy("w1", 100, 2, database);

    awaitRows(1_000);
    Map<String, String> votes = db.votes(voterPrefix);
    for (int i = 0; i < 1_000; i++) {
      assertThat(votes.get(voter(i))).isEqualTo(i % 2 == 0 ? (i % 3 == 0 ? "a" : "b") : "a");
    }
    Await.until("queue and processing lists empty", DRAIN, () -> redis.length(queue) == 0
        && redis.keys().stream().noneMatch(key -> key.contains(":processing:")));
    assertThat(redis.length(queue + ":dead")).isZero();
    String metrics = new Browser(worker.actualPort()).get("/metrics").body();
    assertThat(PrometheusText.value(metrics, "worker_votes_written_total")).isEqualTo(1_000);
    assertThat(metrics).contains("worker_batches_total", "worker_batch_size_count", "worker_queue_depth",
        "worker_claim_to_commit_seconds_bucket", "worker_vote_age_seconds_bucket");
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

  @Test
  void malformedMessagesGoToTheDeadLetterListWithTheirReason() {
    Map<String, String> badToReason = new HashMap<>();
    badToReason.put("not json at all", "not_json");
    badToReason.put("[1,2,3]", "not_an_object");
    badToReason.put("{\"vote\":\"a\"}", "missing_voter_id");
    badToReason.put("{\"voter_id\":42,\"vote\":\"a\"}", "missing_voter_id");
    badToReason.put(new JsonObject().put("voter_id", "x".repeat(300)).put("vote", "a").encode(), "bad_voter_id");
    badToReason.put("{\"voter_id\":\"bad\\u0000id\",\"vote\":\"a\"}", "bad_voter_id");
    badToReason.put("{\"voter_id\":\"" + voter(900) + "\"}", "missing_vote");
    badToReason.put("{\"voter_id\":\"" + voter(901) + "\",\"vote\":\"c\"}", "unknown_option");
    badToReason.put("{\"voter_id\":\"" + voter(902) + "\",\"vote\":\"a\",\"ts\":\"yesterday\"}", "bad_timestamp");
    badToReason.put(message(voter(903), "a", now() + 3_600_000_000L), "timestamp_in_future");
    badToReason.put("{\"voter_id\":\"" + voter(904) + "\",\"vote\":\"a\",\"pad\":\"" + "p".repeat(5_000) + "\"}", "too_large");
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      messages.add(message(voter(i), "a", now()));
    }
    messages.addAll(badToReason.keySet());
    Collections.shuffle(messages, new Random(7));
    redis.push(queue, messages);

    WorkerVerticle worker = deploy("w1", 7, 2, database);

    awaitRows(20);
    Await.until("every bad message dead-lettered", DRAIN, () -> redis.length(queue + ":dead") == badToReason.size());
    for (String letter : redis.range(queue + ":dead")) {
      JsonObject dead = new JsonObject(letter);
      assertThat(dead.getString("reason")).isEqualTo(badToReason.get(dead.getString("message")));
      assertThat(dead.getString("worker")).isEqualTo("w1");
    }
    assertThat(db.votes(voterPrefix)).hasSize(20);
    String metrics = new Browser(worker.actualPort()).get("/metrics").body();
    assertThat(PrometheusText.value(metrics, "worker_dead_letters_total{reason=\"not_json\"}")).isEqualTo(1);
    assertThat(new Browser(worker.actualPort()).get("/ready").statusCode()).as("still healthy").isEqualTo(200);
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

    Await.until("queue drained", DRAIN, () -> redis.length(queue) == 0
        && redis.keys().stream().noneMatch(key -> key.contains(":processing:")));
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

    WorkerVerticle worker = deploy("w1", 100, 2, database);

    awaitRows(301);
    assertThat(redis.exists(ghostList)).isFalse();
    assertThat(db.votes(voterPrefix).values()).containsOnly("a", "b");
    assertThat(db.count("SELECT count(*) FROM votes WHERE id LIKE $1 AND vote = 'b'", voterPrefix + "%")).isEqualTo(300);
    assertThat(PrometheusText.value(new Browser(worker.actualPort()).get("/metrics").body(), "worker_votes_recovered_total"))
        .isEqualTo(300);
  }

  @Test
  void aLiveWorkersBatchIsLeftAlone() {
    String busyList = queue + ":processing:busy:0";
    redis.push(busyList, List.of(message(voter(1), "a", now())));
    Await.result(redis.api().sadd(List.of(queue + ":processing", busyList)));
    Await.result(redis.api().set(List.of(queue + ":worker:busy", "someone", "PX", "60000")));
    redis.push(queue, List.of(message(voter(2), "a", now())));

    deploy("w1", 100, 1, database);
    awaitRows(1);

    assertThat(redis.length(busyList)).isEqualTo(1);
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

  @Test
  void postgresGoingAwayDuringADrainLosesNothing() {
    try (TcpProxy proxy = new TcpProxy(app.vertx, database.host(), database.port())) {
      PgConfig viaProxy = new PgConfig("127.0.0.1", proxy.port(), database.database(), database.user(), database.password());
      List<String> messages = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        messages.add(message(voter(i), i % 2 == 0 ? "a" : "b", now()));
      }
      redis.push(queue, messages);
      WorkerVerticle worker = deploy("w1", 200, 2, viaProxy);
      Browser probe = new Browser(worker.actualPort());
      Await.until("some votes written", DRAIN, () -> written() > 0);

      proxy.cut();

      Await.until("not ready while PostgreSQL is away", DRAIN, () -> probe.get("/ready").statusCode() == 503);
      long waiting = redis.length(queue);
      Await.until("claiming stopped: the queue holds still", Duration.ofSeconds(5), () -> true);
      assertThat(redis.length(queue)).isEqualTo(waiting);
      assertThat(new JsonObject(probe.get("/ready").body()).getJsonArray("down").getList()).contains("postgres");

      proxy.restore();

      awaitRows(20_000);
      Await.until("ready again", DRAIN, () -> probe.get("/ready").statusCode() == 200);
      Map<String, String> votes = db.votes(voterPrefix);
      for (int i = 0; i < 20_000; i++) {
        assertThat(votes.get(voter(i))).isEqualTo(i % 2 == 0 ? "a" : "b");
      }
      assertThat(redis.length(queue + ":dead")).isZero();
      assertThat(PrometheusText.value(probe.get("/metrics").body(), "worker_failures_total{dependency=\"postgres\"}"))
          .isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void redisGoingAwayDuringADrainLosesNothingAndCountsNothingTwice() {
    java.net.URI redisUri = java.net.URI.create(TestServers.redisUrl());
    try (TcpProxy proxy = new TcpProxy(app.vertx, redisUri.getHost(), redisUri.getPort())) {
      List<String> messages = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        messages.add(message(voter(i), i % 3 == 0 ? "b" : "a", now()));
      }
      redis.push(queue, messages);
      Map<String, String> env = TestApp.pgEnv(database);
      env.put("REDIS_URL", "redis://127.0.0.1:" + proxy.port());
      env.put("REDIS_QUEUE", queue);
      env.put("WORKER_ID", "w1");
      env.put("WORKER_BATCH_SIZE", "200");
      WorkerVerticle worker = new WorkerVerticle(TestApp.config(env), app.registry);
      deployments.add(Await.result(app.vertx.deployVerticle(worker)));
      Browser probe = new Browser(worker.actualPort());
      Await.until("some votes written", DRAIN, () -> written() > 0);

      proxy.cut();

      Await.until("not ready while Redis is away", DRAIN, () -> probe.get("/ready").statusCode() == 503);
      assertThat(new JsonObject(probe.get("/ready").body()).getJsonArray("down").getList()).contains("redis");

      proxy.restore();

      awaitRows(20_000);
      Await.until("queue drained, processing lists released, ready again", DRAIN, () -> redis.length(queue) == 0
          && redis.keys().stream().noneMatch(key -> key.contains(":processing:"))
          && probe.get("/ready").statusCode() == 200);
      Map<String, String> votes = db.votes(voterPrefix);
      for (int i = 0; i < 20_000; i++) {
        assertThat(votes.get(voter(i))).isEqualTo(i % 3 == 0 ? "b" : "a");
      }
      assertThat(redis.length(queue + ":dead")).isZero();
      assertThat(PrometheusText.value(probe.get("/metrics").body(), "worker_failures_total{dependency=\"redis\"}"))
          .isGreaterThanOrEqualTo(1);
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
    List<WorkerVerticle> workers = new ArrayList<>();
    List<io.vertx.core.Future<String>> deploying = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      WorkerVerticle worker = new WorkerVerticle(config("w" + i, 100, 1, fresh), app.registry);
      workers.add(worker);
      deploying.add(app.vertx.deployVerticle(worker));
    }
    deploying.forEach(future -> deployments.add(Await.result(future)));

    for (WorkerVerticle worker : workers) {
      Browser probe = new Browser(worker.actualPort());
      Await.until("worker ready", DRAIN, () -> probe.get("/ready").statusCode() == 200);
    }
    try (Db created = new Db(app.vertx, fresh)) {
      assertThat(created.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'votes'")).isEqualTo(3);
    }
  }

  @Test
  void undeployingCommitsTheBatchInFlightAndReleasesEverything() {
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      messages.add(message(voter(i), "a", now()));
    }
    redis.push(queue, messages);
    String id = Await.result(app.vertx.deployVerticle(new WorkerVerticle(config("w1", 500, 2, database), app.registry)));
    Await.until("draining", DRAIN, () -> written() > 0);

    Await.result(app.vertx.undeploy(id));

    long written = db.count("SELECT count(*) FROM votes WHERE id LIKE $1", voterPrefix + "%");
    assertThat(written + redis.length(queue)).as("every vote is either written or still queued").isEqualTo(30_000);
    assertThat(redis.keys()).noneMatch(key -> key.contains(":processing:") || key.contains(":worker:"));
  }

  private WorkerVerticle deploy(String workerId, int batchSize, int concurrency, PgConfig pg) {
    WorkerVerticle worker = new WorkerVerticle(config(workerId, batchSize, concurrency, pg), app.registry);
    deployments.add(Await.result(app.vertx.deployVerticle(worker)));
    return worker;
  }

  private Config config(String workerId, int batchSize, int concurrency, PgConfig pg) {
    Map<String, String> env = TestApp.pgEnv(pg);
    env.put("REDIS_URL", TestServers.redisUrl());
    env.put("REDIS_QUEUE", queue);
    env.put("WORKER_ID", workerId);
    env.put("WORKER_BATCH_SIZE", String.valueOf(batchSize));
    env.put("WORKER_CONCURRENCY", String.valueOf(concurrency));
    return TestApp.config(env);
  }

  private void awaitRows(int rows) {
    Await.until(rows + " rows", DRAIN, () -> written() == rows);
  }

  /** This test's rows; 0 until a worker has created the table. */
  private long written() {
    if (db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'votes'") == 0) {
      return 0;
    }
    return db.count("SELECT count(*) FROM votes WHERE id LIKE $1", voterPrefix + "%");
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
    return dev.votingapp.common.VoteMessage.micros(java.time.Instant.now());
  }
}
