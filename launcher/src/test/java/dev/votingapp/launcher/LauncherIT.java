package dev.votingapp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.FreePort;
import dev.votingapp.testing.RedisList;
import dev.votingapp.testing.TestApp;
import dev.votingapp.testing.TestServers;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar: role selection, configuration errors, JSON logs, graceful shutdown on SIGTERM. */
class LauncherIT {

  private static final Duration START = Duration.ofSeconds(30);

  @Test
  void noRolePrintsUsageAndExits2() throws Exception {
    try (AppProcess app = AppProcess.start(Map.of())) {
      assertThat(app.exitCode(START)).isEqualTo(2);
      assertThat(app.output()).contains("no role given", "usage: java -jar voting-app.jar ROLE", "vote", "all");
    }
  }

  @Test
  void anUnknownRolePrintsUsageAndExits2() throws Exception {
    try (AppProcess app = AppProcess.start(Map.of(), "voter")) {
      assertThat(app.exitCode(START)).isEqualTo(2);
      assertThat(app.output()).contains("unknown role: voter", "usage:");
    }
  }

  @Test
  void invalidConfigurationExits1NamingEveryBadVariable(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of(
        "VOTE_PORT", "five-thousand",
        "REDIS_URL", "localhost:6379",
        "PGPASSWORD_FILE", dir.resolve("missing-secret").toString());
    try (AppProcess app = AppProcess.start(env, "vote")) {
      assertThat(app.exitCode(START)).isEqualTo(1);
      assertThat(app.output()).contains("VOTE_PORT", "REDIS_URL", "PGPASSWORD_FILE");
    }
  }

  @Test
  void voteRoleServesLogsJsonAndStopsWithStatus0OnSigterm() throws Exception {
    int port = FreePort.find();
    String queue = TestServers.uniqueKey("launcher");
    Map<String, String> env = Map.of("VOTE_PORT", String.valueOf(port),
        "REDIS_URL", TestServers.redisUrl(), "REDIS_QUEUE", queue);
    try (AppProcess app = AppProcess.start(env, "vote")) {
      Browser browser = new Browser(port);
      Await.until("vote service is ready", START, () -> browser.isOk("/ready"));
      assertThat(browser.postForm("/", "vote=a").statusCode()).isEqualTo(200);

      app.terminate();

      assertThat(app.exitCode(Duration.ofSeconds(20))).isEqualTo(0);
      List<String> lines = app.output().lines().filter(line -> !line.isBlank()).toList();
      assertThat(lines).allSatisfy(line -> {
        JsonObject json = new JsonObject(line);
        assertThat(json.getString("role")).isEqualTo("vote");
        assertThat(json.fieldNames()).contains("timestamp", "level", "logger", "message");
      });
      assertThat(lines).anySatisfy(line -> assertThat(line).contains("Started vote on :" + port));
      assertThat(lines.get(lines.size() - 1)).contains("Stopped");
    } finally {
      deleteKey(queue);
    }
  }

  /**
   * SIGTERM while a vote is in flight: the voter still gets an answer before the process exits. The
   * "Redis" here accepts connections and never answers, so the vote is held in flight until its timeout.
   */
  @Test
  void sigtermFinishesTheVoteInFlightBeforeExiting() throws Exception {
    try (SilentRedis redis = new SilentRedis()) {
      int port = FreePort.find();
      Map<String, String> env = Map.of("VOTE_PORT", String.valueOf(port), "REDIS_URL", redis.url());
      try (AppProcess app = AppProcess.start(env, "vote")) {
        Browser browser = new Browser(port);
        Await.until("vote service answers", START, () -> browser.isOk("/health"));

        CompletableFuture<HttpResponse<String>> vote = CompletableFuture.supplyAsync(() -> browser.postForm("/", "vote=b"));
        Await.until("the vote is in flight", Duration.ofSeconds(10), () -> browser.get("/metrics").body()
            .contains("vertx_http_server_active_requests{method=\"POST\"} 1.0"));
        app.terminate();

        HttpResponse<String> answered = vote.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(503);
        assertThat(answered.body()).contains("Your vote was not recorded");
        assertThat(app.exitCode(Duration.ofSeconds(20))).isEqualTo(0);
      }
    }
  }

  /** The test's own queue key; closing a RedisList deletes it. */
  private static void deleteKey(String key) {
    try (TestApp app = new TestApp()) {
      new RedisList(app.vertx, TestServers.redisUrl(), key).close();
    }
  }

  /** Accepts connections and reads what it is sent, but never answers: a Redis that hangs. */
  private static final class SilentRedis implements AutoCloseable {
    private final ServerSocket server;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Socket> clients = new ArrayList<>();

    SilentRedis() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::accept, "silent-redis");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "redis://127.0.0.1:" + server.getLocalPort();
    }

    String received() {
      synchronized (received) {
        return received.toString(StandardCharsets.UTF_8);
      }
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          synchronized (clients) {
            clients.add(client);
          }
          Thread reader = new Thread(() -> read(client), "silent-redis-reader");
          reader.setDaemon(true);
          reader.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void read(Socket client) {
      byte[] chunk = new byte[4096];
      try (InputStream in = client.getInputStream()) {
        for (int n; (n = in.read(chunk)) > 0; ) {
          synchronized (received) {
            received.write(chunk, 0, n);
          }
        }
      } catch (IOException closed) {
        // the client went away
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (clients) {
        for (Socket client : clients) {
          client.close();
        }
      }
    }
  }
}
