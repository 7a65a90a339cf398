package dev.votingapp.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.InProcessApp;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A WebSocket client that stops reading holds up nobody and gets the newest tally when it reads again. */
@ExtendWith(VertxExtension.class)
class BroadcasterIT {

  private static final int MESSAGES = 2_000;
  private static final String PADDING = "x".repeat(16_000);

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS) // the deadlines below, with room
  void aClientThatStopsReadingDoesNotHoldUpTheOthersAndSkipsToTheNewest(InProcessApp app, VertxTestContext test) {
    Publisher publisher = new Publisher(app);
    Client fast = new Client(app.vertx);
    Client slow = new Client(app.vertx);
    app.vertx.deployVerticle(publisher)
        .compose(deployed -> Future.all(fast.connect(publisher.port()), slow.connect(publisher.port())))
        .compose(connected -> {
          slow.socket.pause();
          return until(app, "both clients connected", Duration.ofSeconds(10), () -> publisher.broadcaster.size() == 2);
        })
        .compose(both -> publisher.publishAll())
        .compose(published -> until(app, "the reading client got the last message", Duration.ofSeconds(30),
            () -> fast.lastSequence.get() == MESSAGES - 1))
        .compose(fastGotAll -> {
          test.verify(() -> assertThat(fast.received.get()).isEqualTo(MESSAGES));
          slow.socket.resume();
          return until(app, "the client that paused gets the newest tally", Duration.ofSeconds(30),
              () -> slow.lastSequence.get() == MESSAGES - 1);
        })
        .onComplete(test.succeeding(slowGotNewest -> test.verify(() -> {
          assertThat(slow.received.get()).as("messages it skipped while not reading").isLessThan(MESSAGES);
          test.completeNow();
        })));
  }

  private static Future<Void> until(InProcessApp app, String description, Duration deadline, BooleanSupplier condition) {
    return Await.eventually(app.vertx, description, deadline, () -> Future.succeededFuture(condition.getAsBoolean()));
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
    volatile WebSocket socket;
    /** Held: Vert.x closes a client nobody references any more. */
    private final WebSocketClient client;

    Client(Vertx vertx) {
      client = vertx.createWebSocketClient();
    }

    Future<WebSocket> connect(int port) {
      return client.webSocket()
          .textMessageHandler(text -> {
            received.incrementAndGet();
            lastSequence.set(new JsonObject(text).getInteger("sequence"));
          })
          .connect(port, "127.0.0.1", "/ws")
          .onSuccess(connected -> socket = connected);
    }
  }
}
