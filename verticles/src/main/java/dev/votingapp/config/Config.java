package dev.votingapp.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Everything a role is configured with, read once from environment variables at start. An invalid
 * value throws {@link ConfigException} naming the variable, and the launcher exits with status 1.
 * The README's configuration table lists the same variables.
 */
public record Config(
    HttpConfig http,
    VoteOptions options,
    VoteConfig vote,
    RedisConfig redis,
    PgConfig pg,
    WorkerConfig worker,
    ResultConfig result,
    String hostname) {

  public static final int LABEL_MAX_LENGTH = 64;
  private static final List<String> PG_SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public static Config fromEnv(Map<String, String> vars) {
    Env env = new Env(vars);
    HttpConfig http = new HttpConfig(
        env.port("VOTE_PORT", 5000),
        env.port("RESULT_PORT", 5001),
        env.port("MANAGEMENT_PORT", HttpConfig.DEFAULT_MANAGEMENT_PORT),
        env.intIn("HTTP_IDLE_TIMEOUT_SECONDS", 75, 1, 3_600),
        env.intIn("SHUTDOWN_DRAIN_SECONDS", 5, 0, 300),
        env.intIn("WARMUP_SECONDS", 5, 0, 30));
    VoteOptions options = new VoteOptions(
        env.label("OPTION_A", "Cats", LABEL_MAX_LENGTH),
        env.label("OPTION_B", "Dogs", LABEL_MAX_LENGTH));
    // Not shared with RESULT_ALLOWED_ORIGINS: showing another site the live results is not letting it vote.
    VoteConfig vote = new VoteConfig(origins(env, "VOTE_ALLOWED_ORIGINS", "https://vote.example.com"));
    RedisConfig redis = new RedisConfig(
        env.redisUrl("REDIS_URL", "redis://localhost:6379"),
        env.secret("REDIS_PASSWORD"),
        env.string("REDIS_USERNAME", null),
        env.string("REDIS_QUEUE", "votes"),
        env.readableFile("REDIS_CA_CERT"),
        env.intIn("REDIS_WAIT_REPLICAS", 0, 0, 16));
    env.check(redis.queueKey().length() <= 200, "REDIS_QUEUE must be at most 200 characters");
    env.check(redis.username() == null || redis.username().matches("\\S{1,128}"),
        "REDIS_USERNAME must be 1 to 128 characters without spaces");
    env.check(redis.username() == null || redis.userInUrl() == null || redis.username().equals(redis.userInUrl()),
        "REDIS_USERNAME and the user in REDIS_URL differ: name the ACL user once");
    PgConfig pg = new PgConfig(
        env.string("PGHOST", "localhost"),
        env.port("PGPORT", 5432),
        env.string("PGDATABASE", "postgres"),
        env.string("PGUSER", "postgres"),
        env.secret("PGPASSWORD"),
        env.oneOf("PGSSLMODE", "disable", PG_SSL_MODES),
        env.readableFile("PGSSLROOTCERT"));
    String hostname = hostname(vars);
    WorkerConfig worker = new WorkerConfig(
        env.workerId("WORKER_ID", hostname + "-" + ProcessHandle.current().pid()),
        env.intIn("WORKER_BATCH_SIZE", 5_000, 1, 10_000),
        env.intIn("WORKER_CONCURRENCY", 2, 1, 64),
        env.intIn("WORKER_TIMEOUT_MS", 10_000, 100, 600_000),
        // Tiny batches back to back cost a commit, a notification and the round trips per vote or two: at
        // 2,400 votes/s they took half of this machine's two cores (loadtest/results/ramp.md).
        env.intIn("WORKER_LINGER_MS", 10, 0, 1_000));
    ResultConfig result = new ResultConfig(
        // The safety net under NOTIFY: how often the result service re-reads the tally anyway.
        env.intIn("RESULT_POLL_MS", 1_000, 50, 60_000),
        env.intIn("RESULT_MAX_CLIENTS", 10_000, 1, 1_000_000),
        origins(env, "RESULT_ALLOWED_ORIGINS", "https://results.example.com"),
        // Past this, unconfirmed figures or votes waiting with no commit are called delayed on the page.
        env.intIn("RESULT_STALE_AFTER_MS", 5_000, 100, 600_000));
    // Each poll confirms the tally: a limit within one poll period would call it stale between polls.
    env.check(result.staleAfterMs() >= 2L * result.pollMs(), "RESULT_STALE_AFTER_MS (" + result.staleAfterMs()
        + ") must be at least twice RESULT_POLL_MS (" + result.pollMs() + "): each poll is what confirms the tally");
    env.throwIfInvalid();
    return new Config(http, options, vote, redis, pg, worker, result, hostname);
  }

  public Config with(HttpConfig otherHttp) {
    return new Config(otherHttp, options, vote, redis, pg, worker, result, hostname);
  }

  /** RESULT_ALLOWED_ORIGINS, VOTE_ALLOWED_ORIGINS: full origins (scheme://host[:port], no path); empty means same-origin only. */
  private static List<String> origins(Env env, String name, String example) {
    List<String> origins = env.list(name);
    for (String origin : origins) {
      boolean ok;
      try {
        URI uri = new URI(origin);
        ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
            && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null;
      } catch (java.net.URISyntaxException notAUri) {
        ok = false;
      }
      env.check(ok, name + " must list origins like " + example + ", got '" + origin + "'");
    }
    return origins.stream().map(origin -> origin.toLowerCase(java.util.Locale.ROOT)).toList();
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
