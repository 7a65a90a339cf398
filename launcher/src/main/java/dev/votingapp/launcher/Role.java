package dev.votingapp.launcher;

import dev.votingapp.common.Config;
import dev.votingapp.result.ResultVerticle;
import dev.votingapp.vote.VoteVerticle;
import dev.votingapp.worker.WorkerVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the launcher can start. A role is listed here once it exists; "all" starts every one of them. */
enum Role {
  VOTE("vote", "the ballot on VOTE_PORT (5000)") {
    @Override
    Future<?> deploy(Vertx vertx, Config config, PrometheusMeterRegistry registry) {
      // One instance per core: HTTP parsing and Redis I/O spread over every event loop.
      return vertx.deployVerticle(() -> new VoteVerticle(config, registry),
          new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    String listening(Config config) {
      return "vote on :" + config.votePort() + ", queue " + config.redis().queueKey() + " at " + config.redis().safeUrl();
    }
  },
  WORKER("worker", "moves votes from Redis to PostgreSQL; health and metrics on WORKER_PORT (5002)") {
    @Override
    Future<?> deploy(Vertx vertx, Config config, PrometheusMeterRegistry registry) {
      // One instance: its lanes (WORKER_CONCURRENCY) already overlap Redis and PostgreSQL round trips.
      return vertx.deployVerticle(new WorkerVerticle(config, registry));
    }

    @Override
    String listening(Config config) {
      return "worker " + config.worker().id() + " on :" + config.workerPort() + ", queue " + config.redis().queueKey()
          + " at " + config.redis().safeUrl() + " into " + config.pg();
    }
  },
  RESULT("result", "the results page, live over WebSocket, on RESULT_PORT (5001)") {
    @Override
    Future<?> deploy(Vertx vertx, Config config, PrometheusMeterRegistry registry) {
      // One instance per core: WebSocket clients spread over every event loop, so pushing a new tally
      // to thousands of them is shared out; each instance reads the tally (one row per option) itself.
      return vertx.deployVerticle(() -> new ResultVerticle(config, registry),
          new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()));
    }

    @Override
    String listening(Config config) {
      return "result on :" + config.resultPort() + ", tally from " + config.pg();
    }
  },
  ALL("all", "every role above in one JVM") {
    @Override
    Future<?> deploy(Vertx vertx, Config config, PrometheusMeterRegistry registry) {
      List<Future<?>> deployments = new ArrayList<>();
      for (Role role : services()) {
        deployments.add(role.deploy(vertx, config, registry));
      }
      return Future.all(deployments);
    }

    @Override
    String listening(Config config) {
      return services().stream().map(role -> role.listening(config)).collect(Collectors.joining("; "));
    }
  },
  DEV("dev", "every role in one JVM against embedded Redis and PostgreSQL, removed at exit (no Docker needed)") {
    @Override
    Future<?> deploy(Vertx vertx, Config config, PrometheusMeterRegistry registry) {
      return ALL.deploy(vertx, config, registry);
    }

    @Override
    String listening(Config config) {
      return "dev: ballot on http://localhost:" + config.votePort() + ", results on http://localhost:"
          + config.resultPort() + "; " + ALL.listening(config);
    }
  };

  private final String name;
  private final String description;

  Role(String name, String description) {
    this.name = name;
    this.description = description;
  }

  abstract Future<?> deploy(Vertx vertx, Config config, PrometheusMeterRegistry registry);

  /** One line for the log once the role is up. */
  abstract String listening(Config config);

  String roleName() {
    return name;
  }

  static Optional<Role> byName(String name) {
    return Arrays.stream(values()).filter(role -> role.name.equals(name)).findFirst();
  }

  static List<Role> services() {
    return Arrays.stream(values()).filter(role -> role != ALL && role != DEV).toList();
  }

  static String usage() {
    StringBuilder usage = new StringBuilder("usage: java -jar voting-app.jar ROLE\n\nroles:\n");
    for (Role role : values()) {
      usage.append(String.format("  %-8s %s%n", role.name, role.description));
    }
    usage.append(String.format("%n  %-8s %s%n", "seed", "cast SEED_A (2000) votes for a and SEED_B (1000) for b at VOTE_URL, then exit"));
    usage.append("\nConfiguration comes from environment variables; see the README.");
    return usage.toString();
  }
}
