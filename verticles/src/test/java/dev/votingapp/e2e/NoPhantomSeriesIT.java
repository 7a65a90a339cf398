package dev.votingapp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.result.ResultService;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.core.Future;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every counter whose label values are known exists, at 0, from the moment a role starts: a dashboard
 * shows 0 instead of "No data" for a failure that has not happened yet, and rate() and increase() see
 * the first one (a series that appears with its first increment starts at 1, and that 1 is never
 * counted as an increase).
 */
@ExtendWith(VertxExtension.class)
class NoPhantomSeriesIT {

  private static final List<String> VOTE_SERIES = List.of(
      "votes_redis_failures_total{kind=\"error\"}",
      "votes_redis_failures_total{kind=\"timeout\"}",
      "votes_redis_failures_total{kind=\"not_replicated\"}",
      "votes_rejected_total{reason=\"missing_vote\"}",
      "votes_rejected_total{reason=\"unknown_option\"}",
      "votes_rejected_total{reason=\"several_votes\"}",
      "votes_rejected_total{reason=\"body_too_large\"}",
      "votes_rejected_total{reason=\"cross_site\"}",
      "votes_accepted_total{option=\"a\"}",
      "votes_accepted_total{option=\"b\"}");

  /** The dead-letter reasons: each way a message can fail to be a vote, and a vote the database refused. */
  private static final List<String> DEAD_LETTER_REASONS = List.of("too_large", "not_an_object", "not_json",
      "missing_voter_id", "bad_voter_id", "missing_vote", "unknown_option", "bad_timestamp", "refused_by_database");

  private static final List<String> RESULT_SERIES = List.of(
      "result_clients_refused_total{reason=\"origin\"}",
      "result_clients_refused_total{reason=\"full\"}");

  @Test
  void theVoteServiceCountsItsFailuresFromZero(InProcessApp app, VertxTestContext test) {
    Config config = TestConfig.queue(TestServers.redisUrl(), TestServers.uniqueKey("zero")).config();
    assertAllAtZero(app, VoteService.deploy(app.vertx, config, app.management, 1), VOTE_SERIES, test);
  }

  @Test
  void theWorkerCountsItsFailuresAndDeadLettersFromZero(InProcessApp app, VertxTestContext test) {
    PgConfig database = TestServers.newDatabase();
    Config config = TestConfig.on(database).queueOn(TestServers.redisUrl(), TestServers.uniqueKey("zero"))
        .with("WORKER_ID", "zero-series").config();
    List<String> series = new ArrayList<>();
    for (String dependency : List.of("redis", "postgres", "heartbeat")) {
      series.add("worker_failures_total{dependency=\"" + dependency + "\"}");
    }
    for (String reason : DEAD_LETTER_REASONS) {
      series.add("worker_dead_letters_total{reason=\"" + reason + "\"}");
    }
    assertAllAtZero(app, app.vertx.deployVerticle(new WorkerVerticle(config, app.management)), series, test);
  }

  @Test
  void theResultServiceCountsRefusedClientsFromZero(InProcessApp app, VertxTestContext test) {
    PgConfig database = TestServers.newDatabase();
    assertAllAtZero(app, ResultService.deploy(app.vertx, TestConfig.on(database).config(), app.management, 1),
        RESULT_SERIES, test);
  }

  /** Once the role is deployed, the process's /metrics has every one of the series, at 0. */
  private static void assertAllAtZero(InProcessApp app, Future<?> deployed, List<String> series, VertxTestContext test) {
    deployed.compose(started -> app.scrape()).onComplete(test.succeeding(metrics -> test.verify(() -> {
      List<String> missing = series.stream().filter(one -> !PrometheusText.has(metrics, one)).toList();
      assertThat(missing).as("series missing right after start").isEmpty();
      for (String one : series) {
        assertThat(PrometheusText.value(metrics, one)).as(one).isZero();
      }
      test.completeNow();
    })));
  }
}
