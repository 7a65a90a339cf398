package dev.votingapp.vote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.Readiness;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.testing.TestServers.EmbeddedRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis going away and coming back, with a Redis server of the test's own that it stops and starts
 * again on the same port, and a "slow Redis" that accepts connections and never answers.
 */
@ExtendWith(VertxExtension.class)
class VoteRedisOutageIT {

  private static final Duration PROMISE = Duration.ofSeconds(2);

  private final String key = TestServers.uniqueKey("outage");
  private InProcessApp app;

  @BeforeEach
  void start(InProcessApp app) {
    this.app = app;
  }

  @Test
  void redisStoppedGives503FastThenEverythingRecoversByItself() {
    EmbeddedRedis redis = EmbeddedRedis.start();
    try (RedisKeys queue = new RedisKeys(app.vertx, redis.url(), key)) {
      Browser voter = new Browser(deployVoteAgainst(redis.url()));
      assertThat(voter.postForm("/", "vote=a").statusCode()).isEqualTo(200);
      String voterId = queue.messages(key).get(0).getString("voter_id");

      redis.stop();

      long started = System.nanoTime();
      HttpResponse<String> refused = voter.postForm("/", "vote=b");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(took).isLessThan(PROMISE);
      assertThat(refused.body()).contains("Your vote was not recorded").doesNotContain("disabled");
      HttpResponse<String> ready = app.managementPort().get("/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("DOWN");
      assertThat(Readiness.down(ready)).containsExactly("redis");
      assertThat(app.managementPort().get("/health").statusCode()).as("alive while Redis is down").isEqualTo(200);
      assertThat(PrometheusText.value(app.metrics(), "votes_redis_failures_total{kind=\"error\"}"))
          .isGreaterThanOrEqualTo(1);

      redis.restart();

      Await.until("/ready is 200 again", Duration.ofSeconds(15), app::ready);
      HttpResponse<String> accepted = voter.postForm("/", "vote=b");
      assertThat(accepted.statusCode()).isEqualTo(200);
      assertThat(accepted.body()).contains("class=\"b chosen\"");
      // The server restarted empty (no persistence); what matters is that the refused vote was not half-queued
      // and that the vote after recovery is there, for the same voter.
      List<JsonObject> after = queue.messages(key);
      assertThat(after).hasSize(1);
      assertThat(after.get(0).getString("voter_id")).isEqualTo(voterId);
      assertThat(after.get(0).getString("vote")).isEqualTo("b");
    } finally {
      redis.stop();
    }
  }

  @Test
  void redisThatDoesNotAnswerGives503WithinTwoSeconds() {
    List<NetSocket> held = new ArrayList<>();
    NetServer blackHole = Await.result(app.vertx.createNetServer()
        .connectHandler(held::add) // accepts, reads nothing, answers nothing
        .listen(0, "127.0.0.1"));
    Browser voter = new Browser(deployVoteAgainst("redis://127.0.0.1:" + blackHole.actualPort()));

    for (int attempt = 0; attempt < 3; attempt++) {
      long started = System.nanoTime();
      HttpResponse<String> refused = voter.postForm("/", "vote=a");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(took).isLessThan(PROMISE);
    }
    long started = System.nanoTime();
    assertThat(app.managementPort().get("/ready").statusCode()).isEqualTo(503);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMISE);
    assertThat(PrometheusText.value(app.metrics(), "votes_redis_failures_total{kind=\"timeout\"}"))
        .isGreaterThanOrEqualTo(3);
  }

  private int deployVoteAgainst(String redisUrl) {
    Config config = TestConfig.of(Map.of("REDIS_URL", redisUrl, "REDIS_QUEUE", key));
    return Await.result(VoteService.deploy(app.vertx, config, app.management, 1)).port();
  }
}
