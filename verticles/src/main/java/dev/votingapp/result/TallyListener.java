package dev.votingapp.result;

import dev.votingapp.config.PgConfig;
import dev.votingapp.link.Outage;
import dev.votingapp.store.TallyNotice;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result process's one LISTEN connection on the tally channel, kept open: when it drops, it
 * connects again with backoff (0.25 s to 5 s), with the password as it is at that moment, and LISTENs
 * again. Vert.x's PgSubscriber would reconnect with the options it was made with, so a rotated
 * password would lock it out until a restart.
 */
final class TallyListener {

  private static final Logger LOG = LoggerFactory.getLogger(TallyListener.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Vertx vertx;
  private final PgConfig pg;
  private final Runnable onListening;
  private final Handler<String> onNotification;
  private final Runnable onDropped;
  private final Outage outage;
  private volatile PgConnection connection;
  private int attempts;
  private long retryTimer = -1;
  private volatile String problem = "not connected yet";
  private volatile boolean closed;

  /**
   * @param onListening    after every (re)connect: catch up on what was missed meanwhile
   * @param onNotification each notification's payload
   * @param onDropped      after the connection dropped, or a try to connect failed
   */
  TallyListener(Vertx vertx, PgConfig pg, Runnable onListening, Handler<String> onNotification, Runnable onDropped) {
    this.vertx = vertx;
    this.pg = pg;
    this.onListening = onListening;
    this.onNotification = onNotification;
    this.onDropped = onDropped;
    this.outage = new Outage(LOG, "LISTEN " + TallyNotice.CHANNEL + " is not connected, reconnecting with backoff",
        "LISTEN " + TallyNotice.CHANNEL + " connected again");
  }

  void start() {
    connect();
  }

  /** Null while listening; else why not. */
  String problem() {
    return connection != null ? null : problem;
  }

  private void connect() {
    retryTimer = -1;
    if (closed) {
      return;
    }
    Future<PgConnection> attempt;
    try {
      attempt = PgConnection.connect(vertx, pg.connectOptions().addProperty("application_name", "voting-result-listen"));
    } catch (RuntimeException failed) {
      attempt = Future.failedFuture(failed);
    }
    attempt.compose(opened -> opened.query("LISTEN " + TallyNotice.CHANNEL).execute()
            .map(listening -> opened)
            .onFailure(failed -> opened.close()))
        .onComplete(done -> {
          if (done.failed()) {
            dropped(pg.explain(done.cause()));
          } else if (closed) {
            done.result().close();
          } else {
            listening(done.result());
          }
        });
  }

  private void listening(PgConnection opened) {
    connection = opened;
    attempts = 0;
    outage.recovered();
    opened.notificationHandler(notification -> {
      if (TallyNotice.CHANNEL.equals(notification.getChannel())) {
        onNotification.handle(notification.getPayload());
      }
    });
    // A terminated backend reports its reason, then closes: the reason is kept for /ready.
    opened.exceptionHandler(failed -> problem = String.valueOf(pg.explain(failed).getMessage()));
    opened.closeHandler(gone -> {
      if (connection == opened) {
        connection = null;
        dropped(new IllegalStateException("the connection closed" + (problem == null ? "" : ": " + problem)));
      }
    });
    problem = null;
    onListening.run();
  }

  private void dropped(Throwable why) {
    if (closed) {
      return;
    }
    problem = String.valueOf(why.getMessage());
    outage.failed(why);
    long delay = Math.min(MAX_BACKOFF_MS, 250L << Math.min(attempts++, 5));
    retryTimer = vertx.setTimer(delay, retry -> connect());
    onDropped.run();
  }

  Future<Void> close() {
    closed = true;
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
    }
    PgConnection open = connection;
    connection = null;
    return open == null ? Future.succeededFuture() : open.close();
  }
}
