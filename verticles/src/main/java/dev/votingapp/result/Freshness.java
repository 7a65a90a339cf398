package dev.votingapp.result;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Decides whether the tally the service shows is current, and if not why: what the page and
 * /api/results say about the age of the figures. Fed by the {@link TallyFeed}, on its event loop only.
 * Intervals are measured on the monotonic clock; {@code asOf} is the wall clock's.
 *
 * <p>The tally is current when both hold, with the limit RESULT_STALE_AFTER_MS:
 * <ul>
 *   <li>PostgreSQL confirmed it lately: the last read succeeded, and no longer ago than the limit. A read
 *       that fails (connection refused or dropped, deadline missed) makes it not current at once; reads
 *       that hang (a frozen server, a network that drops packets) do once the limit has passed. Reason
 *       {@value #UNREACHABLE}.</li>
 *   <li>No votes are known to wait too long: the newest worker report says votes wait (queued, or claimed
 *       and not yet written), the reports have said so for longer than the limit, and no commit has come
 *       for longer than the limit (a notification, or a changed tally). Reason {@value #WAITING}. Under
 *       load the queue is never empty, but commits keep coming, so that is no delay.</li>
 * </ul>
 * Without worker reports (the reference worker makes none, and a dead worker's report ages out) only the
 * first applies.
 */
final class Freshness {

  static final String UNREACHABLE = "postgres_unreachable";
  static final String WAITING = "votes_waiting";

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /**
   * What is said about the tally: when it was last read, whether it is current, if not why, and the
   * votes waiting by the newest worker report (null: no worker reported lately).
   */
  record Status(Instant asOf, boolean current, String reason, Long waiting) {

    /** The tally with this status: what /api/results answers and /ws pushes. */
    String message(Tally tally) {
      return tally.toJsonObject().put("asOf", asOf.toString()).put("current", current).put("reason", reason)
          .put("waiting", waiting).encode();
    }

    /** Only what a viewer sees: while current, nothing of it; else all but a newer read time with the same words. */
    boolean looksLike(Status other) {
      return other != null && current == other.current && Objects.equals(reason, other.reason)
          && (current || Objects.equals(waiting, other.waiting));
    }

    /** "10:04:55 UTC": the page as rendered, before its script shows the viewer's own time. */
    String asOfClock() {
      return CLOCK.format(asOf);
    }

    /** What follows "delayed: " on the page (result.js says the same). */
    String delayWords() {
      if (WAITING.equals(reason) && waiting != null) {
        return (waiting == 1 ? "1 vote" : waiting + " votes") + " still being counted";
      }
      return "the results cannot be refreshed at the moment";
    }
  }

  private final long staleAfterNanos;
  private Instant readAt;
  private long readNanos;
  private boolean readFailed;
  private long progressNanos;
  private Long waiting;
  private long waitingSinceNanos;

  Freshness(long staleAfterMs, long nowNanos) {
    this.staleAfterNanos = staleAfterMs * 1_000_000;
    this.progressNanos = nowNanos;
  }

  /** A read of the tally succeeded. */
  void read(Instant at, long nanos) {
    readAt = at.truncatedTo(ChronoUnit.MILLIS);
    readNanos = nanos;
    readFailed = false;
  }

  void readFailed() {
    readFailed = true;
  }

  /** A commit came: a notification, or a tally that changed. */
  void progress(long nanos) {
    progressNanos = nanos;
  }

  /** The newest worker report: votes waiting, or null when no worker reported lately. */
  void backlog(Long votes, long nanos) {
    boolean wasWaiting = waiting != null && waiting > 0;
    if (votes != null && votes > 0 && !wasWaiting) {
      waitingSinceNanos = nanos;
    }
    waiting = votes;
  }

  /** Null until the first read. */
  Status status(long nanos) {
    if (readAt == null) {
      return null;
    }
    boolean confirmed = !readFailed && nanos - readNanos <= staleAfterNanos;
    boolean late = waiting != null && waiting > 0
        && nanos - waitingSinceNanos > staleAfterNanos && nanos - progressNanos > staleAfterNanos;
    String reason = !confirmed ? UNREACHABLE : late ? WAITING : null;
    return new Status(readAt, reason == null, reason, waiting);
  }
}
