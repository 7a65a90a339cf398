package dev.votingapp.launcher;

import dev.votingapp.config.Config;
import dev.votingapp.ops.Management;
import dev.votingapp.ops.Telemetry;
import dev.votingapp.ops.Tracing;
import dev.votingapp.result.ResultService;
import dev.votingapp.store.VoteClock;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-warm-up before a process reports ready (WARMUP_SECONDS, default 5; 0 turns it off). A
 * fresh JVM interprets the request path for its first few hundred thousand requests, so a new
 * instance added under load would serve a quarter of its warm rate for ten seconds. Instead, the role
 * is first deployed on a throwaway Vert.x of its own, on free loopback ports, and driven with real
 * requests until the JIT has compiled the hot path; then that Vert.x closes and the real role starts.
 *
 * <p>Nothing a user or an operator sees is touched: the throwaway's meters go to a throwaway registry,
 * its votes to a queue of its own ({@code <REDIS_QUEUE>:warm-up:<pid>}, deleted afterwards, never read
 * by a worker), and the real ports are bound only after it. A warm-up that fails (Redis away, a port
 * taken meanwhile) is logged and the process starts anyway: it is an optimisation, never a condition.
 */
final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
  private static final String HOST = "127.0.0.1";
  /** Concurrent requests: enough to keep the throwaway's event loops busy (8 gave half the rate on 2 cores). */
  private static final int CONNECTIONS = 32;
  /** The most a request, the throwaway's close or the clean-up may take. */
  private static final long STEP_TIMEOUT_MS = 3_000;
  /** WebSockets held open through the warm-up, each sent every push. */
  private static final int VIEWERS = 8;
  private static final Buffer[] VOTES = {Buffer.buffer("vote=a"), Buffer.buffer("vote=b"), Buffer.buffer("vote=")};

  private final Role role;
  private final Map<String, String> env;
  private final Config real;
  private final int seconds;
  private final PrometheusMeterRegistry registry;
  /** Null when there is nothing to warm: the warm-up is off, or the role serves no requests (the worker). */
  private final Vertx throwaway;

  /**
   * {@code env} and {@code real}: the process's variables and the configuration read from them.
   * Construct outside any Vert.x context (a Vert.x created on one is a mistake Vert.x warns about).
   */
  WarmUp(Role role, Map<String, String> env, Config real, int seconds) {
    this.role = role;
    this.env = env;
    this.real = real;
    this.seconds = seconds;
    this.registry = Telemetry.newRegistry(role.serviceLabel());
    this.throwaway = seconds > 0 && role.servesTraffic() ? Telemetry.newVertx(registry, Tracing.OFF) : null;
  }

  /** Warms the role for WARMUP_SECONDS (the real role is not deployed yet); never fails. */
  Future<Void> run(Vertx vertx) {
    if (throwaway == null) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    String queue = real.redis().queueKey() + ":warm-up:" + ProcessHandle.current().pid();
    Promise<Long> done = Promise.promise();
    try {
      Map<String, String> throwawayEnv = new HashMap<>(env);
      throwawayEnv.put("REDIS_QUEUE", queue);
      throwawayEnv.put("VOTE_PORT", String.valueOf(freePort()));
      throwawayEnv.put("RESULT_PORT", String.valueOf(freePort()));
      Config config = Config.fromEnv(throwawayEnv);
      Management management = new Management(throwaway, registry);
      // Never the worker: it would move the warm-up's votes into the real database.
      Future<?> deployed = role == Role.VOTE || role == Role.RESULT
          ? role.deploy(throwaway, config, management)
          : Future.all(Role.VOTE.deploy(throwaway, config, management), Role.RESULT.deploy(throwaway, config, management));
      deployed
          .compose(up -> drive(throwaway, role, config, System.nanoTime() + seconds * 1_000_000_000L))
          .onComplete(done);
    } catch (IOException | RuntimeException failed) {
      done.fail(failed);
    }
    return done.future()
        // Bounded: a Redis or PostgreSQL that hangs may cost the warm-up a few seconds, never the start.
        .transform(driven -> throwaway.close().timeout(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .transform(closed -> forget(vertx, real, queue))
            .transform(forgotten -> {
          long ms = (System.nanoTime() - started) / 1_000_000;
          if (driven.succeeded()) {
            LOG.info("Warm-up: {} requests in {} ms", driven.result(), ms);
          } else {
            LOG.warn("Warm-up stopped after {} ms, starting anyway: {}", ms, String.valueOf(driven.cause().getMessage()));
          }
          return Future.<Void>succeededFuture();
        }));
  }

  /** Requests on {@link #CONNECTIONS} connections, each sending its next as soon as the last is answered, until the deadline. */
  private static Future<Long> drive(Vertx vertx, Role role, Config config, long deadlineNanos) {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(HOST),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    WebSocketClient webSockets = vertx.createWebSocketClient();
    AtomicLong requests = new AtomicLong();
    boolean vote = role != Role.RESULT;
    boolean result = role != Role.VOTE;
    Promise<Long> all = Promise.promise();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      Promise<Void> loop = Promise.promise();
      loops.add(loop.future());
      next(vertx, loop, deadlineNanos, requests, () -> {
        long n = requests.get();
        if (vote && (!result || n % 2 == 0)) {
          return n % 4 == 0
              ? exchange(http, HttpMethod.GET, config.http().votePort(), "/", null)
              : exchange(http, HttpMethod.POST, config.http().votePort(), "/", VOTES[(int) (n % VOTES.length)]);
        }
        return n % 8 == 1
            ? webSockets.connect(config.http().resultPort(), HOST, "/ws").compose(ws -> ws.close())
            : exchange(http, HttpMethod.GET, config.http().resultPort(), n % 4 == 0 ? "/api/results" : "/", null);
      });
    }
    if (result) {
      loops.add(viewers(vertx, config, deadlineNanos).onSuccess(requests::addAndGet).mapEmpty());
    }
    // The clients close their connections before the throwaway's servers go: a server that closes a
    // pooled connection under its client makes the client log an eviction warning.
    Future.join(loops)
        .eventually(() -> Future.join(http.close(), webSockets.close()))
        .onComplete(joined -> all.complete(requests.get()));
    return all.future();
  }

  /**
   * Viewers that stay connected while the tally is pushed again and again: the path from the feed to
   * every socket, which a vote on a quiet app waits through, runs compiled from the first vote on.
   */
  private static Future<Long> viewers(Vertx vertx, Config config, long deadlineNanos) {
    WebSocketClient client = vertx.createWebSocketClient();
    List<Future<WebSocket>> sockets = new ArrayList<>();
    for (int i = 0; i < VIEWERS; i++) {
      sockets.add(client.connect(config.http().resultPort(), HOST, "/ws").onSuccess(ws -> ws.handler(frame -> { })));
    }
    AtomicLong pushes = new AtomicLong();
    Promise<Void> done = Promise.promise();
    Future.all(sockets)
        .onSuccess(open -> next(vertx, done, deadlineNanos, pushes, () -> ResultService.pushAgain(vertx)))
        .onFailure(done::tryFail);
    return done.future()
        .eventually(() -> Future.join(sockets.stream().map(ws -> ws.compose(WebSocket::close)).toList()))
        .eventually(client::close)
        .map(closed -> pushes.get());
  }

  private static void next(Vertx vertx, Promise<Void> done, long deadlineNanos, AtomicLong requests,
      Supplier<Future<?>> request) {
    if (System.nanoTime() >= deadlineNanos) {
      done.tryComplete();
      return;
    }
    requests.incrementAndGet();
    request.get().onComplete(answered -> {
      if (answered.succeeded()) {
        next(vertx, done, deadlineNanos, requests, request);
      } else {
        // Not a busy loop against a port that refuses (the role did not come up, or is shutting down).
        vertx.setTimer(10, retry -> next(vertx, done, deadlineNanos, requests, request));
      }
    });
  }

  private static Future<Buffer> exchange(HttpClient http, HttpMethod method, int port, String path, Buffer form) {
    return http.request(method, port, HOST, path).compose(request -> {
      request.idleTimeout(STEP_TIMEOUT_MS);
      if (form == null) {
        return request.send();
      }
      request.putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded");
      return request.send(form);
    }).compose(response -> response.body());
  }

  /** The warm-up's votes and its vote clock go: nothing reads that queue. */
  private static Future<Void> forget(Vertx vertx, Config real, String queue) {
    Redis redis = real.redis().client(vertx, 1);
    return redis.send(Request.cmd(Command.DEL).arg(queue).arg(VoteClock.key(queue)))
        .timeout(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(failed -> {
          LOG.warn("Could not delete the warm-up's keys {} and {} (nothing reads them): {}", queue, VoteClock.key(queue),
              String.valueOf(failed.getMessage()));
          return Future.succeededFuture();
        })
        .eventually(redis::close);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }
}
