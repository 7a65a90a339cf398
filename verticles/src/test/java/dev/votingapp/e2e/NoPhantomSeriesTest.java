package dev.votingapp.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.result.ResultService;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.TestApp;
import dev.votingapp.testing.TestServers;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every counter whose label values are known exists, at 0, from the moment a role starts: a dashboard
 * shows 0 instead of "No data" for a failure that has not happened yet, and rate() and increase() see
 * the first one (a series that appears with its first increment starts at 1, and that 1 is never
 * counted as an increase).
 */
class NoPhantomSeriesTest {

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
  void theVoteServiceCountsItsFailuresFromZero() {
    try (TestApp app = new TestApp()) {
      Map<String, String> env = Map.of("REDIS_URL", TestServers.redisUrl(), "REDIS_QUEUE", TestServers.uniqueKey("zero"));
      Await.result(VoteService.deploy(app.vertx, TestApp.config(env), app.management, 1));

      assertAllAtZero(app.metrics(), VOTE_SERIES);
    }
  }

  @Test
  void theWorkerCountsItsFailuresAndDeadLettersFromZero() {
    PgConfig database = TestServers.newDatabase();
    try (TestApp app = new TestApp()) {
      Map<String, String> env = new HashMap<>(TestApp.pgEnv(database));
      env.put("REDIS_URL", TestServers.redisUrl());
      env.put("REDIS_QUEUE", TestServers.uniqueKey("zero"));
      env.put("WORKER_ID", "zero-series");
      Config config = TestApp.config(env);
      Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));

      List<String> series = new ArrayList<>();
      for (String dependency : List.of("redis", "postgres", "heartbeat")) {
        series.add("worker_failures_total{dependency=\"" + dependency + "\"}");
      }
      for (String reason : DEAD_LETTER_REASONS) {
        series.add("worker_dead_letters_total{reason=\"" + reason + "\"}");
      }
      assertAllAtZero(app.metrics(), series);
    }
  }

  @Test
  void theResultServiceCountsRefusedClientsFromZero() {
    PgConfig database = TestServers.newDatabase();
    try (TestApp app = new TestApp()) {
      Await.result(ResultService.deploy(app.vertx, TestApp.config(TestApp.pgEnv(database)), app.management, 1));

      assertAllAtZero(app.metrics(), RESULT_SERIES);
    }
  }

  private static void assertAllAtZero(String metrics, List<String> series) {
    List<String> missing = series.stream().filter(one -> !PrometheusText.has(metrics, one)).toList();
    assertThat(missing).as("series missing right after start").isEmpty();
    for (String one : series) {
      assertThat(PrometheusText.value(metrics, one)).as(one).isZero();
    }
  }
}
