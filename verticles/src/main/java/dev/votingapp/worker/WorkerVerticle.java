package dev.votingapp.worker;

import dev.votingapp.common.Config;
import dev.votingapp.common.HttpServers;
import dev.votingapp.common.Probes;
import dev.votingapp.common.Retry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker: moves votes from the Redis list into PostgreSQL in batches, at least once, with the last
 * vote of each voter winning. Serves /health, /ready and /metrics on WORKER_PORT.
 *
 * <p>{@code start()} completes once the HTTP port is bound; the worker then takes its heartbeat,
 * migrates the schema and starts its lanes in the background, retrying while Redis or PostgreSQL are
 * down, so it can start before them and report not-ready meanwhile.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  private static final long HEARTBEAT_EVERY_MS = 2_000;
  private static final long REAPER_EVERY_MS = 5_000;
  private static final long DEPTH_EVERY_MS = 1_000;
  private static final long RETRY_START_MS = 1_000;

  private final Config config;
  private final PrometheusMeterRegistry registry;
  private final List<Lane> lanes = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  /** Dependencies currently failing, with the first error, so an outage is logged once each way. */
  private final Map<String, String> failing = new ConcurrentHashMap<>();
  private WorkQueue queue;
  private VoteStore store;
  private WorkerMetrics metrics;
  private Probes probes;
  private HttpServer server;
  private volatile boolean schemaReady;
  private volatile boolean heartbeatHeld;
  private volatile boolean stopping;

  public WorkerVerticle(Config config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    int concurrency = config.worker().concurrency();
    queue = new WorkQueue(vertx, config.redis(), config.worker().id(), concurrency);
    store = new VoteStore(vertx, config.pg(), concurrency);
    metrics = new WorkerMetrics(registry);
    probes = new Probes(registry)
        .check("redis", queue::ping)
        .check("postgres", store::ping)
        .check("schema", () -> schemaReady ? Future.succeededFuture() : Future.failedFuture("schema not migrated yet"))
        .check("heartbeat", () -> heartbeatHeld ? Future.succeededFuture()
            : Future.failedFuture("worker id " + config.worker().id() + " has no heartbeat in Redis"));
    Router router = Router.router(vertx);
    probes.mount(router);
    return vertx.createHttpServer(HttpServers.options()).requestHandler(router).listen(config.workerPort())
        .onSuccess(listening -> {
          server = listening;
          takeHeartbeat();
        });
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /** First the worker id (another live process may still hold it), then the schema, then the lanes. */
  private void takeHeartbeat() {
    Retry.untilSucceeded(vertx, RETRY_START_MS, () -> stopping, this::acquireHeartbeat, this::startFailed)
        .compose(held -> {
          heartbeatHeld = true;
          recovered("redis");
          return Retry.untilSucceeded(vertx, RETRY_START_MS, () -> stopping, store::migrate,
              failure -> failed("postgres", failure));
        })
        .onSuccess(migrated -> {
          schemaReady = true;
          recovered("postgres");
          startLanes();
        });
  }

  private Future<Void> acquireHeartbeat() {
    return queue.acquireHeartbeat().compose(held -> held ? Future.succeededFuture()
        : Future.failedFuture(new HeartbeatHeld()));
  }

  private void startFailed(Throwable failure) {
    if (failure instanceof HeartbeatHeld) {
      LOG.warn("Worker id {} is held by a live process; waiting for its heartbeat to expire", config.worker().id());
    } else {
      failed("redis", failure);
    }
  }

  /** Another live process holds this worker id's heartbeat. */
  private static final class HeartbeatHeld extends RuntimeException {
    HeartbeatHeld() {
      super("worker id held by a live process", null, false, false);
    }
  }

  private void startLanes() {
    if (stopping) {
      return;
    }
    for (int i = 0; i < config.worker().concurrency(); i++) {
      Lane lane = new Lane(i, vertx, queue, store, metrics, config.options(), config.worker().batchSize(),
          config.worker().id(), new Lane.Health() {
            @Override
            public void failed(String dependency, Throwable cause) {
              WorkerVerticle.this.failed(dependency, cause);
            }

            @Override
            public void succeeded() {
              WorkerVerticle.this.recovered("redis");
              WorkerVerticle.this.recovered("postgres");
              WorkerVerticle.this.recovered("heartbeat");
            }
          });
      lanes.add(lane);
      lane.start();
    }
    timers.add(vertx.setPeriodic(HEARTBEAT_EVERY_MS, ignored -> renewHeartbeat()));
    timers.add(vertx.setPeriodic(0, REAPER_EVERY_MS, ignored -> recoverAbandoned()));
    timers.add(vertx.setPeriodic(0, DEPTH_EVERY_MS, ignored -> queue.depth().onSuccess(metrics::queueDepth)));
    LOG.info("Worker {} draining {} with {} lanes of up to {} votes",
        config.worker().id(), config.redis().queueKey(), config.worker().concurrency(), config.worker().batchSize());
  }

  /** A worker that lost its heartbeat (a long pause, or Redis was away) takes it back once it is free. */
  private void renewHeartbeat() {
    queue.renewHeartbeat()
        .compose(kept -> kept ? Future.succeededFuture(true) : queue.acquireHeartbeat())
        .onSuccess(held -> {
          if (held != heartbeatHeld) {
            LOG.warn(held ? "Worker {} holds its heartbeat again" : "Worker {} lost its heartbeat; claiming stops",
                config.worker().id());
          }
          heartbeatHeld = held;
        });
  }

  private void recoverAbandoned() {
    queue.recoverAbandoned(config.worker().concurrency()).onSuccess(moved -> {
      if (moved > 0) {
        metrics.recovered(moved);
        LOG.warn("Moved {} votes of dead workers back to the queue", moved);
      }
    });
  }

  private void failed(String dependency, Throwable cause) {
    if (failing.putIfAbsent(dependency, String.valueOf(cause.getMessage())) == null) {
      LOG.warn("{} is failing, retrying with backoff: {}", dependency, cause.getMessage());
    }
  }

  private void recovered(String dependency) {
    if (failing.remove(dependency) != null) {
      LOG.info("{} works again", dependency);
    }
  }

  /** SIGTERM: stop claiming, commit and release the batches in flight, give up the heartbeat, close. */
  @Override
  public Future<?> stop() {
    stopping = true;
    probes.stopping();
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> drained = new ArrayList<>();
    lanes.forEach(lane -> drained.add(lane.stop()));
    return Future.join(drained)
        .timeout(20, TimeUnit.SECONDS)
        .transform(done -> heartbeatHeld ? queue.dropHeartbeat() : Future.succeededFuture())
        .transform(done -> server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS))
        .transform(done -> Future.join(queue.close(), store.close()));
  }
}
