package dev.votingapp.vote;

import dev.votingapp.config.RedisConfig;
import dev.votingapp.link.Outage;
import dev.votingapp.link.RedisScript;
import dev.votingapp.ops.Tracing;
import dev.votingapp.store.VoteClock;
import dev.votingapp.store.VoteMessage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of the Redis list "votes": every vote is appended by Redis before the voter is told
 * it counts. A call that Redis does not answer in time fails, so a voter never waits longer than the
 * vote page promises.
 *
 * <p>Group commit: the votes that arrive on this event loop while it handles one round of reads are
 * appended together, by one script call (one RPUSH of several values) in a task queued behind that
 * round. Under load that is one Redis round trip for many votes instead of one each; alone, a vote
 * waits for nothing (the task runs as soon as the round that read it ends). The script is atomic, so
 * each vote of the call is appended or none is, and each is acknowledged only when the call succeeded.
 * A call shared by several requests is a child of none of them; with tracing on, each request gets a
 * {@code send <queue>} producer span instead, from its push to its acknowledgement, which says how
 * many votes shared the call.
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

  /** Votes per script call at most; Lua's unpack() takes a few thousand values, this stays well under. */
  static final int MAX_BATCH = 512;

  private final Context context;
  private final Tracing tracing;
  private final Redis redis;
  private final RedisConfig config;
  private final List<String> keys;
  private final Outage outage;
  /** The votes of the current round, not sent yet; touched only on {@link #context}'s event loop. */
  private List<Pending> waiting = new ArrayList<>();

  /**
   * A vote waiting for its call; {@code span} is invalid with tracing off. The answer is given on the
   * request's own context, so what the request does next (its page, its latency exemplar, its log
   * lines) still belongs to its trace, not to the call's.
   */
  private record Pending(String message, Promise<Void> acknowledged, Span span, ContextInternal request) {

    void answer(AsyncResult<Void> call, int sharedBy) {
      span.setAttribute(BATCH_SIZE, sharedBy);
      if (call.failed()) {
        span.setStatus(StatusCode.ERROR, String.valueOf(call.cause().getMessage()));
      }
      span.end();
      request.emit(call, acknowledged::handle);
    }
  }

  private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");

  /** Call on the verticle's event loop: pushes must come from it. */
  VoteQueue(Vertx vertx, RedisConfig config, Tracing tracing) {
    this.context = vertx.getOrCreateContext();
    this.tracing = tracing;
    this.config = config;
    this.redis = config.client(vertx, 16);
    this.keys = List.of(config.queueKey(), VoteClock.key(config.queueKey()));
    this.outage = new Outage(LOG, "Redis at " + config.safeUrl() + " cannot take votes, they are refused with 503",
        "Redis at " + config.safeUrl() + " answers again");
  }

  /**
   * Completes once Redis has appended the vote to the queue. {@code trace}: the W3C headers of the
   * request's span (empty with tracing off), carried in the message to the worker.
   */
  Future<Void> push(String voterId, String option, Map<String, String> trace) {
    Promise<Void> acknowledged = Promise.promise();
    if (waiting.isEmpty()) {
      context.runOnContext(endOfRound -> send());
    }
    ContextInternal request = (ContextInternal) Vertx.currentContext();
    waiting.add(new Pending(VoteMessage.withoutTimestamp(voterId, option, trace), acknowledged, sendSpan(),
        request != null ? request : (ContextInternal) context));
    return acknowledged.future();
  }

  /** A child of the current request's span, with tracing on. */
  private Span sendSpan() {
    if (!tracing.enabled()) {
      return Span.getInvalid();
    }
    return tracing.tracer().spanBuilder("send " + config.queueKey()).setSpanKind(SpanKind.PRODUCER)
        .setAttribute("messaging.system", "redis")
        .setAttribute("messaging.destination.name", config.queueKey())
        .setAttribute("messaging.operation.type", "send")
        .startSpan();
  }

  /** Sends the round's votes, {@link #MAX_BATCH} per call, and answers each with its call's outcome. */
  private void send() {
    List<Pending> round = waiting;
    waiting = new ArrayList<>();
    for (int from = 0; from < round.size(); from += MAX_BATCH) {
      List<Pending> batch = round.subList(from, Math.min(round.size(), from + MAX_BATCH));
      List<String> messages = new ArrayList<>(batch.size());
      batch.forEach(pending -> messages.add(pending.message()));
      Future<Void> appended = config.waitReplicas() == 0
          ? PUSH.run(redis::send, keys, messages).mapEmpty()
          : redis.connect().compose(connection -> pushAndWait(connection, messages).eventually(connection::close));
      appended
          .timeout(PUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .onComplete(done -> {
            if (done.succeeded()) {
              outage.recovered();
            } else {
              outage.failed(done.cause());
            }
            batch.forEach(pending -> pending.answer(done, batch.size()));
          });
    }
  }

  /**
   * WAIT counts the replicas that have every write this connection made, so it must follow the push on
   * the same connection. Fewer than REDIS_WAIT_REPLICAS in time fails the vote (503): it is in the
   * primary's list, but a failover now could lose it, so the voter is not told it counts. A retry by
   * the voter is harmless, since the last vote of a voter wins.
   */
  private Future<Void> pushAndWait(RedisConnection connection, List<String> messages) {
    return PUSH.run(connection::send, keys, messages)
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
