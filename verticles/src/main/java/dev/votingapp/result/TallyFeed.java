package dev.votingapp.result;

import dev.votingapp.common.PgConfig;
import dev.votingapp.common.Sql;
import dev.votingapp.common.VoteMessage;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows the current tally and says when it changed. It LISTENs to the tally triggers' NOTIFY (with
 * reconnect) and reads the tally right away; a slow poll is the safety net for missed notifications.
 * Reads never overlap: notifications during a read cause one more read after it. Changes are pushed at
 * most every {@link #MIN_PUSH_GAP_MS}, so a burst of commits gives a few messages, not thousands.
 */
final class TallyFeed {

  private static final Logger LOG = LoggerFactory.getLogger(TallyFeed.class);
  static final long MIN_PUSH_GAP_MS = 50;

  private final Vertx vertx;
  private final TallyStore store;
  private final PgConfig pg;
  private final ResultMetrics metrics;
  private final long pollMs;
  private final Consumer<Tally> onChange;
  private PgSubscriber subscriber;
  private long pollTimer = -1;
  private Tally current;
  private boolean reading;
  private boolean readAgain;
  private boolean failing;
  private long pushTimer = -1;
  private long lastPushNanos;
  /** Commit time (from the NOTIFY payload) of the oldest change not pushed yet, or -1. */
  private long oldestUnpushedMicros = -1;

  TallyFeed(Vertx vertx, TallyStore store, PgConfig pg, ResultMetrics metrics, long pollMs, Consumer<Tally> onChange) {
    this.vertx = vertx;
    this.store = store;
    this.pg = pg;
    this.metrics = metrics;
    this.pollMs = pollMs;
    this.onChange = onChange;
  }

  /** The latest tally read, or null before the first successful read. */
  Tally current() {
    return current;
  }

  boolean listening() {
    return subscriber != null && subscriber.actualConnection() != null;
  }

  void start() {
    subscriber = PgSubscriber.subscriber(vertx, pg.connectOptions())
        .reconnectPolicy(attempt -> Math.min(5_000L, 250L << Math.min(attempt, 5)));
    subscriber.channel(Sql.TALLY_CHANNEL)
        .subscribeHandler(subscribed -> refresh()) // after every (re)connect: catch up on what was missed
        .handler(this::notified);
    connect();
    pollTimer = vertx.setPeriodic(0, pollMs, tick -> refresh());
  }

  private void connect() {
    subscriber.connect().onFailure(failed -> {
      LOG.warn("LISTEN {} failed, retrying: {}", Sql.TALLY_CHANNEL, failed.getMessage());
      vertx.setTimer(1_000, retry -> {
        if (!subscriber.closed()) {
          connect();
        }
      });
    });
  }

  private void notified(String payload) {
    metrics.notification();
    if (oldestUnpushedMicros < 0) {
      try {
        oldestUnpushedMicros = Long.parseLong(payload);
      } catch (NumberFormatException notOurs) {
        // a NOTIFY from some other writer: still a reason to read
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
        if (failing) {
          failing = false;
          LOG.info("Tally reads work again");
        }
        changed(read.result());
      } else if (!failing) {
        failing = true;
        LOG.warn("Cannot read the tally, showing the last one: {}", read.cause().getMessage());
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
    long sinceLastMs = (System.nanoTime() - lastPushNanos) / 1_000_000;
    if (sinceLastMs >= MIN_PUSH_GAP_MS) {
      push();
    } else if (pushTimer == -1) {
      pushTimer = vertx.setTimer(MIN_PUSH_GAP_MS - sinceLastMs, fire -> push());
    }
  }

  private void push() {
    pushTimer = -1;
    lastPushNanos = System.nanoTime();
    onChange.accept(current);
    if (oldestUnpushedMicros >= 0) {
      metrics.commitToPush(VoteMessage.micros(Instant.now()) - oldestUnpushedMicros);
      oldestUnpushedMicros = -1;
    }
  }

  void stop() {
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(pushTimer);
    if (subscriber != null) {
      subscriber.close();
    }
  }
}
