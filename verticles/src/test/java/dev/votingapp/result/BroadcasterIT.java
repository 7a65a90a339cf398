package dev.votingapp.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.InProcessApp;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A WebSocket client that stops reading holds up nobody and gets the newest tally when it reads again. */
@ExtendWith(VertxExtension.class)
class BroadcasterIT {

  private static final int MESSAGES = 2_000;
  private static final String PADDING = "x".repeat(16_000);

  @Test
  void aClientThatStopsReadingDoesNotHoldUpTheOthersAndSkipsToTheNewest(InProcessApp app) {
    Publisher publisher = new Publisher(app);
    Await.result(app.vertx.deployVerticle(publisher));
    Client fast = new Client(app, publisher.port());
    Client slow = new Client(app, publisher.port());
    slow.socket.pause();
    Await.until("both clients connected", Duration.ofSeconds(10), () -> publisher.broadcaster.size() == 2);

    Await.result(publisher.publishAll());

    Await.until("the reading client got the last message", Duration.ofSeconds(30),
        () -> fast.lastSequence.get() == MESSAGES - 1);
    assertThat(fast.received.get()).isEqualTo(MESSAGES);

    slow.socket.resume();
    Await.until("the client that paused gets the newest tally", Duration.ofSeconds(30),
        () -> slow.lastSequence.get() == MESSAGES - 1);
    assertThat(slow.received.get()).as("messages it skipped while not reading").isLessThan(MESSAGES);
  }

  /** Owns the broadcaster on its own event loop, as the result verticle does. */
  private static final class Publisher extends VerticleBase {
    private final ClientSlots slots = new ClientSlots(10);
    private final ResultMetrics metrics;
    private Broadcaster broadcaster;
    private HttpServer server;

    Publisher(InProcessApp app) {
      this.metrics = new ResultMetrics(app.registry, slots, new java.util.concurrent.atomic.AtomicReference<>());
    }

    @Override
    public Future<?> start() {
      broadcaster = new Broadcaster(vertx, metrics, slots);
      Router router = Router.router(vertx);
      router.get("/ws").handler(ctx -> {
        slots.tryAcquire();
        ctx.request().toWebSocket().onSuccess(broadcaster::add);
      });
      return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").onSuccess(s -> server = s);
    }

    int port() {
      return server.actualPort();
    }

    /** One message a millisecond (the service pushes at most one per 50 ms): 32 MB in all. */
    Future<Void> publishAll() {
      return Future.future(done -> context.runOnContext(run -> publishFrom(0, done)));
    }

    private void publishFrom(int sequence, io.vertx.core.Promise<Void> done) {
      if (sequence == MESSAGES) {
        done.complete();
        return;
      }
      broadcaster.publish(new JsonObject().put("sequence", sequence).put("padding", PADDING).encode());
      vertx.setTimer(1, next -> publishFrom(sequence + 1, done));
    }
  }

  private static final class Client {
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger lastSequence = new AtomicInteger(-1);
    final WebSocket socket;
    /** Held: Vert.x closes a client nobody references any more. */
    private final WebSocketClient client;

    Client(InProcessApp app, int port) {
      client = app.vertx.createWebSocketClient();
      AtomicReference<WebSocket> connected = new AtomicReference<>();
      connected.set(Await.result(client.webSocket()
          .textMessageHandler(text -> {
            received.incrementAndGet();
            lastSequence.set(new JsonObject(text).getInteger("sequence"));
          })
          .connect(port, "127.0.0.1", "/ws")));
      socket = connected.get();
    }
  }
}
