package dev.votingapp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracing switched on the standard way, by OTEL_* variables, in the packaged jar: the OTLP exporter
 * sends the vote's spans to an OTLP/HTTP receiver on loopback, and the queued vote carries its trace.
 */
@ExtendWith(VertxExtension.class)
class TracingIT {

  private static final Duration START = Duration.ofSeconds(30);

  /** The requests an OTLP/HTTP collector would get: path, content type, body. */
  private record Export(String path, String contentType, byte[] body) {
    boolean mentions(String text) {
      return new String(body, StandardCharsets.ISO_8859_1).contains(text);
    }
  }

  @Test
  void theOtlpExporterSendsTheVotesSpansToTheCollector(Vertx vertx) throws Exception {
    List<Export> exports = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext("/", exchange -> {
      exports.add(new Export(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
          exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    String queue = TestServers.uniqueKey("otlp");
    Map<String, String> env = Map.of("VOTE_PORT", "0", "MANAGEMENT_PORT", "0", "REDIS_URL", TestServers.redisUrl(),
        "REDIS_QUEUE", queue, "SHUTDOWN_DRAIN_SECONDS", "0",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort(),
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "OTEL_BSP_SCHEDULE_DELAY", "100");
    try (AppProcess app = AppProcess.start(env, "vote");
         RedisKeys queued = new RedisKeys(vertx, TestServers.redisUrl(), queue)) {
      Browser ballot = new Browser(app.port("vote", START));
      assertThat(app.output()).contains("tracing on");

      assertThat(ballot.postForm("/", "vote=a").statusCode()).isEqualTo(200);

      Await.until("spans received by the collector", START, () -> exports.stream().anyMatch(export -> export.mentions("vote")));
      Export traces = exports.stream().filter(export -> export.mentions("vote")).findFirst().orElseThrow();
      assertThat(traces.path()).isEqualTo("/v1/traces");
      assertThat(traces.contentType()).isEqualTo("application/x-protobuf");
      assertThat(traces.mentions("service.name")).isTrue();
      String traceparent = queued.messages(queue).get(0).getString("traceparent");
      assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    } finally {
      collector.stop(0);
    }
  }
}
