package dev.votingapp.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The voter's own HTTP/1.1 connection against a real TCP server that answers with bytes chosen here:
 * every way a body can end (length, chunks, the connection's close), the cookie, keep-alive reuse, and
 * the failures a voter must see as failures (no answer, a cut answer, garbage).
 */
class VoterConnectionTest {

  private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\nCookie: voter_id=v1\r\n\r\n";

  private Vertx vertx;
  private NetServer server;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  /** What the server does with each request it reads: (socket, request number from 1). */
  private volatile BiConsumer<NetSocket, Integer> script;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createNetServer().connectHandler(socket -> {
      connections.incrementAndGet();
      StringBuilder seen = new StringBuilder();
      socket.handler(bytes -> {
        seen.append(bytes.toString());
        int end;
        while ((end = seen.indexOf("\r\n\r\n")) >= 0) {
          String head = seen.substring(0, end + 4);
          int length = contentLength(head);
          if (seen.length() < end + 4 + length) {
            return;
          }
          requests.add(seen.substring(0, end + 4 + length));
          seen.delete(0, end + 4 + length);
          script.accept(socket, requests.size());
        }
      });
    });
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  private VoterConnection connection(long requestTimeoutMs) {
    EventLoop loop = ((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop();
    VoterConnection.Target target = new VoterConnection.Target(URI.create("http://127.0.0.1:" + server.actualPort()),
        ((VertxInternal) vertx).transport().channelFactory(false), 5_000, requestTimeoutMs);
    return new VoterConnection(target, loop);
  }

  /** One exchange: "200 v9" (status and cookie) or "failed: reason". */
  private static String exchange(VoterConnection connection, String request) throws Exception {
    CompletableFuture<String> outcome = new CompletableFuture<>();
    connection.loop().execute(() -> connection.exchange(request, new VoterConnection.Answer() {
      @Override
      public void answered(int status, String voterCookie) {
        outcome.complete(status + " " + voterCookie);
      }

      @Override
      public void failed(Throwable cause) {
        outcome.complete("failed: " + cause.getClass().getSimpleName());
      }
    }, cause -> { }));
    return outcome.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLengthDelimitedAnswerGivesStatusAndCookieAndTheConnectionIsKept() throws Exception {
    String body = "<html>" + "x".repeat(20_000) + "</html>";
    script = (socket, n) -> {
      // The head and the body in pieces, as TCP may deliver them.
      String answer = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: voter_id=v" + n + "; Path=/; HttpOnly\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body;
      for (int i = 0; i < answer.length(); i += 700) {
        socket.write(answer.substring(i, Math.min(answer.length(), i + 700)));
      }
    };
    VoterConnection connection = connection(5_000);
    assertEquals("200 v1", exchange(connection, GET));
    assertEquals("200 v2", exchange(connection,
        "POST / HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 6\r\n\r\nvote=a"));
    assertEquals(1, connections.get(), "both exchanges on one kept-alive connection");
    assertTrue(requests.get(1).endsWith("\r\n\r\nvote=a"), requests.get(1));
  }

  @Test
  void aChunkedAnswerEndsAtItsLastChunk() throws Exception {
    script = (socket, n) -> socket.write("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n" + "1a;ext=1\r\n" + "abcdefghijklmnopqrstuvwxyz\r\n" + "0\r\nX-Trailer: t\r\n\r\n");
    assertTwoExchanges("503 null", 1);
  }

  @Test
  void connectionCloseIsHonouredAndTheNextExchangeOpensAnother() throws Exception {
    script = (socket, n) -> socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
        .onComplete(written -> socket.close());
    assertTwoExchanges("200 null", 2);
  }

  /** Two GETs on one voter's connection both end with {@code outcome}, over {@code opened} TCP connections. */
  private void assertTwoExchanges(String outcome, int opened) throws Exception {
    VoterConnection connection = connection(5_000);
    assertEquals(outcome, exchange(connection, GET));
    assertEquals(outcome, exchange(connection, GET));
    assertEquals(opened, connections.get(), "TCP connections opened");
  }

  @Test
  void aBodyWithoutLengthEndsWithTheConnection() throws Exception {
    script = (socket, n) -> socket.write("HTTP/1.0 200 OK\r\nSet-Cookie: voter_id=old\r\n\r\nthe rest is body")
        .onComplete(written -> socket.close());
    assertEquals("200 old", exchange(connection(5_000), GET));
  }

  @Test
  void noAnswerFailsAtTheRequestTimeout() throws Exception {
    script = (socket, n) -> { };
    long start = System.nanoTime();
    assertEquals("failed: " + TimeoutException.class.getSimpleName(), exchange(connection(300), GET));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
  }

  @Test
  void anAnswerCutShortIsAFailureNotAnAnswer() throws Exception {
    script = (socket, n) -> socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
        .onComplete(written -> socket.close());
    assertTrue(exchange(connection(5_000), GET).startsWith("failed: "));
  }

  @Test
  void garbageIsAFailure() throws Exception {
    script = (socket, n) -> socket.write(Buffer.buffer("SMTP ready\r\n\r\n"));
    assertTrue(exchange(connection(5_000), GET).startsWith("failed: "));
  }

  @Test
  void aRefusedConnectionIsAFailure() throws Exception {
    VoterConnection connection = connection(5_000);
    server.close().await(10, TimeUnit.SECONDS);
    assertTrue(exchange(connection, GET).startsWith("failed: "));
  }
}
