package dev.votingapp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.store.VoteMessage;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.testing.TestServers.EmbeddedRedis;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis at its memory limit with noeviction (as in compose): new votes are refused with 503, and a
 * worker, even one started only now, drains the queue, after which voting works again. Every step of
 * the worker frees memory, so a full Redis must not stop it.
 */
@ExtendWith(VertxExtension.class)
class FullRedisIT {

  private static final Duration SOON = Duration.ofSeconds(60);
  /** A Redis that refuses writes once it holds 4 MB. */
  private static final List<String> SMALL_REDIS = List.of("maxmemory 4mb", "maxmemory-policy noeviction");

  @Test
  void aWorkerStartedWhileRedisIsFullDrainsItAndVotingResumes(InProcessApp app) {
    EmbeddedRedis redis = EmbeddedRedis.start(SMALL_REDIS);
    String queue = TestServers.uniqueKey("full");
    try (RedisKeys keys = new RedisKeys(app.vertx, redis.url(), queue); Db db = Db.onNewDatabase(app.vertx)) {
      // Messages that are not votes: the first batch's release has dead letters to append while full.
      keys.push(queue, List.of("not a vote", "{\"voter_id\":\"x\"}", "[1]"));
      int queued = fill(keys, queue);
      Config config = TestConfig.on(db.config()).queueOn(redis.url(), queue).with("WORKER_ID", "full")
          .with("WORKER_CONCURRENCY", "1") // no other lane frees memory for it
          .config();
      Browser voter = new Browser(Await.result(VoteService.deploy(app.vertx, config, app.management, 1)).port());
      assertThat(voter.postForm("/", "vote=a").statusCode()).as("a vote while Redis is full").isEqualTo(503);

      Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));

      Await.until(queued + " rows, queue empty", SOON, () -> db.tableExists("votes")
          && db.count("SELECT count(*) FROM votes") == queued && keys.length(queue) == 0);
      assertThat(voter.postForm("/", "vote=b").statusCode()).as("a vote once drained").isEqualTo(200);
      assertThat(keys.length(queue + ":dead")).isEqualTo(3);
    } finally {
      redis.stop();
    }
  }

  /**
   * Redis full of something else (dead letters, another app's keys) and the queue empty: a dead worker's
   * batch is still moved back and written, though nothing the worker does frees memory first.
   */
  @Test
  void theBatchOfADeadWorkerIsRecoveredWhileRedisIsFull(InProcessApp app) {
    EmbeddedRedis redis = EmbeddedRedis.start(SMALL_REDIS);
    String queue = TestServers.uniqueKey("full");
    try (RedisKeys keys = new RedisKeys(app.vertx, redis.url(), queue); Db db = Db.onNewDatabase(app.vertx)) {
      String ghostList = queue + ":processing:ghost:0";
      List<String> claimed = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        claimed.add(new VoteMessage("ghost-" + i, "b", VoteMessage.micros(Instant.now())).toJson());
      }
      keys.push(ghostList, claimed);
      Await.result(keys.api().sadd(List.of(queue + ":processing", ghostList)));
      for (int i = 0; ; i++) {
        try {
          Await.result(keys.api().set(List.of(queue + ":ballast:" + i, "x".repeat(1_000))));
        } catch (RuntimeException full) {
          assertThat(full.getMessage()).startsWith("OOM");
          break;
        }
      }
      Config config = TestConfig.on(db.config()).queueOn(redis.url(), queue).with("WORKER_ID", "full").config();

      Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));

      Await.until("the dead worker's 100 votes written", SOON,
          () -> db.tableExists("votes") && db.count("SELECT count(*) FROM votes") == 100);
      assertThat(keys.exists(ghostList)).isFalse();
      // Waiting for votes on a queue that stays empty is no failure, even when Redis refuses BLMOVE for memory.
      assertThat(PrometheusText.value(app.metrics(), "worker_failures_total{dependency=\"redis\"}")).isZero();
    } finally {
      redis.stop();
    }
  }

  /** Pushes votes until Redis refuses even one more; returns how many it took. */
  private static int fill(RedisKeys keys, String queue) {
    long ts = VoteMessage.micros(Instant.now());
    int queued = 0;
    for (int size : new int[] {500, 20, 1}) {
      while (true) {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          batch.add(new VoteMessage("full-" + (queued + i), "a", ts + queued + i).toJson());
        }
        try {
          keys.push(queue, batch);
          queued += size;
        } catch (RuntimeException full) {
          assertThat(full.getMessage()).startsWith("OOM");
          break;
        }
      }
    }
    return queued;
  }
}
