package dev.votingapp.worker;

import dev.votingapp.config.Config;
import dev.votingapp.link.PgLink;
import dev.votingapp.link.RedisLink;
import dev.votingapp.ops.Tracing;
import dev.votingapp.store.VoteMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's self-warm-up (WARMUP_SECONDS, as the web roles have): a fresh JVM runs the lanes' code
 * interpreted for its first thousands of batches, and on a quiet app each vote waits through that
 * (vote to screen about twice as long as once warm). So before the real lanes start, and only while
 * the queue is empty, lanes of its own claim, write and release small batches of made-up voters on a
 * queue of its own per lane ({@code <REDIS_QUEUE>:warm-up:<pid>:<lane>}, under a worker id of its own), and every write
 * is rolled back: no row, no tally change and no notification is left. A queue with votes skips it (the
 * backlog warms the lanes as well); a vote arriving meanwhile ends it within {@link #LOOK_EVERY} batches
 * (tens of milliseconds). Its keys are
 * deleted afterwards. It takes WARMUP_SECONDS, at most {@link #MAX_SECONDS}, and never fails the start.
 */
final class WarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  /** Within the warm-up worker id's heartbeat, which nothing renews: it lives {@link WorkQueue#HEARTBEAT_TTL_MS}. */
  static final int MAX_SECONDS = (int) (WorkQueue.HEARTBEAT_TTL_MS / 2_000);
  /** Small batches: the per-batch code is what a vote on a quiet app runs through. */
  static final int BATCH = 8;
  /** How often (in batches) a lane looks whether real votes wait. */
  private static final int LOOK_EVERY = 16;

  private final Vertx vertx;
  private final Config config;
  private final WorkQueue realQueue;
  private final BooleanSupplier stopping;
  /** One queue per warm-up lane, so each lane claims exactly the batch it fed. */
  private final List<WorkQueue> queues = new ArrayList<>();
  private final RedisLink feeder;
  private final String voterPrefix;
  /** Touched on the worker's event loop only. */
  private long batches;
  private long deadlineNanos;
  /** Set when real votes wait or a warm-up cycle failed: every lane stops at its next batch. */
  private boolean over;

  WarmUp(Vertx vertx, Config config, WorkQueue realQueue, BooleanSupplier stopping) {
    this.vertx = vertx;
    this.config = config;
    this.realQueue = realQueue;
    this.stopping = stopping;
    String suffix = ":warm-up:" + ProcessHandle.current().pid();
    long timeoutMs = config.worker().timeoutMs();
    for (int i = 0; i < config.worker().concurrency(); i++) {
      queues.add(new WorkQueue(vertx, config.redis().withQueue(config.redis().queueKey() + suffix + ":" + i),
          config.worker().id() + "-warm-up", timeoutMs));
    }
    this.feeder = new RedisLink(vertx, config.redis(), 1, timeoutMs);
    this.voterPrefix = "warm-up" + suffix.replace(':', '-') + "-";
  }

  /** Completes with the batches written (and rolled back), or 0 when skipped; never fails. */
  Future<Long> run(int seconds) {
    if (seconds <= 0) {
      return Future.succeededFuture(0L);
    }
    deadlineNanos = System.nanoTime() + seconds * 1_000_000_000L;
    return realQueue.depth()
        .compose(depth -> depth > 0 ? Future.succeededFuture() : lanes())
        .transform(done -> Future.join(queues.stream().map(queue -> queue.forget(1).eventually(queue::close)).toList()))
        .eventually(feeder::close)
        .transform(cleaned -> Future.succeededFuture(batches));
  }

  private Future<Void> lanes() {
    Lane.Shared shared = new Lane.Shared(vertx, config.options(), config.worker(),
        new WorkerMetrics(new SimpleMeterRegistry()), new BatchSpans(vertx, Tracing.OFF, config.redis().queueKey()),
        new Lane.Health() {
          @Override
          public void failed(Throwable cause) {
            over = true; // it is an optimisation, never worth a retry
          }

          @Override
          public void succeeded(boolean committed) {
          }
        });
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < queues.size(); i++) {
      WorkQueue queue = queues.get(i);
      Lane lane = new Lane(0, queue.lane(0), VoteStore.rolledBack(
          new PgLink(vertx, config.pg(), 1, "voting-worker-warm-up", config.worker().timeoutMs())), shared);
      Promise<Void> done = Promise.promise();
      int index = i;
      queue.acquireHeartbeat().onComplete(held -> {
        if (held.succeeded() && held.result()) {
          next(lane, index, 0, done);
        } else {
          done.complete();
        }
      });
      all.add(done.future().eventually(lane::close));
    }
    return Future.join(all).mapEmpty();
  }

  /** Feed a batch, run the lane's cycle on it, repeat until the time is up or real votes wait. */
  private void next(Lane lane, int index, long round, Promise<Void> done) {
    if (over || stopping.getAsBoolean() || System.nanoTime() >= deadlineNanos) {
      done.complete();
      return;
    }
    Future<Void> look = round % LOOK_EVERY == 0
        ? realQueue.depth().map(depth -> {
          over |= depth > 0;
          return null;
        })
        : Future.succeededFuture();
    look.compose(looked -> feed(index, round))
        .compose(fed -> lane.cycle())
        .onComplete(cycled -> {
          if (cycled.failed()) {
            LOG.warn("Warm-up stopped early, starting anyway: {}", String.valueOf(cycled.cause().getMessage()));
            done.complete();
            return;
          }
          batches++;
          vertx.runOnContext(ignored -> next(lane, index, round + 1, done));
        });
  }

  /** One batch of made-up voters, in the vote service's own message format, as the next claim's work. */
  private Future<Void> feed(int lane, long round) {
    Request push = Request.cmd(Command.RPUSH).arg(queues.get(lane).queueKey());
    long ts = VoteMessage.micros(Instant.now());
    for (int i = 0; i < BATCH; i++) {
      String option = config.options().all().get(i % config.options().all().size()).id();
      push.arg(VoteMessage.withoutTimestamp(voterPrefix + lane + "-" + (round * BATCH + i), option) + (ts + i) + "}");
    }
    return feeder.send(push).mapEmpty();
  }
}
