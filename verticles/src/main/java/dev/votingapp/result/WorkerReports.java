package dev.votingapp.result;

import dev.votingapp.link.Outage;
import dev.votingapp.store.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the workers' reports of the votes waiting ({@link Sql#BACKLOG_TABLE}) for {@link Freshness}, on the
 * poll, one read at a time. A report older than {@link #TTL_SECONDS} is not counted: its worker died, or
 * was scaled away, and must not say forever that votes wait. Feed-thread only.
 */
final class WorkerReports {

  static final int TTL_SECONDS = 60;

  private static final Logger LOG = LoggerFactory.getLogger(WorkerReports.class);

  private final TallyStore store;
  private final Freshness freshness;
  private final Runnable onRead;
  private final Outage outage = new Outage(LOG, "Cannot read the workers' reports (" + Sql.BACKLOG_TABLE
      + "): the page cannot say that votes wait", "The workers' reports are read again").expected();
  private boolean reading;

  /** @param onRead after each report read: the status may have changed */
  WorkerReports(TallyStore store, Freshness freshness, Runnable onRead) {
    this.store = store;
    this.freshness = freshness;
    this.onRead = onRead;
  }

  void read() {
    if (reading) {
      return;
    }
    reading = true;
    store.waiting(TTL_SECONDS).onComplete(read -> {
      reading = false;
      if (read.succeeded()) {
        outage.recovered();
        freshness.backlog(read.result(), System.nanoTime());
        onRead.run();
      } else {
        outage.failed(read.cause());
      }
    });
  }
}
