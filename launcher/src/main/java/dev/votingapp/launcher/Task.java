package dev.votingapp.launcher;

import dev.votingapp.config.Config;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** The commands that run once and exit: 0 when done, 1 when not. */
enum Task implements Command {
  ROLES("roles", "as the master user (PG*), create or update the database roles and set each login's password from its *_DB_PASSWORD_FILE, then exit") {
    @Override
    int run(Map<String, String> env, Config config) {
      return Roles.run(env, config);
    }
  },
  MIGRATE("migrate", "bring the database schema up to date as its owner, then exit (a worker whose role may also does it at start)") {
    @Override
    int run(Map<String, String> env, Config config) {
      return Migrate.run(config, Integer.parseInt(env.getOrDefault("MIGRATE_WAIT_SECONDS", "60").trim()));
    }
  },
  TRAIN("train", "warm the vote and result roles up for WARMUP_SECONDS on free loopback ports, then exit (the image build's AOT training run)") {
    @Override
    int run(Map<String, String> env, Config config) {
      return train(env, config);
    }
  },
  SEED("seed", "cast SEED_A (2000) votes for a and SEED_B (1000) for b at VOTE_URL, then exit") {
    /** Its own few variables (VOTE_URL, SEED_*): a seed job needs none of the app's configuration. */
    @Override
    boolean needsConfig() {
      return false;
    }

    @Override
    int run(Map<String, String> env, Config config) throws InterruptedException {
      return Seed.run();
    }
  };

  private final String word;
  private final String description;

  Task(String word, String description) {
    this.word = word;
    this.description = description;
  }

  /** Runs the task; {@code config} is null for a task that does not {@link #needsConfig}. */
  abstract int run(Map<String, String> env, Config config) throws InterruptedException;

  /** False for a task that runs before the configuration is read, so an invalid one does not stop it. */
  boolean needsConfig() {
    return true;
  }

  @Override
  public String word() {
    return word;
  }

  @Override
  public String description() {
    return description;
  }

  /**
   * {@code train}: the warm-up of the vote and result roles (WARMUP_SECONDS), then exit 0. The image
   * build runs it under -XX:AOTCacheOutput, so the image's JVM starts with the classes it loaded already
   * parsed and linked, and with their profiles. Redis and PostgreSQL need not be there.
   */
  private static int train(Map<String, String> env, Config config) {
    WarmUp warmUp = new WarmUp(Role.ALL, env, config, Math.max(1, config.http().warmUpSeconds()));
    Vertx vertx = Vertx.vertx();
    try {
      warmUp.run(vertx)
          .eventually(vertx::close)
          .toCompletionStage().toCompletableFuture().get(config.http().warmUpSeconds() + 60L, TimeUnit.SECONDS);
      return 0;
    } catch (Exception failed) {
      LoggerFactory.getLogger(Task.class).error("Training run failed", failed);
      return 1;
    }
  }
}
