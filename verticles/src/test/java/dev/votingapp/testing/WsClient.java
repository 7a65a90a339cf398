package dev.votingapp.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real WebSocket client that keeps every text message it receives, in order. */
public final class WsClient implements AutoCloseable {

  private final WebSocketClient client;
  private final WebSocket socket;
  private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final AtomicInteger pings = new AtomicInteger();
  private volatile boolean closed;

  public WsClient(Vertx vertx, int port, String path) {
    this(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(path));
  }

  /** With options of the test's own (an Origin header, say); fails as the upgrade fails. */
  public WsClient(Vertx vertx, WebSocketConnectOptions options) {
    client = vertx.createWebSocketClient();
    // The handlers are in place before the handshake, so the message a server sends on connect is kept.
    socket = Await.result(client.webSocket()
        .textMessageHandler(received::add)
        .frameHandler(frame -> {
          if (frame.type() == WebSocketFrameType.PING) {
            pings.incrementAndGet();
          }
        })
        .closeHandler(closed -> this.closed = true)
        .connect(options));
  }

  /** Pings the server sent (the client answers each with a pong by itself). */
  public int pings() {
    return pings.get();
  }

  /** True once the connection closed, from either side. */
  public boolean isClosed() {
    return closed;
  }

  public WebSocket socket() {
    return socket;
  }

  /** The next message, or an AssertionError after the deadline. */
  public JsonObject next(Duration deadline) {
    try {
      String message = received.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("no WebSocket message within " + deadline);
      }
      return new JsonObject(message);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new AssertionError(interrupted);
    }
  }

  /** Reads messages until one matches; fails after the deadline. */
  public JsonObject until(Predicate<JsonObject> condition, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching WebSocket message within " + deadline);
      }
      JsonObject message = next(Duration.ofNanos(left));
      if (condition.test(message)) {
        return message;
      }
    }
  }

  /** Reads messages until one matches; returns how many were read, that one included. */
  public int countUntil(Predicate<JsonObject> condition, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    int count = 0;
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching WebSocket message within " + deadline + " (" + count + " read)");
      }
      count++;
      if (condition.test(next(Duration.ofNanos(left)))) {
        return count;
      }
    }
  }

  /** Messages received and not read yet. */
  public int pending() {
    return received.size();
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      Await.result(socket.close());
    }
    client.close();
  }
}
