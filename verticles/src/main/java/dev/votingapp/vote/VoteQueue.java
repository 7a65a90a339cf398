package dev.votingapp.vote;

import dev.votingapp.common.Outage;
import dev.votingapp.common.RedisConfig;
import dev.votingapp.common.RedisScript;
import dev.votingapp.common.VoteClock;
import dev.votingapp.common.VoteMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of the Redis list "votes": one atomic push per vote, acknowledged by Redis before
 * the voter is told the vote counts. A call that Redis does not answer in time fails, so a voter never
 * waits longer than the vote page promises.
 */
final class VoteQueue {

  private static final Logger LOG = LoggerFactory.getLogger(VoteQueue.class);

  /** Leaves a wide margin under the 2 s a voter may wait for the page. */
  static final long PUSH_TIMEOUT_MS = 1_000;

  /** How long WAIT may hold a vote for its replicas: the rest of the push's time, less a margin for the round trip. */
  static final long WAIT_TIMEOUT_MS = PUSH_TIMEOUT_MS - 200;

  /**
   * KEYS: queue, clock. ARGV: messages without their timestamp ({@link VoteMessage#withoutTimestamp}).
   * Each gets the next instant of the vote clock and its closing brace, and is appended.
   */
  private static final RedisScript PUSH = new RedisScript(VoteClock.LUA + """
      local first = tick(KEYS[2], #ARGV)
      for i = 1, #ARGV do
        ARGV[i] = ARGV[i] .. micros(first + i - 1) .. '}'
      end
      return redis.call('RPUSH', KEYS[1], unpack(ARGV))""");

  private final Redis redis;
  private final RedisConfig config;
  private final List<String> keys;
  private final Outage outage;

  VoteQueue(Vertx vertx, RedisConfig config) {
    this.config = config;
    this.redis = Redis.createClient(vertx, config.options(16));
    this.keys = List.of(config.queueKey(), VoteClock.key(config.queueKey()));
    this.outage = new Outage(LOG, "Redis at " + config.safeUrl() + " cannot take votes, they are refused with 503",
        "Redis at " + config.safeUrl() + " answers again");
  }

  /**
   * Completes once Redis has appended the vote to the queue. {@code trace}: the W3C headers of the
   * request's span (empty with tracing off), carried in the message to the worker.
   */
  Future<Void> push(String voterId, String option, Map<String, String> trace) {
    List<String> message = List.of(VoteMessage.withoutTimestamp(voterId, option, trace));
    Future<Void> appended = config.waitReplicas() == 0
        ? PUSH.run(redis::send, keys, message).mapEmpty()
        : redis.connect().compose(connection -> pushAndWait(connection, message).eventually(connection::close));
    return appended
        .timeout(PUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .andThen(done -> {
          if (done.succeeded()) {
            outage.recovered();
          } else {
            outage.failed(done.cause());
          }
        });
  }

  /**
   * WAIT counts the replicas that have every write this connection made, so it must follow the push on
   * the same connection. Fewer than REDIS_WAIT_REPLICAS in time fails the vote (503): it is in the
   * primary's list, but a failover now could lose it, so the voter is not told it counts. A retry by
   * the voter is harmless, since the last vote of a voter wins.
   */
  private Future<Void> pushAndWait(RedisConnection connection, List<String> message) {
    return PUSH.run(connection::send, keys, message)
        .compose(pushed -> connection.send(Request.cmd(Command.WAIT).arg(config.waitReplicas()).arg(WAIT_TIMEOUT_MS)))
        .compose(replicas -> replicas.toInteger() >= config.waitReplicas()
            ? Future.succeededFuture()
            : Future.failedFuture(new NotReplicated(replicas.toInteger(), config.waitReplicas())));
  }

  /** The vote reached the primary, but not enough replicas within the time a voter may wait. */
  static final class NotReplicated extends RuntimeException {
    NotReplicated(int replicas, int wanted) {
      super("only " + replicas + " of the " + wanted + " replicas REDIS_WAIT_REPLICAS asks for confirmed the vote within "
          + WAIT_TIMEOUT_MS + " ms", null, false, false);
    }
  }

  /** Readiness: Redis answers PING. */
  Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  Future<Void> close() {
    return redis.close();
  }
}
