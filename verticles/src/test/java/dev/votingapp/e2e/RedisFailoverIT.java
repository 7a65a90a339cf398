package dev.votingapp.e2e;

import static dev.votingapp.testing.Await.LATER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Ballots;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.RedisProcess;
import dev.votingapp.testing.TcpProxy;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis replication is asynchronous: a vote the primary acknowledged can vanish when a replica is
 * promoted. With REDIS_WAIT_REPLICAS the vote service says 200 only once a replica has the vote, so a
 * failover loses no acknowledged vote. Debian's redis-server on loopback: a primary and a replica.
 */
@ExtendWith(VertxExtension.class)
class RedisFailoverIT {

  @TempDir
  Path dir;

  @Test
  void aVoteTheReplicaDoesNotConfirmGets503AndVotesFlowAgainWhenItCatchesUp(InProcessApp app) throws Exception {
    try (RedisProcess primary = RedisProcess.start(dir); RedisProcess replica = RedisProcess.replicaOf(primary, dir)) {
      Map<String, String> env = Map.of("REDIS_URL", primary.url(), "REDIS_WAIT_REPLICAS", "1");
      int port = Await.result(VoteService.deploy(app.vertx, TestConfig.of(env), app.management, 1)).port();
      assertThat(Ballots.vote(port, "voter-replicated-1", "a").statusCode()).isEqualTo(200);

      replica.pause();
      long started = System.nanoTime();
      HttpResponse<String> refused = Ballots.vote(port, "voter-unconfirmed-1", "b");
      long tookMs = (System.nanoTime() - started) / 1_000_000;

      assertThat(refused.statusCode()).as("a vote no replica confirmed").isEqualTo(503);
      assertThat(refused.body()).contains("Your vote was not recorded");
      assertThat(tookMs).as("answered within the vote timeout, ms").isLessThan(2_000);
      String metrics = app.metrics();
      assertThat(PrometheusText.value(metrics, "votes_redis_failures_total{kind=\"not_replicated\"}")).isEqualTo(1.0);
      assertThat(PrometheusText.value(metrics, "votes_accepted_total{option=\"b\"}")).isZero();

      replica.resume();
      Await.until("votes are acknowledged again once the replica catches up", LATER,
          () -> Ballots.vote(port, "voter-replicated-2", "b").statusCode() == 200);
    }
  }

  /**
   * A burst of votes, the replica falling behind during the last of it (its replication link black-holed:
   * the primary's stream goes nowhere), then the primary killed
   * with SIGKILL, the replica promoted and the "primary endpoint" (a TCP proxy standing in for
   * ElastiCache's DNS name) moved to it, and a new replica attached. Votes go on after the failover.
   * Every vote that got 200 reaches the table with the voter's choice; the services found the new
   * primary by themselves, through the endpoint.
   */
  @Test
  void everyAcknowledgedVoteReachesTheTableAcrossAFailover(InProcessApp app) throws Exception {
    PgConfig database = TestServers.newDatabase();
    try (RedisProcess primary = RedisProcess.start(dir);
         TcpProxy link = new TcpProxy(app.vertx, "127.0.0.1", primary.port());
         RedisProcess replica = RedisProcess.replicaOf(link.port(), dir); Db db = new Db(app.vertx, database);
         TcpProxy endpoint = new TcpProxy(app.vertx, "127.0.0.1", primary.port())) {
      db.migrate();
      Config config = TestConfig.on(database).with("REDIS_URL", "redis://127.0.0.1:" + endpoint.port())
          .with("REDIS_WAIT_REPLICAS", "1").with("WORKER_ID", "failover").with("WORKER_TIMEOUT_MS", "2000").config();
      int port = Await.result(VoteService.deploy(app.vertx, config, app.management, 1)).port();
      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      Await.until("the vote service takes votes", LATER, () -> Ballots.vote(port, "voter-first", "b").statusCode() == 200);
      acknowledged.put("voter-first", "b");

      burst(port, "before", 200, acknowledged);
      link.blackhole();
      burst(port, "lagging", 50, acknowledged);
      primary.kill();
      replica.promote();
      endpoint.retarget("127.0.0.1", replica.port());
      try (RedisProcess newReplica = RedisProcess.replicaOf(replica, dir)) {
        Await.until("votes acknowledged by the new primary", LATER, () -> Ballots.vote(port, "voter-after-first", "a").statusCode() == 200);
        acknowledged.put("voter-after-first", "a");
        burst(port, "after", 200, acknowledged);
        // The worker starts last, as if it had fallen behind: the queue must hold every acknowledged vote.
        Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));

        Await.until("the worker drained the queue", Duration.ofSeconds(60),
            () -> replica.command("LLEN", "votes").startsWith(":0") && replica.command("KEYS", "votes:processing:*").startsWith("*0"));
        try {
          Await.until("every acknowledged vote in the table", Duration.ofSeconds(10),
              () -> db.count("SELECT count(*) FROM votes") >= acknowledged.size());
        } catch (AssertionError notAll) {
          // the comparison below names every vote that is missing
        }
        assertThat(db.missing(acknowledged)).as("acknowledged votes missing or wrong in the table, of " + acknowledged.size()).isEmpty();
        assertThat(acknowledged.keySet()).as("acknowledged before the failover")
            .anyMatch(voter -> voter.startsWith("voter-before-")).noneMatch(voter -> voter.startsWith("voter-lagging-"));
        assertThat(acknowledged.keySet()).as("acknowledged after the failover").anyMatch(voter -> voter.startsWith("voter-after-"));
      }
    }
  }

  /** {@code count} voters vote at once, each with its own voter id; the ones that got 200 are recorded. */
  private static void burst(int port, String prefix, int count, Map<String, String> acknowledged) {
    List<CompletableFuture<Void>> votes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String voter = "voter-" + prefix + "-" + i;
      String choice = i % 3 == 0 ? "a" : "b";
      votes.add(Ballots.HTTP.sendAsync(Ballots.request(port, voter, choice), HttpResponse.BodyHandlers.discarding())
          .handle((response, failed) -> {
            if (failed == null && response.statusCode() == 200) {
              acknowledged.put(voter, choice);
            }
            return null;
          }));
    }
    CompletableFuture.allOf(votes.toArray(CompletableFuture[]::new)).join();
  }
}
