package dev.votingapp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.PgConfig;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker as its own process, killed with SIGKILL in the middle of draining 110,000 votes, then
 * started again: the table ends with exactly the expected voters and votes.
 */
@ExtendWith(VertxExtension.class)
class WorkerCrashIT {

  private static final int VOTERS = 100_000;

  @Test
  void aWorkerKilledMidDrainLosesNothingAndCountsNothingTwice(Vertx vertx) throws Exception {
    String queue = TestServers.uniqueKey("crash");
    try (RedisKeys redis = new RedisKeys(vertx, TestServers.redisUrl(), queue); Db db = Db.onNewDatabase(vertx)) {
      Map<String, String> expected = queueVotes(redis, queue);
      Map<String, String> env = workerEnv(db.config(), queue);

      try (AppProcess first = AppProcess.start(env, "worker")) {
        Await.until("some votes written", Duration.ofSeconds(60), () -> rows(db) >= 10_000);
        first.kill();
        assertThat(first.exitCode(Duration.ofSeconds(10))).isNotZero();
      }
      long writtenBeforeCrash = rows(db);
      assertThat(writtenBeforeCrash).as("killed in the middle of the drain").isLessThan(VOTERS);
      System.out.printf("killed after %d rows; queue %d; processing lists %s%n", writtenBeforeCrash,
          redis.length(queue), redis.keys().stream().filter(key -> key.contains(":processing:")).toList());

      try (AppProcess second = AppProcess.start(env, "worker")) {
        Await.until("queue drained and every processing list released", Duration.ofSeconds(120),
            () -> redis.length(queue) == 0 && redis.keys().stream().noneMatch(key -> key.contains(":processing:"))
                && rows(db) == VOTERS);
        second.terminate();
        assertThat(second.exitCode(Duration.ofSeconds(30))).isZero();
      }

      Map<String, String> actual = new HashMap<>();
      db.rows("SELECT id, vote FROM votes").forEach(row -> actual.put(row.getString("id"), row.getString("vote")));
      assertThat(actual).hasSize(VOTERS).isEqualTo(expected);
      assertThat(redis.length(queue + ":dead")).isZero();
    }
  }

  /**
   * At low traffic a lane waits for the next vote; the vote it then claims must be findable by every
   * reaper. Here its worker is killed while the write waits on a locked table, and its id never comes
   * back: a worker with another id must still write the vote, within the heartbeat's TTL and a reaper
   * period.
   */
  @Test
  void aVoteClaimedByAWorkerThatNeverComesBackIsWrittenByAnother(Vertx vertx) throws Exception {
    String queue = TestServers.uniqueKey("stranded");
    try (RedisKeys redis = new RedisKeys(vertx, TestServers.redisUrl(), queue); Db db = Db.onNewDatabase(vertx)) {
      try (AppProcess first = AppProcess.start(workerEnv(db.config(), queue, "gone-for-good"), "worker")) {
        Browser management = new Browser(first.port("management", Duration.ofSeconds(30)));
        Await.until("the first worker is ready", Duration.ofSeconds(30), () -> management.isOk("/ready"));
        SqlConnection lock = db.connection();
        Await.result(lock.query("BEGIN").execute());
        Await.result(lock.query("LOCK TABLE votes IN EXCLUSIVE MODE").execute());
        redis.push(queue, List.of(message("lonely-voter", "b", Instant.now().getEpochSecond() * 1_000_000L)));
        Await.until("the vote is claimed", Duration.ofSeconds(10), () -> redis.keys().stream()
            .anyMatch(key -> key.contains(":processing:gone-for-good:") && redis.length(key) == 1));

        first.kill();
        assertThat(first.exitCode(Duration.ofSeconds(10))).isNotZero();
        Await.result(lock.query("COMMIT").execute());
        Await.result(lock.close());
      }

      try (AppProcess second = AppProcess.start(workerEnv(db.config(), queue, "someone-else"), "worker")) {
        Await.until("the vote is in the table", Duration.ofSeconds(30),
            () -> rows(db) == 1 && "b".equals(db.votes("lonely-voter").get("lonely-voter")));
      }
    }
  }

  /** 100,000 voters; every tenth votes twice, first for the other option: 110,000 messages. */
  private static Map<String, String> queueVotes(RedisKeys redis, String queue) {
    Map<String, String> expected = new HashMap<>();
    List<String> messages = new ArrayList<>();
    long t = Instant.now().getEpochSecond() * 1_000_000L;
    for (int i = 0; i < VOTERS; i++) {
      String voter = "voter-" + i;
      String last = i % 2 == 0 ? "a" : "b";
      if (i % 10 == 0) {
        messages.add(message(voter, last.equals("a") ? "b" : "a", t + i));
      }
      messages.add(message(voter, last, t + VOTERS + i));
      expected.put(voter, last);
    }
    redis.push(queue, messages);
    return expected;
  }

  private static Map<String, String> workerEnv(PgConfig database, String queue) {
    return workerEnv(database, queue, "crash-test");
  }

  private static Map<String, String> workerEnv(PgConfig database, String queue, String workerId) {
    Map<String, String> env = TestConfig.pgEnv(database);
    env.put("MANAGEMENT_PORT", "0");
    env.put("WORKER_ID", workerId);
    env.put("WORKER_BATCH_SIZE", "200");
    env.put("REDIS_URL", TestServers.redisUrl());
    env.put("REDIS_QUEUE", queue);
    return env;
  }

  private static long rows(Db db) {
    if (db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'votes'") == 0) {
      return 0;
    }
    return db.count("SELECT count(*) FROM votes");
  }

  private static String message(String voter, String vote, long ts) {
    return new JsonObject().put("voter_id", voter).put("vote", vote).put("ts", ts).encode();
  }
}
