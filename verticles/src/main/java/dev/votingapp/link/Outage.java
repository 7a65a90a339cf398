package dev.votingapp.link;

import dev.votingapp.config.LoginRefused;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A dependency's outage, logged once when it starts and once when it ends, however many requests or
 * retries fail in between: an outage under load is two log lines, not one per vote. A refused login
 * ({@link LoginRefused}: a rotated password) is logged once too when it comes after another first error
 * (the connection that was killed), so the log says why the outage goes on.
 */
public final class Outage {

  private static final long NONE = Long.MIN_VALUE;

  private final Logger log;
  private final String failing;
  private final String recovered;
  private final AtomicLong since = new AtomicLong(NONE);
  private volatile String reason;
  private volatile boolean refusalLogged;
  private boolean expected;

  /**
   * @param failing   logged with the first error, e.g. "Redis at redis://redis:6379 is not answering"
   * @param recovered logged when it works again, e.g. "Redis at redis://redis:6379 answers again"
   */
  public Outage(Logger log, String failing, String recovered) {
    this.log = log;
    this.failing = failing;
    this.recovered = recovered;
  }

  /**
   * Marks this outage as a normal state of starting (say, waiting for another role to create the schema):
   * its start is logged at INFO, not as a warning.
   */
  public Outage expected() {
    expected = true;
    return this;
  }

  public void failed(Throwable cause) {
    String message = cause == null ? "unknown" : String.valueOf(cause.getMessage());
    boolean refused = cause instanceof LoginRefused;
    if (since.compareAndSet(NONE, System.nanoTime())) {
      reason = message;
      refusalLogged = refused;
      if (expected) {
        log.info("{} ({})", failing, message);
      } else {
        log.warn("{}: {}", failing, message);
      }
    } else if (refused && !refusalLogged) {
      refusalLogged = true;
      reason = message;
      log.warn("{}: {}", failing, message);
    }
  }

  public void recovered() {
    long started = since.getAndSet(NONE);
    if (started != NONE) {
      log.info("{} (after {} s)", recovered, String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    }
  }

  public boolean ongoing() {
    return since.get() != NONE;
  }

  /** The first error of the ongoing outage, or null. */
  public String reason() {
    return ongoing() ? reason : null;
  }
}
