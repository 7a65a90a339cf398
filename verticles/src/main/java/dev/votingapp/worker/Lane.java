package dev.votingapp.worker;

import dev.votingapp.config.VoteOptions;
import dev.votingapp.config.WorkerConfig;
import dev.votingapp.store.VoteMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One batch in flight at a time, with its own processing list and connections: claim, write, release,
 * repeat. A worker runs WORKER_CONCURRENCY lanes. On any failure the claimed batch stays in the
 * processing list and the lane reads it back and retries it with backoff before claiming anything new,
 * so nothing claimed is lost.
 */
final class Lane {

  /** Outcome reporting to the worker: what failed (a {@link DependencyFailure} or a {@link LostHeartbeat}), and when things work again. */
  interface Health {
    void failed(Throwable cause);

    /** A cycle worked: Redis answered, and PostgreSQL too when {@code committed} (a batch was written). */
    void succeeded(boolean committed);
  }

  /**
   * What every lane of a worker shares: its settings (the options, and WORKER_BATCH_SIZE,
   * WORKER_TIMEOUT_MS and WORKER_ID from {@code worker}) and its meters, spans and outcome reporting.
   */
  record Shared(Vertx vertx, VoteOptions options, WorkerConfig worker, WorkerMetrics metrics, BatchSpans spans,
                Health health) {
  }

  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final int index;
  private final LaneQueue queue;
  private final VoteStore store;
  private final Shared shared;
  private final Promise<Void> stopped = Promise.promise();
  private boolean checkLeftovers = true;
  private boolean stopping;
  private long backoffMs = MIN_BACKOFF_MS;
  /** Why the lane's last cycle failed, while it retries; null while it works. */
  private volatile String problem;

  /** Lane {@code index}, with its own processing list and connections ({@code queue}, {@code store}). */
  Lane(int index, LaneQueue queue, VoteStore store, Shared shared) {
    this.index = index;
    this.queue = queue;
    this.store = store;
    this.shared = shared;
  }

  void start() {
    next();
  }

  /** Finishes the batch in flight (commit and release), closes the lane's connections, then completes. */
  Future<Void> stop() {
    stopping = true;
    return stopped.future();
  }

  String problem() {
    return problem;
  }

  private void next() {
    if (stopping) {
      close().onComplete(closed -> stopped.tryComplete());
      return;
    }
    long startedNanos = System.nanoTime();
    cycle().onComplete(done -> {
      if (done.succeeded()) {
        backoffMs = MIN_BACKOFF_MS;
        problem = null;
        shared.health().succeeded(done.result());
        long lingerMs = done.result() ? lingerAfter(startedNanos) : 0;
        if (lingerMs > 0) {
          shared.vertx().setTimer(lingerMs, ignored -> next());
        } else {
          shared.vertx().runOnContext(ignored -> next());
        }
      } else {
        Throwable cause = done.cause();
        problem = "lane " + index + ": " + cause.getMessage();
        shared.metrics().failure(cause instanceof LostHeartbeat ? WorkerMetrics.HEARTBEAT
            : cause instanceof DependencyFailure failure ? failure.dependency.label() : Dependency.REDIS.label());
        shared.health().failed(cause);
        checkLeftovers = true;
        long delay = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        shared.vertx().setTimer(delay, ignored -> next());
      }
    });
  }

  /**
   * After a commit: what is left of WORKER_LINGER_MS since the cycle started. Under load, the votes that
   * arrive meanwhile then go in one transaction, not one each; a cycle slower than that (a big batch)
   * goes on at once, and so does a lane after waiting on an empty queue (no commit).
   */
  private long lingerAfter(long startedNanos) {
    return shared.worker().lingerMs() - (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** The lane's connections; {@link #stop()} closes them after the batch in flight. */
  Future<Void> close() {
    return Future.join(queue.close(), store.close()).mapEmpty();
  }

  /**
   * Leftovers first (after a start or a failure), else a new claim; on an empty queue, wait for a vote.
   * True when a batch was committed. The warm-up runs it on its own queue, between feeds.
   */
  Future<Boolean> cycle() {
    Future<Claim> work = checkLeftovers
        ? queue.leftovers().compose(left -> {
          checkLeftovers = false;
          return left.isEmpty() ? queue.claim(shared.worker().batchSize()) : Future.succeededFuture(left);
        })
        : queue.claim(shared.worker().batchSize());
    return work.compose(claim -> claim.isEmpty()
        ? queue.awaitVote(shared.vertx(), shared.worker().timeoutMs()).map(false)
        : process(claim).map(true));
  }

  private Future<Void> process(Claim claim) {
    long claimedAtNanos = System.nanoTime();
    Batch batch = Batch.parse(claim, shared.options());
    return shared.spans().around(batch, traceparent -> write(batch, claimedAtNanos, traceparent));
  }

  /** Commit, then release the processing list with the dead letters in one step. */
  private Future<Void> write(Batch batch, long claimedAtNanos, String traceparent) {
    return store.upsert(batch.votes(), traceparent)
        .recover(DependencyFailure.of(Dependency.POSTGRES))
        .compose(refused -> {
          long commitMicros = VoteMessage.micros(Instant.now());
          String workerId = shared.worker().id();
          List<String> dead = new ArrayList<>(batch.dead().size() + refused.size());
          for (Batch.DeadLetter letter : batch.dead()) {
            dead.add(letter.toJson(workerId));
          }
          for (VoteStore.Refused vote : refused) {
            dead.add(new Batch.DeadLetter(WorkerMetrics.REFUSED_BY_DATABASE, vote.reason(), vote.vote().toJson()).toJson(workerId));
          }
          return queue.release(dead).onSuccess(released -> {
            batch.dead().forEach(letter -> shared.metrics().deadLetter(letter.reason()));
            refused.forEach(vote -> shared.metrics().deadLetter(WorkerMetrics.REFUSED_BY_DATABASE));
            shared.metrics().committed(batch, refused.size(), claimedAtNanos, commitMicros);
          });
        });
  }
}
