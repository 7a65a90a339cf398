package dev.votingapp.vote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.RedisProcess;
import dev.votingapp.testing.TestConfig;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Votes that arrive together are appended together: one script call for many votes, each still
 * acknowledged only once Redis has it, in the order they came. A Redis of the test's own (Debian's
 * redis-server) counts the calls.
 */
@ExtendWith(VertxExtension.class)
class VoteGroupCommitIT {

  private static final int VOTERS = 200;
  private static final Pattern CALLS = Pattern.compile("cmdstat_(?:evalsha|eval):calls=(\\d+)");

  @TempDir
  Path dir;

  @Test
  void votesThatArriveTogetherShareOneAppendAndEachIsAcknowledged(InProcessApp app) throws Exception {
    try (RedisProcess redis = RedisProcess.start(dir)) {
      int port = Await.result(VoteService.deploy(app.vertx, TestConfig.of(Map.of("REDIS_URL", redis.url())),
          app.management, 1)).port();
      redis.command("CONFIG", "RESETSTAT");

      // Hold every event loop for a moment, so the votes written meanwhile are read in the same round.
      CountDownLatch held = new CountDownLatch(1);
      ((VertxInternal) app.vertx).nettyEventLoopGroup().forEach(loop -> loop.execute(() -> {
        held.countDown();
        sleep(1_000);
      }));
      held.await();
      List<Socket> voters = new ArrayList<>();
      for (int i = 0; i < VOTERS; i++) {
        voters.add(send(port, String.format("group-commit-%04d", i), i % 3 == 0 ? "b" : "a"));
      }
      List<String> statuses = new ArrayList<>();
      for (Socket voter : voters) {
        statuses.add(statusLine(voter));
      }

      assertThat(statuses).as("every voter's answer").allMatch(status -> status.startsWith("HTTP/1.1 200"));
      List<JsonObject> queued = new RedisKeys(app.vertx, redis.url(), "votes").messages("votes");
      assertThat(queued).hasSize(VOTERS);
      assertThat(queued).extracting(message -> message.getString("voter_id")).doesNotHaveDuplicates();
      assertThat(queued).extracting(message -> message.getLong("ts")).isSorted().doesNotHaveDuplicates();
      long calls = 0;
      Matcher matcher = CALLS.matcher(redis.command("INFO", "commandstats"));
      while (matcher.find()) {
        calls += Long.parseLong(matcher.group(1));
      }
      assertThat(calls).as("script calls for " + VOTERS + " votes").isBetween(1L, VOTERS / 10L);
    }
  }

  private static Socket send(int port, String voterId, String option) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    String body = "vote=" + option;
    String request = "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        + "Content-Length: " + body.length() + "\r\nCookie: voter_id=" + voterId + "\r\nConnection: close\r\n\r\n" + body;
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  private static String statusLine(Socket socket) throws IOException {
    try (socket; InputStream in = socket.getInputStream()) {
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return response.lines().findFirst().orElse("");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
