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
    this.outage = new Outage(LOG, "Redis at " + config.safeUrl() + " is not answering, votes are refused with 503",
        "Redis at " + config.safeUrl() + " answers again");
  }

  /**
   * Completes once Redis has appended the vote to the queue. {@code trace}: the W3C headers of the
   * request's span (empty with tracing off), carried in the message to the worker.
   */
  Future<Void> push(String voterId, String option, Map<String, String> trace) {
    return PUSH.run(redis::send, keys, List.of(VoteMessage.withoutTimestamp(voterId, option, trace)))
        .timeout(PUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .andThen(done -> {
          if (done.succeeded()) {
            outage.recovered();
          } else {
            outage.failed(done.cause());
          }
        });
  }

  /** Readiness: Redis answers PING. */
  Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  Future<Void> close() {
    return redis.close();
  }
}
