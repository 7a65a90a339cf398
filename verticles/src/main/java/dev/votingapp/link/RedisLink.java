package dev.votingapp.link;

import dev.votingapp.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Redis connections of one's own, with a deadline on every command. A command that misses its
 * deadline closes them: a black-holed connection (no answer, no reset) would otherwise hold every
 * later command for the kernel's retransmission time, about 15 minutes. The next command connects
 * again. Used where one party issues its commands one after the other (a worker lane, the worker's
 * heartbeat), so a small pool suffices.
 */
public final class RedisLink {

  private final Vertx vertx;
  private final RedisConfig config;
  private final int connections;
  private final long timeoutMs;
  private Redis client;

  public RedisLink(Vertx vertx, RedisConfig config, int connections, long timeoutMs) {
    this.vertx = vertx;
    this.config = config;
    this.connections = connections;
    this.timeoutMs = timeoutMs;
  }

  public Future<Response> send(Request request) {
    return send(request, timeoutMs);
  }

  /** With a longer deadline, for a blocking command (BLMOVE) that may legitimately wait. */
  public Future<Response> send(Request request, long deadlineMs) {
    Redis current = client();
    return current.send(request)
        .timeout(deadlineMs, TimeUnit.MILLISECONDS)
        .onFailure(failed -> {
          if (failed instanceof TimeoutException) {
            reset(current);
          }
        });
  }

  public Future<Response> run(RedisScript script, List<String> keys, List<String> args) {
    return script.run(this::send, keys, args);
  }

  public synchronized Future<Void> close() {
    Redis current = client;
    client = null;
    return current == null ? Future.succeededFuture() : current.close();
  }

  private synchronized Redis client() {
    if (client == null) {
      client = config.client(vertx, connections);
    }
    return client;
  }

  private synchronized void reset(Redis stuck) {
    if (client == stuck) {
      client = null;
    }
    stuck.close();
  }
}
