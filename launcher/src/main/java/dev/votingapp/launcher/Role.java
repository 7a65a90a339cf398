package dev.votingapp.launcher;

import dev.votingapp.config.Config;
import dev.votingapp.ops.Management;
import dev.votingapp.result.ResultService;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The commands that start a role and serve until stopped. A role is listed here once it exists; "all"
 * starts every one of them.
 */
enum Role implements Command {
  VOTE("vote", "the ballot on VOTE_PORT (5000)", true) {
    @Override
    Future<String> deploy(Vertx vertx, Config config, Management management) {
      // One instance per core: HTTP parsing and Redis I/O spread over every event loop.
      return VoteService.deploy(vertx, config, management, cores())
          .map(vote -> "vote on :" + vote.port() + ", queue " + config.redis().queueKey() + " at " + config.redis().safeUrl());
    }
  },
  WORKER("worker", "moves votes from Redis to PostgreSQL", false) {
    @Override
    Future<String> deploy(Vertx vertx, Config config, Management management) {
      // One instance: its lanes (WORKER_CONCURRENCY) already overlap Redis and PostgreSQL round trips.
      return vertx.deployVerticle(new WorkerVerticle(config, management))
          .map(deployed -> "worker " + config.worker().id() + ", queue " + config.redis().queueKey()
              + " at " + config.redis().safeUrl() + " into " + config.pg());
    }
  },
  RESULT("result", "the results page, live over WebSocket, on RESULT_PORT (5001)", true) {
    @Override
    Future<String> deploy(Vertx vertx, Config config, Management management) {
      // One instance per core: WebSocket clients spread over every event loop, so pushing a new tally to
      // thousands of them is shared out; the process reads the tally once, for all of them.
      return ResultService.deploy(vertx, config, management, cores())
          .map(result -> "result on :" + result.port() + ", tally from " + config.pg());
    }
  },
  ALL("all", "every role above in one JVM", true) {
    @Override
    Future<String> deploy(Vertx vertx, Config config, Management management) {
      List<Future<String>> deployments = new ArrayList<>();
      for (Role role : services()) {
        deployments.add(role.deploy(vertx, config, management));
      }
      return Future.all(deployments).map(done -> String.join("; ", deployments.stream().map(Future::result).toList()));
    }
  },
  DEV("dev", "every role in one JVM against embedded Redis and PostgreSQL, removed at exit (no Docker needed)", true) {
    @Override
    Future<String> deploy(Vertx vertx, Config config, Management management) {
      return ALL.deploy(vertx, config, management).map(all -> "dev: " + all);
    }
  };

  private final String name;
  private final String description;
  private final boolean servesTraffic;

  Role(String name, String description, boolean servesTraffic) {
    this.name = name;
    this.description = description;
    this.servesTraffic = servesTraffic;
  }

  /** Deploys the role; completes with one line for the log, naming the ports actually bound. */
  abstract Future<String> deploy(Vertx vertx, Config config, Management management);

  @Override
  public String word() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  /** The {@code service} label of every series of the process: the role, or "all" for a process with every role. */
  String serviceLabel() {
    return this == ALL || this == DEV ? "all" : name;
  }

  /** Behind a load balancer: worth a drain period at shutdown (the worker has no traffic to drain). */
  boolean servesTraffic() {
    return servesTraffic;
  }

  static List<Role> services() {
    return Arrays.stream(values()).filter(role -> role != ALL && role != DEV).toList();
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
