package dev.votingapp.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.result.ResultService;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.vote.VoteService;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A fuzzer's malformed requests (broken chunked bodies, bodies cut short, paths that do not decode)
 * get a 400 or a closed connection and a short log line now and then, never an ERROR with a stack
 * trace each: anyone could flood the logs that way.
 */
@ExtendWith(VertxExtension.class)
class MalformedRequestsIT {

  private static final String CHUNKED = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
  private static final List<String> BROKEN_BODIES = List.of(
      CHUNKED + "zz\r\nvote=a\r\n0\r\n\r\n",
      CHUNKED + "FFFFFFFFFFFFFFFFFFFF\r\nvote=a\r\n0\r\n\r\n",
      CHUNKED + "6\r\nvote=a\r\n0\r\nBad Trailer\r\n\r\n",
      "GET /%zz%C0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  private static final String BAD_PATH = "GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @Test
  void aThousandMalformedRequestsAddAHandfulOfLogLines(InProcessApp app) throws Exception {
    PgConfig database = TestServers.newDatabase();
    String queue = TestServers.uniqueKey("malformed");
    try (Db db = new Db(app.vertx, database); RedisKeys keys = new RedisKeys(app.vertx, TestServers.redisUrl(), queue)) {
      db.migrate();
      Config config = TestConfig.on(database).queueOn(TestServers.redisUrl(), queue).config();
      int vote = Await.result(VoteService.deploy(app.vertx, config, app.management, 1)).port();
      int result = Await.result(ResultService.deploy(app.vertx, config, app.management, 1)).port();
      int management = app.managementPortNumber();
      Await.until("ready", Duration.ofSeconds(20), app::ready);
      ListAppender<ILoggingEvent> log = captureLogs();

      for (int round = 0; round < 200; round++) {
        send(vote, BROKEN_BODIES.get(round % BROKEN_BODIES.size()), false);
        send(vote, CHUNKED + "a0\r\nvote=a", true); // cut short, then a reset
        send(result, BAD_PATH, false);
        send(management, BAD_PATH, false);
        send(vote, BAD_PATH, false);
      }

      assertThat(new Browser(vote).postForm("/", "vote=a").statusCode()).as("voting still works").isEqualTo(200);
      assertThat(log.list).as("log lines for 1,000 malformed requests").hasSizeLessThanOrEqualTo(3)
          .noneMatch(event -> event.getThrowableProxy() != null);
      assertThat(send(result, BAD_PATH, false)).startsWith("HTTP/1.1 400 ");
    }
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    return appender;
  }

  /**
   * Sends raw bytes and reads until the server closes the connection; returns what it answered (maybe
   * nothing). With {@code reset}, drops the connection with a TCP reset right after sending instead.
   */
  private static String send(int port, String request, boolean reset) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (reset) {
        socket.setSoLinger(true, 0);
        return "";
      }
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        in.transferTo(answer);
      } catch (IOException closedOrSlow) {
        // a reset or the timeout: the request was refused either way
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
