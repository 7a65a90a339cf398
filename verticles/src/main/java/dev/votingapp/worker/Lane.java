package dev.votingapp.worker;

import dev.votingapp.common.VoteMessage;
import dev.votingapp.common.VoteOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One batch in flight at a time, with its own processing list: claim, write, release, repeat. A worker
 * runs WORKER_CONCURRENCY lanes. On any failure the claimed batch stays in the processing list and the
 * lane retries it with backoff before claiming anything new, so nothing claimed is lost.
 */
final class Lane {

  /** Outcome reporting to the worker: which dependency failed, and when things work again. */
  interface Health {
    void failed(String dependency, Throwable cause);

    void succeeded();
  }

  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final int index;
  private final Vertx vertx;
  private final WorkQueue queue;
  private final VoteStore store;
  private final WorkerMetrics metrics;
  private final VoteOptions options;
  private final int batchSize;
  private final String workerId;
  private final Health health;
  private final Promise<Void> stopped = Promise.promise();
  private RedisConnection blocking;
  private boolean checkLeftovers = true;
  private boolean stopping;
  private long backoffMs = MIN_BACKOFF_MS;

  Lane(int index, Vertx vertx, WorkQueue queue, VoteStore store, WorkerMetrics metrics, VoteOptions options,
       int batchSize, String workerId, Health health) {
    this.index = index;
    this.vertx = vertx;
    this.queue = queue;
    this.store = store;
    this.metrics = metrics;
    this.options = options;
    this.batchSize = batchSize;
    this.workerId = workerId;
    this.health = health;
  }

  void start() {
    next();
  }

  /** Finishes the batch in flight (commit and release), then completes. */
  Future<Void> stop() {
    stopping = true;
    return stopped.future();
  }

  private void next() {
    if (stopping) {
      closeBlocking();
      stopped.tryComplete();
      return;
    }
    cycle().onComplete(done -> {
      if (done.succeeded()) {
        backoffMs = MIN_BACKOFF_MS;
        health.succeeded();
        vertx.runOnContext(ignored -> next());
      } else {
        Throwable cause = done.cause() instanceof DependencyFailure failure ? failure.getCause() : done.cause();
        String dependency = WorkQueue.isLostHeartbeat(cause) ? "heartbeat"
            : done.cause() instanceof DependencyFailure failure ? failure.dependency : "redis";
        metrics.failure(dependency);
        health.failed(dependency, cause);
        checkLeftovers = true;
        if (!"postgres".equals(dependency)) {
          closeBlocking();
        }
        long delay = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        vertx.setTimer(delay, ignored -> next());
      }
    });
  }

  private Future<Void> cycle() {
    Future<List<String>> work = checkLeftovers
        ? queue.leftovers(index).compose(left -> {
          checkLeftovers = false;
          return left.isEmpty() ? claimOrWait() : Future.succeededFuture(left);
        })
        : claimOrWait();
    return work.recover(DependencyFailure.of("redis"))
        .compose(items -> items.isEmpty() ? Future.succeededFuture() : process(items));
  }

  private Future<List<String>> claimOrWait() {
    return queue.claim(index, batchSize).compose(items -> items.isEmpty() ? awaitThenClaim() : Future.succeededFuture(items));
  }

  /** The queue was empty: block on Redis for the next vote, then take whatever else arrived with it. */
  private Future<List<String>> awaitThenClaim() {
    return blockingConnection()
        .compose(connection -> queue.awaitOne(connection, index))
        .compose(first -> {
          if (first == null) {
            return Future.succeededFuture(List.of());
          }
          if (batchSize == 1) {
            return Future.succeededFuture(List.of(first));
          }
          return queue.claim(index, batchSize - 1).map(rest -> {
            List<String> items = new ArrayList<>(rest.size() + 1);
            items.add(first);
            items.addAll(rest);
            return items;
          });
        });
  }

  private Future<Void> process(List<String> items) {
    long claimedAtNanos = System.nanoTime();
    Batch batch = Batch.parse(items, options, VoteMessage.micros(Instant.now()));
    return store.upsert(batch.votes)
        .recover(DependencyFailure.of("postgres"))
        .compose(refused -> {
          long commitMicros = VoteMessage.micros(Instant.now());
          List<String> dead = new ArrayList<>(batch.dead.size() + refused.size());
          for (Batch.DeadLetter letter : batch.dead) {
            dead.add(letter.toJson(workerId));
          }
          for (VoteStore.Refused vote : refused) {
            dead.add(new Batch.DeadLetter("refused_by_database", vote.reason(), vote.vote().toJson()).toJson(workerId));
          }
          return queue.release(index, dead)
              .recover(DependencyFailure.of("redis"))
              .onSuccess(released -> {
                batch.dead.forEach(letter -> metrics.deadLetter(letter.reason()));
                refused.forEach(vote -> metrics.deadLetter("refused_by_database"));
                metrics.committed(batch, refused.size(), claimedAtNanos, commitMicros);
              });
        });
  }

  private Future<RedisConnection> blockingConnection() {
    if (blocking != null) {
      return Future.succeededFuture(blocking);
    }
    return queue.connect().onSuccess(connection -> {
      blocking = connection;
      connection.exceptionHandler(broken -> closeBlocking());
      connection.endHandler(ended -> blocking = null);
    });
  }

  private void closeBlocking() {
    RedisConnection connection = blocking;
    blocking = null;
    if (connection != null) {
      connection.close();
    }
  }

}
