package dev.votingapp.link;

import dev.votingapp.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Redis connections of one's own, with a deadline on every command: a command that misses it closes
 * them and the next one connects again ({@link ClientWithDeadline}). Used where one party issues its
 * commands one after the other (a worker lane, the worker's heartbeat), so a small pool suffices.
 */
public final class RedisLink {

  private final long timeoutMs;
  private final ClientWithDeadline<Redis> client;

  public RedisLink(Vertx vertx, RedisConfig config, int connections, long timeoutMs) {
    this.timeoutMs = timeoutMs;
    this.client = new ClientWithDeadline<>(() -> config.client(vertx, connections), Redis::close);
  }

  public Future<Response> send(Request request) {
    return send(request, timeoutMs);
  }

  /** With a longer deadline, for a blocking command (BLMOVE) that may legitimately wait. */
  public Future<Response> send(Request request, long deadlineMs) {
    return client.run(redis -> redis.send(request), deadlineMs);
  }

  public Future<Response> run(RedisScript script, List<String> keys, List<String> args) {
    return script.run(this::send, keys, args);
  }

  public Future<Void> close() {
    return client.close();
  }
}
