package dev.votingapp.e2e;

import static dev.votingapp.testing.Await.LATER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.result.ResultService;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.FreePort;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.Readiness;
import dev.votingapp.testing.TestCertificates;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed Redis and PostgreSQL (ElastiCache, RDS, Cloud SQL) want TLS. Here a Redis that only speaks TLS
 * (Debian's redis-server) and a PostgreSQL that only accepts TLS (embedded, with a hba file of its own)
 * serve certificates of a CA the test made; every role works through them with the server verified, and
 * refuses a server whose certificate another CA signed.
 */
@ExtendWith(VertxExtension.class)
class TlsConnectionsIT {

  private static final String REDIS_SERVER = "/usr/bin/redis-server";

  @TempDir
  Path dir;

  @Test
  void everyRoleWorksThroughVerifiedTlsToRedisAndPostgres(InProcessApp app) throws Exception {
    TestCertificates certificates = TestCertificates.create(Files.createDirectories(dir.resolve("ours")), "voting-app test CA");
    try (TlsRedis redis = TlsRedis.start(certificates, dir); EmbeddedPostgres postgres = tlsPostgres(certificates, dir)) {
      Config config = TestConfig.of(env(redis, postgres, certificates.ca()));
      VoteService vote = Await.result(VoteService.deploy(app.vertx, config, app.management, 1));
      Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));
      ResultService result = Await.result(ResultService.deploy(app.vertx, config, app.management, 1));
      Await.until("every role ready", LATER, app::ready);

      assertThat(new Browser(vote.port()).postForm("/", "vote=b").statusCode()).isEqualTo(200);

      Browser results = new Browser(result.port());
      Await.until("the vote is counted", LATER,
          () -> new JsonObject(results.get("/api/results").body()).getLong("total") == 1);
      PgConfig admin = new PgConfig("localhost", postgres.getPort(), "postgres", "postgres", null, "verify-full",
          certificates.ca().toString());
      try (Db db = new Db(app.vertx, admin)) {
        assertThat(db.count("SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) "
            + "WHERE application_name LIKE 'voting-%' AND ssl")).isGreaterThanOrEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) "
            + "WHERE application_name LIKE 'voting-%' AND NOT ssl")).isZero();
      }
    }
  }

  @Test
  void aServerWhoseCertificateAnotherCaSignedIsRefused(InProcessApp app) throws Exception {
    TestCertificates certificates = TestCertificates.create(Files.createDirectories(dir.resolve("ours")), "voting-app test CA");
    TestCertificates stranger = TestCertificates.create(Files.createDirectories(dir.resolve("theirs")), "someone else");
    try (TlsRedis redis = TlsRedis.start(certificates, dir); EmbeddedPostgres postgres = tlsPostgres(certificates, dir)) {
      Config config = TestConfig.of(env(redis, postgres, stranger.ca()));
      VoteService vote = Await.result(VoteService.deploy(app.vertx, config, app.management, 1));
      Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));

      assertThat(new Browser(vote.port()).postForm("/", "vote=b").statusCode()).isEqualTo(503);
      Await.until("not ready: neither server is trusted", LATER,
          () -> Readiness.down(app.managementPort().get("/ready")).containsAll(List.of("redis", "postgres")));
    }
  }

  private static Map<String, String> env(TlsRedis redis, EmbeddedPostgres postgres, Path ca) {
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_URL", "rediss://localhost:" + redis.port());
    env.put("REDIS_CA_CERT", ca.toString());
    env.put("REDIS_QUEUE", TestServers.uniqueKey("tls"));
    env.put("PGHOST", "localhost");
    env.put("PGPORT", String.valueOf(postgres.getPort()));
    env.put("PGUSER", "postgres");
    env.put("PGDATABASE", "postgres");
    env.put("PGSSLMODE", "verify-full");
    env.put("PGSSLROOTCERT", ca.toString());
    env.put("WORKER_ID", "tls");
    return env;
  }

  /** Embedded PostgreSQL with TLS on, and a hba file that refuses any TCP connection without it. */
  private static EmbeddedPostgres tlsPostgres(TestCertificates certificates, Path dir) throws IOException {
    Path hba = Files.writeString(dir.resolve("pg_hba.conf"), """
        local all all trust
        hostssl all all 127.0.0.1/32 trust
        hostssl all all ::1/128 trust
        """);
    return EmbeddedPostgres.builder()
        .setServerConfig("ssl", "on")
        .setServerConfig("ssl_cert_file", certificates.certificate().toString())
        .setServerConfig("ssl_key_file", certificates.key().toString())
        .setServerConfig("hba_file", hba.toString())
        .start();
  }

  /** Debian's redis-server on a TLS port only (its plain port off). */
  private static final class TlsRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private TlsRedis(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static TlsRedis start(TestCertificates certificates, Path dir) throws IOException {
      boolean installed = new File(REDIS_SERVER).canExecute();
      if (!installed && System.getenv("REQUIRE_TLS_REDIS") != null) {
        throw new IllegalStateException("REQUIRE_TLS_REDIS is set but " + REDIS_SERVER + " is missing");
      }
      Assumptions.assumeTrue(installed, "Debian's redis-server (built with TLS) is not installed");
      int port = FreePort.find();
      Process process = new ProcessBuilder(REDIS_SERVER, "--port", "0", "--tls-port", String.valueOf(port),
          "--bind", "127.0.0.1", "--tls-cert-file", certificates.certificate().toString(),
          "--tls-key-file", certificates.key().toString(), "--tls-ca-cert-file", certificates.ca().toString(),
          "--tls-auth-clients", "no", "--save", "", "--appendonly", "no", "--dir", dir.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
      TlsRedis redis = new TlsRedis(process, port);
      Await.until("TLS Redis listening", LATER, redis::listening);
      return redis;
    }

    int port() {
      return port;
    }

    private boolean listening() {
      if (!process.isAlive()) {
        throw new AssertionError("redis-server exited: " + process.exitValue());
      }
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException notYet) {
        return false;
      }
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
