package dev.votingapp.result;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.InProcessApp;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /**
   * A viewer whose socket is closing stays in the list until its close handler runs; a tally published
   * meanwhile skips it (a closed socket throws on every write), and the other viewers still get it. The
   * window lasts one turn of the event loop or so, so each attempt watches for it on every turn, and a
   * new viewer tries again if the close handler came first.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aClosingViewerIsSkippedAndTheOthersStillGetTheTally(InProcessApp app, VertxTestContext test) {
    Publisher publisher = new Publisher(app);
    List<Client> staying = List.of(new Client(app.vertx), new Client(app.vertx), new Client(app.vertx));
    app.vertx.deployVerticle(publisher)
        .compose(deployed -> Future.all(staying.stream().map(client -> client.connect(publisher.port())).toList()))
        .compose(connected -> until(app, "every client connected", Duration.ofSeconds(10),
            () -> publisher.broadcaster.size() == staying.size()))
        .compose(all -> publishWhileAViewerCloses(app, publisher, staying.size(), 7, 20))
        .compose(published -> until(app, "every staying client got the tally", Duration.ofSeconds(10),
            () -> staying.stream().allMatch(client -> client.lastSequence.get() == 7)))
        .onComplete(test.succeedingThenComplete());
  }

  /** A new viewer connects and closes while the publisher watches for the window; up to {@code attempts} times. */
  private static Future<Void> publishWhileAViewerCloses(InProcessApp app, Publisher publisher, int others, int sequence,
      int attempts) {
    if (attempts == 0) {
      return Future.failedFuture("the close handler always ran before the socket was seen closed: no window to publish in");
    }
    Client leaving = new Client(app.vertx);
    return leaving.connect(publisher.port())
        .compose(connected -> until(app, "the leaving client connected", Duration.ofSeconds(10),
            () -> publisher.broadcaster.size() == others + 1))
        .compose(counted -> {
          Future<Boolean> published = publisher.publishWhileClosing(publisher.sockets.size() - 1, others + 1, sequence);
          leaving.socket.close();
          return published;
        })
        .compose(inWindow -> inWindow ? Future.succeededFuture()
            : until(app, "the leaving client gone", Duration.ofSeconds(10), () -> publisher.broadcaster.size() == others)
                .compose(gone -> publishWhileAViewerCloses(app, publisher, others, sequence, attempts - 1)));
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
    private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();

    Publisher(InProcessApp app) {
      this.metrics = new ResultMetrics(app.registry, slots, new java.util.concurrent.atomic.AtomicReference<>());
    }

    @Override
    public Future<?> start() {
      broadcaster = new Broadcaster(vertx, metrics, slots);
      Router router = Router.router(vertx);
      router.get("/ws").handler(ctx -> {
        slots.tryAcquire();
        ctx.request().toWebSocket().onSuccess(socket -> {
          sockets.add(socket);
          broadcaster.add(socket);
        });
      });
      return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").onSuccess(s -> server = s);
    }

    int port() {
      return server.actualPort();
    }

    /**
     * Watches socket {@code index} on every turn of the event loop: once it is closed while the
     * broadcaster still counts {@code counted} viewers (its close handler has not run), publishes and
     * completes with true; with false when the close handler ran first. Fails if publishing throws.
     */
    Future<Boolean> publishWhileClosing(int index, int counted, int sequence) {
      Promise<Boolean> done = Promise.promise();
      context.runOnContext(run -> watch(sockets.get(index), counted, sequence, done));
      return done.future();
    }

    private void watch(ServerWebSocket socket, int counted, int sequence, Promise<Boolean> done) {
      if (broadcaster.size() < counted) {
        done.complete(false);
      } else if (socket.isClosed()) {
        try {
          broadcaster.publish(new JsonObject().put("sequence", sequence).encode());
          done.complete(true);
        } catch (RuntimeException failed) {
          done.fail(failed);
        }
      } else {
        context.runOnContext(again -> watch(socket, counted, sequence, done));
      }
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
