package dev.votingapp.worker;

import dev.votingapp.link.Outage;
import dev.votingapp.link.PgLink;
import dev.votingapp.store.Sql;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the result service how many acknowledged votes wait, through PostgreSQL: it may not reach
 * Redis. After each sample of the queue (every second) the worker upserts its row of
 * {@link Sql#BACKLOG_TABLE}; the result service calls its tally delayed when votes wait and no commit
 * comes. A report still in flight (PostgreSQL slow or away) skips the next one rather than queue them.
 */
final class BacklogReport {

  private static final Logger LOG = LoggerFactory.getLogger(BacklogReport.class);

  private final PgLink link;
  private final String workerId;
  private final Outage outage;
  private boolean inFlight;

  BacklogReport(PgLink link, String workerId) {
    this.link = link;
    this.workerId = workerId;
    this.outage = new Outage(LOG, "Cannot report the queue to PostgreSQL; the results page cannot say that votes wait",
        "Reporting the queue to PostgreSQL again").expected(); // the lanes warn of PostgreSQL already
  }

  void send(QueueSample.Values sample) {
    if (inFlight) {
      return;
    }
    inFlight = true;
    link.run(pool -> pool.preparedQuery(Sql.REPORT_BACKLOG).execute(Tuple.of(workerId, sample.depth(), sample.processing())))
        .onComplete(done -> {
          inFlight = false;
          if (done.succeeded()) {
            outage.recovered();
          } else {
            outage.failed(done.cause());
          }
        });
  }
}
