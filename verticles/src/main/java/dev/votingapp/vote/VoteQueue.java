package dev.votingapp.vote;

import dev.votingapp.common.RedisConfig;
import dev.votingapp.common.VoteMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of the Redis list "votes": one RPUSH per vote, acknowledged by Redis before the
 * voter is told the vote counts. A call that Redis does not answer in time fails, so a voter never
 * waits longer than the vote page promises.
 */
final class VoteQueue {

  private static final Logger LOG = LoggerFactory.getLogger(VoteQueue.class);

  /** Leaves room under the 2 s a voter may wait for the page. */
  static final long PUSH_TIMEOUT_MS = 1_500;

  private final Redis redis;
  private final RedisConfig config;
  private final AtomicBoolean reachable = new AtomicBoolean(true);

  VoteQueue(Vertx vertx, RedisConfig config) {
    this.config = config;
    this.redis = Redis.createClient(vertx, config.options(16));
  }

  /** Completes once Redis has appended the vote to the queue. */
  Future<Void> push(VoteMessage vote) {
    return redis.send(Request.cmd(Command.RPUSH).arg(config.queueKey()).arg(vote.toJson()))
        .timeout(PUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .andThen(done -> track(done.succeeded(), done.cause()));
  }

  /** Readiness: Redis answers PING. */
  Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  Future<Void> close() {
    return redis.close();
  }

  /** Logs only the transitions, so an outage under load is two log lines, not one per vote. */
  private void track(boolean ok, Throwable cause) {
    if (ok && reachable.compareAndSet(false, true)) {
      LOG.info("Redis at {} answers again", config.safeUrl());
    } else if (!ok && reachable.compareAndSet(true, false)) {
      LOG.warn("Redis at {} is not answering, votes are refused with 503: {}", config.safeUrl(),
          cause == null ? "unknown" : cause.getMessage());
    }
  }
}
