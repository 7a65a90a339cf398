package dev.votingapp.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Everything a role is configured with, read once from environment variables at start. An invalid
 * value throws {@link ConfigException} naming the variable, and the launcher exits with status 1.
 * The README's configuration table lists the same variables.
 */
public record Config(
    int votePort,
    int resultPort,
    int workerPort,
    VoteOptions options,
    RedisConfig redis,
    PgConfig pg,
    WorkerConfig worker,
    int resultPollMs,
    String hostname) {

  public static final int LABEL_MAX_LENGTH = 64;

  public static Config fromEnv(Map<String, String> vars) {
    Env env = new Env(vars);
    int votePort = env.port("VOTE_PORT", 5000);
    int resultPort = env.port("RESULT_PORT", 5001);
    int workerPort = env.port("WORKER_PORT", 5002);
    VoteOptions options = new VoteOptions(
        env.label("OPTION_A", "Cats", LABEL_MAX_LENGTH),
        env.label("OPTION_B", "Dogs", LABEL_MAX_LENGTH));
    RedisConfig redis = new RedisConfig(
        env.redisUrl("REDIS_URL", "redis://localhost:6379"),
        env.secret("REDIS_PASSWORD"),
        env.string("REDIS_QUEUE", "votes"));
    env.check(redis.queueKey().length() <= 200, "REDIS_QUEUE must be at most 200 characters");
    PgConfig pg = new PgConfig(
        env.string("PGHOST", "localhost"),
        env.port("PGPORT", 5432),
        env.string("PGDATABASE", "postgres"),
        env.string("PGUSER", "postgres"),
        env.secret("PGPASSWORD"));
    String hostname = hostname(vars);
    WorkerConfig worker = new WorkerConfig(
        env.workerId("WORKER_ID", hostname + "-" + ProcessHandle.current().pid()),
        env.intIn("WORKER_BATCH_SIZE", 500, 1, 10_000),
        env.intIn("WORKER_CONCURRENCY", 2, 1, 64));
    // The safety net under NOTIFY: how often the result service re-reads the tally anyway.
    int resultPollMs = env.intIn("RESULT_POLL_MS", 1_000, 50, 60_000);
    env.throwIfInvalid();
    return new Config(votePort, resultPort, workerPort, options, redis, pg, worker, resultPollMs, hostname);
  }

  /** Shown on the ballot as "Processed by container ID ..."; Docker sets HOSTNAME to the container id. */
  private static String hostname(Map<String, String> vars) {
    String fromEnv = vars.get("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException unknown) {
      return "unknown";
    }
  }
}
