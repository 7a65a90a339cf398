package dev.votingapp.result;

import dev.votingapp.config.Config;
import dev.votingapp.link.Outage;
import dev.votingapp.link.PgLink;
import dev.votingapp.link.Retry;
import dev.votingapp.ops.Management;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one tally feed of a result process: knows the current tally and publishes it on the local event
 * bus ({@link #ADDRESS}) when it changes, to the verticles that hold the WebSocket clients, one per
 * event loop. However many event loops, the process keeps one LISTEN connection, one poll and one read
 * per change, so PostgreSQL's connections stay bounded on a node with many cores.
 *
 * <p>It LISTENs to the tally triggers' NOTIFY ({@link TallyListener}) and reads the tally right away; a slow
 * poll is the safety net for missed notifications. Reads never overlap: notifications during a read
 * cause one more read after it. A change after a quiet spell is published at once; the changes after
 * it wait for the push gap ({@link #pushGapMs}), so a burst of commits gives a few messages, not
 * thousands. The gap grows with the audience: what a push costs is one message per viewer.
 *
 * <p>Each message carries the tally's {@link Freshness.Status}. A change a viewer would see (current or
 * not, why, the votes waiting) is pushed too; a newer read time alone is not, /api/results has it. The
 * poll also reads the workers' report of the votes waiting, and judges the status when no read comes
 * back (one that hangs), so the hot path (notification, read, push) gains no query.
 */
final class TallyFeed extends VerticleBase {

  /** Published: the tally as JSON, with its status, whenever either changed. */
  static final String ADDRESS = "result.tally";
  /** Request: the last published message (fails with 503 before the first read). */
  static final String CURRENT = "result.tally.current";
  /** The push gap with up to 200 viewers: a change right after a push waits at most this long. */
  static final long MIN_PUSH_GAP_MS = 10;
  /** The longest push gap, from 5,000 viewers on: a quarter of the 1 s promise, the rest for the writes. */
  static final long MAX_PUSH_GAP_MS = 250;
  /**
   * Between the two, the gap holds the frames of a busy tally to about this many per second: what two
   * cores write with room to spare (at 100,000 a second, 2,000 viewers of 90 commits a second kept 41%
   * of their deliveries waiting over 1 s behind the writes).
   */
  static final long MESSAGES_PER_SECOND = 20_000;

  private static final Logger LOG = LoggerFactory.getLogger(TallyFeed.class);

  private final Config config;
  private final Management management;
  private final ResultMetrics metrics;
  private final ClientSlots viewers;
  /** The status as judged last, for /api/results on every event loop. */
  private final AtomicReference<Freshness.Status> status;
  private TallyStore store;
  private volatile TallyListener listener;
  private MessageConsumer<Object> currentConsumer;
  private Outage readOutage;
  private Outage schemaOutage;
  private Freshness freshness;
  private WorkerReports reports;
  private UnpushedCommits unpushed;
  private long pollTimer = -1;
  private long pushTimer = -1;
  private Tally current;
  private boolean changeUnpushed;
  /** The status of the last push. */
  private Freshness.Status pushed;
  private boolean reading;
  private boolean readAgain;
  private long lastPushNanos;
  private volatile boolean schemaReady;
  private volatile boolean stopping;

  TallyFeed(Config config, Management management, ResultMetrics metrics, ClientSlots viewers,
            AtomicReference<Freshness.Status> status) {
    this.config = config;
    this.management = management;
    this.metrics = metrics;
    this.viewers = viewers;
    this.status = status;
  }

  /** Ready at once; the schema and the LISTEN connection come up in the background, retried while PostgreSQL is away. */
  @Override
  public Future<?> start() {
    store = new TallyStore(new PgLink(vertx, config.pg(), 1, "voting-result", 5_000), config.options());
    readOutage = new Outage(LOG, "Cannot read the tally, showing the last one as not current", "Tally reads work again");
    schemaOutage = new Outage(LOG, "Waiting for the schema (the migrate command creates it); "
        + "checking every second", "The schema is in place").expected();
    freshness = new Freshness(config.result().staleAfterMs(), System.nanoTime());
    reports = new WorkerReports(store, freshness, () -> judge(null));
    unpushed = new UnpushedCommits(management.tracing(), metrics);
    management.check("postgres", store::ping)
        .state("schema", () -> schemaReady ? null : "schema not in place yet")
        .state("listen", () -> {
          String problem = listener == null ? "not connected yet" : listener.problem();
          return problem == null ? null : "not listening for tally notifications: " + problem;
        })
        // Ready means the page shows figures: not before the first read (after it, an outage shows the
        // last tally marked as not current, and the postgres check says why).
        .state("tally", () -> status.get() != null ? null : "no tally read yet");
    currentConsumer = vertx.eventBus().localConsumer(CURRENT, this::answerCurrent);
    Retry.untilSucceeded(vertx, 1_000, () -> stopping, this::awaitSchema, schemaOutage::failed)
        .onSuccess(ready -> {
          schemaReady = true;
          schemaOutage.recovered();
          listen();
        });
    return Future.succeededFuture();
  }

  private Future<Void> awaitSchema() {
    return store.schemaReady().compose(ready -> ready ? Future.succeededFuture()
        : Future.failedFuture("missing, or older than this version needs"));
  }

  private void listen() {
    // After every (re)connect, read: catch up on what was missed meanwhile. After a drop, read too: a
    // read that fails says at once that the figures can no longer be confirmed.
    listener = new TallyListener(vertx, config.pg(), this::refresh, this::notified, this::refresh);
    listener.start();
    pollTimer = vertx.setPeriodic(0, config.result().pollMs(), tick -> {
      refresh();
      reports.read();
      judge(null); // a read that hangs never comes back to be judged
    });
  }

  private void answerCurrent(Message<Object> request) {
    if (pushed == null) {
      request.fail(503, "no tally read yet");
    } else {
      request.reply(pushed.message(current));
    }
  }

  private void notified(String payload) {
    metrics.notification();
    freshness.progress(System.nanoTime());
    unpushed.notified(payload);
    refresh();
  }

  private void refresh() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    metrics.read();
    // Stamped when the query leaves: the figures are at least this fresh, never fresher than claimed.
    Instant asked = Instant.now();
    long askedNanos = System.nanoTime();
    store.read().onComplete(read -> {
      reading = false;
      if (read.succeeded()) {
        readOutage.recovered();
        freshness.read(asked, askedNanos);
        judge(read.result());
      } else {
        readOutage.failed(read.cause());
        freshness.readFailed();
        judge(null);
      }
      if (readAgain) {
        readAgain = false;
        refresh();
      }
    });
  }

  /** After a read, with its tally, or with null when only the status may have changed: pushes what changed. */
  private void judge(Tally read) {
    boolean changed = read != null && !read.equals(current);
    if (changed) {
      current = read;
      changeUnpushed = true;
      freshness.progress(System.nanoTime());
    } else if (read != null && pushTimer == -1) {
      unpushed.unchanged(); // a change that did not change the counts (same vote again)
    }
    Freshness.Status judged = freshness.status(System.nanoTime());
    if (judged == null || current == null) {
      return;
    }
    status.set(judged);
    if (!changed && judged.looksLike(pushed)) {
      return;
    }
    if (pushTimer != -1) {
      // A push is already due: it carries this tally. Pushing now as well would leave that timer to
      // push again right after, inside the gap (a timer late on a busy loop made such pairs 0.5 ms apart).
      return;
    }
    long sinceLastMs = (System.nanoTime() - lastPushNanos) / 1_000_000;
    long gapMs = pushGapMs(viewers.used());
    if (sinceLastMs >= gapMs) {
      push();
    } else {
      pushTimer = vertx.setTimer(gapMs - sinceLastMs, fire -> push());
    }
  }

  /** 10 ms up to 200 viewers, then growing with them: 50 ms at 1,000, 100 ms at 2,000, 250 ms from 5,000. */
  static long pushGapMs(int viewers) {
    return Math.max(MIN_PUSH_GAP_MS, Math.min(MAX_PUSH_GAP_MS, viewers * 1_000L / MESSAGES_PER_SECOND));
  }

  private void push() {
    pushTimer = -1;
    lastPushNanos = System.nanoTime();
    pushed = status.get();
    Span span = changeUnpushed ? unpushed.pushing() : Span.getInvalid();
    changeUnpushed = false;
    vertx.eventBus().publish(ADDRESS, pushed.message(current));
    span.end();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(pushTimer);
    Future<Void> unsubscribed = currentConsumer.unregister();
    Future<Void> unlistened = listener == null ? Future.succeededFuture() : listener.close();
    return Future.join(unsubscribed, unlistened, store.close());
  }
}
