package dev.votingapp.result;

import dev.votingapp.common.Config;
import dev.votingapp.common.Management;
import dev.votingapp.common.Outage;
import dev.votingapp.common.PgLink;
import dev.votingapp.common.Retry;
import dev.votingapp.common.Sql;
import dev.votingapp.common.Tracing;
import dev.votingapp.common.VoteMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 */
final class TallyFeed extends VerticleBase {

  /** Published: the tally as JSON, whenever it changed. */
  static final String ADDRESS = "result.tally";
  /** Request: the current tally as JSON (fails with 503 before the first read). */
  static final String CURRENT = "result.tally.current";
  /** The push gap with up to 1,000 viewers: a change right after a push waits at most this long. */
  static final long MIN_PUSH_GAP_MS = 10;
  /** The longest push gap, from 5,000 viewers on. */
  static final long MAX_PUSH_GAP_MS = 50;
  /** Between the two, the gap holds the messages of a busy tally to about this many per second. */
  static final long MESSAGES_PER_SECOND = 100_000;
  /** At most this many commits' traces are linked from one push. */
  private static final int MAX_LINKS = 128;

  private static final Logger LOG = LoggerFactory.getLogger(TallyFeed.class);

  private final Config config;
  private final Management management;
  private final ResultMetrics metrics;
  private final ClientSlots viewers;
  private TallyStore store;
  private volatile TallyListener listener;
  private MessageConsumer<Object> currentConsumer;
  private Outage readOutage;
  private Outage schemaOutage;
  private long pollTimer = -1;
  private long pushTimer = -1;
  private Tally current;
  private boolean reading;
  private boolean readAgain;
  private long lastPushNanos;
  /** Commit time (from the NOTIFY payload) of the oldest change not pushed yet, or -1. */
  private long oldestUnpushedMicros = -1;
  /** The traces of the commits not pushed yet (from the NOTIFY payload, with tracing on); bounded. */
  private final List<SpanContext> unpushedCommits = new ArrayList<>();
  private volatile boolean schemaReady;
  private volatile boolean stopping;

  TallyFeed(Config config, Management management, ResultMetrics metrics, ClientSlots viewers) {
    this.config = config;
    this.management = management;
    this.metrics = metrics;
    this.viewers = viewers;
  }

  /** Ready at once; the schema and the LISTEN connection come up in the background, retried while PostgreSQL is away. */
  @Override
  public Future<?> start() {
    store = new TallyStore(new PgLink(vertx, config.pg(), 1, "voting-result", 5_000), config.options());
    readOutage = new Outage(LOG, "Cannot read the tally, showing the last one", "Tally reads work again");
    schemaOutage = new Outage(LOG, "Waiting for the schema (the migrate command creates it); "
        + "checking every second", "The schema is in place").expected();
    management.check("postgres", store::ping)
        .state("schema", () -> schemaReady ? null : "schema not in place yet")
        .state("listen", () -> {
          String problem = listener == null ? "not connected yet" : listener.problem();
          return problem == null ? null : "not listening for tally notifications: " + problem;
        });
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
    // After every (re)connect, read: catch up on what was missed meanwhile.
    listener = new TallyListener(vertx, config.pg(), this::refresh, this::notified);
    listener.start();
    pollTimer = vertx.setPeriodic(0, config.result().pollMs(), tick -> refresh());
  }

  private void answerCurrent(Message<Object> request) {
    if (current == null) {
      request.fail(503, "no tally read yet");
    } else {
      request.reply(current.toJson());
    }
  }

  /** The payload is the commit's time in microseconds, then, with tracing on, a comma and its traceparent. */
  private void notified(String payload) {
    metrics.notification();
    int comma = payload.indexOf(',');
    if (oldestUnpushedMicros < 0) {
      try {
        oldestUnpushedMicros = Long.parseLong(comma < 0 ? payload : payload.substring(0, comma));
      } catch (NumberFormatException notOurs) {
        // a NOTIFY from some other writer: still a reason to read
      }
    }
    if (comma >= 0 && management.tracing().enabled() && unpushedCommits.size() < MAX_LINKS) {
      SpanContext commit = Tracing.spanContext(payload.substring(comma + 1), null);
      if (commit.isValid()) {
        unpushedCommits.add(commit);
      }
    }
    refresh();
  }

  private void refresh() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    metrics.read();
    store.read().onComplete(read -> {
      reading = false;
      if (read.succeeded()) {
        readOutage.recovered();
        changed(read.result());
      } else {
        readOutage.failed(read.cause());
      }
      if (readAgain) {
        readAgain = false;
        refresh();
      }
    });
  }

  private void changed(Tally tally) {
    if (tally.equals(current)) {
      if (pushTimer == -1) {
        oldestUnpushedMicros = -1; // a change that did not change the counts (same vote again)
      }
      return;
    }
    current = tally;
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

  /** 10 ms up to 1,000 viewers, then growing with them to 50 ms at 5,000. */
  static long pushGapMs(int viewers) {
    return Math.max(MIN_PUSH_GAP_MS, Math.min(MAX_PUSH_GAP_MS, viewers * 1_000L / MESSAGES_PER_SECOND));
  }

  private void push() {
    pushTimer = -1;
    lastPushNanos = System.nanoTime();
    Span span = pushSpan();
    vertx.eventBus().publish(ADDRESS, current.toJson());
    span.end();
    if (oldestUnpushedMicros >= 0) {
      metrics.commitToPush(VoteMessage.micros(Instant.now()) - oldestUnpushedMicros);
      oldestUnpushedMicros = -1;
    }
  }

  /** A span per push, linked to the commits that caused it (the worker's batch spans), where they are known. */
  private Span pushSpan() {
    if (!management.tracing().enabled()) {
      return Span.getInvalid();
    }
    SpanBuilder builder = management.tracing().tracer().spanBuilder("push tally").setSpanKind(SpanKind.PRODUCER)
        .setAttribute("messaging.system", "websocket")
        .setAttribute("messaging.destination.name", "/ws");
    unpushedCommits.forEach(builder::addLink);
    unpushedCommits.clear();
    return builder.startSpan();
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
