package dev.votingapp.worker;

import dev.votingapp.config.Config;
import dev.votingapp.link.Outage;
import dev.votingapp.link.PgLink;
import dev.votingapp.link.Retry;
import dev.votingapp.ops.Management;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker: moves votes from the Redis list into PostgreSQL in batches, at least once, with the last
 * vote of each voter winning. Its readiness and meters are on the process's management port.
 *
 * <p>{@code start()} completes at once; the worker then takes its heartbeat, checks the schema (and
 * migrates it when its role may: {@link SchemaGate}) and starts its lanes in the background, retrying
 * while Redis or PostgreSQL are down or the schema is behind, so it can start before them and report
 * not-ready meanwhile, saying why.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  private static final long HEARTBEAT_EVERY_MS = 2_000;
  private static final long REAPER_EVERY_MS = 5_000;
  private static final long SAMPLE_EVERY_MS = 1_000;
  private static final long RETRY_START_MS = 1_000;
  /** A migration may rebuild the tally from a large table: longer than a batch's deadline. */
  private static final long MIGRATION_DEADLINE_MS = 10 * 60_000;

  private final Config config;
  private final Management management;
  private final List<Lane> lanes = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private final Map<Dependency, Outage> outages = new EnumMap<>(Dependency.class);
  private Outage heartbeatOutage;
  private Outage schemaOutage;
  private long heartbeatTimer = -1;
  private WorkQueue queue;
  private PgLink admin;
  private WorkerMetrics metrics;
  /** Null once the schema is at the version this code needs; else why not. */
  private volatile String schemaProblem = "schema not checked yet";
  private volatile boolean heartbeatHeld;
  private volatile boolean stopping;
  private volatile boolean warming;

  public WorkerVerticle(Config config, Management management) {
    this.config = config;
    this.management = management;
  }

  @Override
  public Future<?> start() {
    String id = config.worker().id();
    long timeoutMs = config.worker().timeoutMs();
    queue = new WorkQueue(vertx, config.redis(), id, timeoutMs);
    // The schema check (and migrations, where the role may), the readiness check and the queue's
    // report; each lane has a connection of its own.
    admin = new PgLink(vertx, config.pg(), 1, "voting-worker", timeoutMs);
    metrics = new WorkerMetrics(management.registry());
    outages.put(Dependency.REDIS, new Outage(LOG, "Redis is failing, retrying with backoff", "Redis works again"));
    outages.put(Dependency.POSTGRES, new Outage(LOG, "PostgreSQL is failing, retrying with backoff", "PostgreSQL works again"));
    heartbeatOutage = new Outage(LOG, "Worker " + id + " does not hold its heartbeat " + queue.heartbeatKey()
        + " and does not touch its processing lists; retrying", "Worker " + id + " holds its heartbeat again");
    schemaOutage = new Outage(LOG, "Waiting for the schema, checking every second", "The schema is in place");
    management.check("redis", queue::ping)
        .check("postgres", admin::ping)
        .state("heartbeat", () -> heartbeatHeld ? null : "worker id " + id + " has no heartbeat in Redis"
            + (heartbeatOutage.reason() == null ? "" : ": " + heartbeatOutage.reason()))
        .state("schema", () -> schemaProblem)
        .state("warm-up", () -> warming ? "warming up (WARMUP_SECONDS)" : null)
        .state("lanes", this::laneProblems);
    takeHeartbeat();
    return Future.succeededFuture();
  }

  /** First the worker id (another live process may hold it), then the schema, then the lanes. */
  private void takeHeartbeat() {
    Retry.untilSucceeded(vertx, RETRY_START_MS, () -> stopping, this::acquireHeartbeat, this::heartbeatFailed)
        .compose(held -> {
          heartbeatHeld = true;
          heartbeatOutage.recovered();
          outages.get(Dependency.REDIS).recovered();
          // Renewed from now until the last batch is committed at stop.
          heartbeatTimer = vertx.setPeriodic(HEARTBEAT_EVERY_MS, ignored -> renewHeartbeat());
          SchemaGate schema = new SchemaGate();
          return Retry.untilSucceeded(vertx, RETRY_START_MS, () -> stopping,
              () -> admin.run(schema::check, MIGRATION_DEADLINE_MS), this::schemaFailed);
        })
        .compose(migrated -> {
          schemaProblem = null;
          schemaOutage.recovered();
          outages.get(Dependency.POSTGRES).recovered();
          return warmUp();
        })
        .onSuccess(warm -> startLanes());
  }

  /** Before the lanes, on an empty queue only; see {@link WarmUp}. Not ready meanwhile, as the web roles. */
  private Future<Void> warmUp() {
    int seconds = (int) Math.min(config.http().warmUpSeconds(), WarmUp.MAX_SECONDS);
    if (seconds == 0) {
      return Future.succeededFuture();
    }
    warming = true;
    long started = System.nanoTime();
    return new WarmUp(vertx, config, queue, () -> stopping).run(seconds).map(batches -> {
      warming = false;
      if (batches > 0) {
        LOG.info("Warm-up: {} batches written and rolled back in {} ms", batches, (System.nanoTime() - started) / 1_000_000);
      }
      return null;
    });
  }

  private void schemaFailed(Throwable failure) {
    if (failure instanceof SchemaGate.Behind behind) {
      outages.get(Dependency.POSTGRES).recovered();
      schemaProblem = behind.getMessage();
      schemaOutage.failed(behind);
    } else {
      schemaProblem = "schema not checked yet: " + failure.getMessage();
      outages.get(Dependency.POSTGRES).failed(failure);
    }
  }

  private Future<Void> acquireHeartbeat() {
    return queue.acquireHeartbeat().compose(held -> held ? Future.succeededFuture()
        : Future.failedFuture(new HeartbeatHeld(queue.heartbeatKey())));
  }

  private void heartbeatFailed(Throwable failure) {
    if (failure instanceof HeartbeatHeld) {
      heartbeatOutage.failed(failure);
    } else {
      outages.get(Dependency.REDIS).failed(failure);
    }
  }

  /** Another live process holds this worker id's heartbeat. */
  private static final class HeartbeatHeld extends RuntimeException {
    HeartbeatHeld(String key) {
      super("another live process holds " + key + "; each worker process needs its own WORKER_ID. Waiting until it is free",
          null, false, false);
    }
  }

  private void startLanes() {
    if (stopping) {
      return;
    }
    BatchSpans spans = new BatchSpans(vertx, management.tracing(), config.redis().queueKey());
    Lane.Shared shared = new Lane.Shared(vertx, config.options(), config.worker(), metrics, spans, new Lane.Health() {
      @Override
      public void failed(Throwable cause) {
        laneFailed(cause);
      }

      @Override
      public void succeeded(boolean committed) {
        outages.get(Dependency.REDIS).recovered();
        if (committed) {
          outages.get(Dependency.POSTGRES).recovered();
        }
      }
    });
    for (int i = 0; i < config.worker().concurrency(); i++) {
      VoteStore store = new VoteStore(new PgLink(vertx, config.pg(), 1, "voting-worker", config.worker().timeoutMs()));
      Lane lane = new Lane(i, queue.lane(i), store, shared);
      lanes.add(lane);
      lane.start();
    }
    timers.add(vertx.setPeriodic(0, REAPER_EVERY_MS, ignored -> recoverAbandoned()));
    BacklogReport report = new BacklogReport(admin, config.worker().id());
    timers.add(vertx.setPeriodic(0, SAMPLE_EVERY_MS, ignored -> queue.sample().onSuccess(sample -> {
      metrics.queue(sample);
      report.send(sample);
    })));
    LOG.info("Worker {} draining {} with {} lanes of up to {} votes",
        config.worker().id(), config.redis().queueKey(), config.worker().concurrency(), config.worker().batchSize());
  }

  private void laneFailed(Throwable cause) {
    if (cause instanceof DependencyFailure failure) {
      outages.get(failure.dependency).failed(failure.getCause());
    } else if (!(cause instanceof LostHeartbeat)) {
      outages.get(Dependency.REDIS).failed(cause);
    }
  }

  /** Null while every lane works; else what the failing lanes are retrying. */
  private String laneProblems() {
    List<String> problems = lanes.stream().map(Lane::problem).filter(Objects::nonNull).toList();
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** A worker that lost its heartbeat (a long pause, or Redis was away) takes it back once it is free. */
  private void renewHeartbeat() {
    queue.renewHeartbeat()
        .compose(kept -> kept ? Future.succeededFuture(true) : queue.acquireHeartbeat())
        .onSuccess(held -> {
          heartbeatHeld = held;
          if (held) {
            heartbeatOutage.recovered();
          } else {
            heartbeatOutage.failed(new HeartbeatHeld(queue.heartbeatKey()));
          }
        });
  }

  private void recoverAbandoned() {
    queue.recoverAbandoned(config.worker().concurrency()).onSuccess(moved -> {
      metrics.reaped();
      if (moved > 0) {
        metrics.recovered(moved);
        LOG.warn("Moved {} votes of dead workers back to the queue", moved);
      }
    });
  }

  /**
   * SIGTERM: stop claiming, commit and release the batches in flight while still renewing the heartbeat
   * (so no reaper takes them meanwhile), then give up the heartbeat and close.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> drained = new ArrayList<>();
    lanes.forEach(lane -> drained.add(lane.stop()));
    return Future.join(drained)
        .timeout(20, TimeUnit.SECONDS)
        .transform(done -> {
          vertx.cancelTimer(heartbeatTimer);
          return heartbeatHeld ? queue.dropHeartbeat() : Future.succeededFuture();
        })
        .transform(done -> Future.join(queue.close(), admin.close()));
  }
}
