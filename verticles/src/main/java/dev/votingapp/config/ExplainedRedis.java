package dev.votingapp.config;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A Redis client whose refused logins fail with a {@link LoginRefused} naming the user and what happens
 * next, so every caller's logs and /ready say why without each of them knowing Redis's error codes. The
 * explanation comes from the client's configuration ({@code RedisConfig.explain}), handed in as a
 * function so that the configuration, which builds this client, is the only one of the two that knows
 * the other.
 */
final class ExplainedRedis implements Redis {

  private final Redis redis;
  private final UnaryOperator<Throwable> explain;

  ExplainedRedis(Redis redis, UnaryOperator<Throwable> explain) {
    this.redis = redis;
    this.explain = explain;
  }

  @Override
  public Future<RedisConnection> connect() {
    return redis.connect().recover(this::explained);
  }

  @Override
  public Future<Response> send(Request request) {
    return redis.send(request).recover(this::explained);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return redis.batch(requests).recover(this::explained);
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  private <T> Future<T> explained(Throwable failure) {
    return Future.failedFuture(explain.apply(failure));
  }
}
