package dev.votingapp.store;

/**
 * The tally notification, and the one place its format is written and read. After every change to
 * {@code votes}, by any writer, the tally trigger NOTIFYs {@link #CHANNEL} with a payload it builds in
 * SQL ({@link #PAYLOAD_SQL}): the commit's time, as microseconds since the epoch (the transaction's
 * start: the same for every statement of a transaction, so PostgreSQL sends it once), then, when the
 * writer put a traceparent in {@link #TRACE_SETTING} for its transaction (the worker does, with tracing
 * on), a comma and that traceparent. The result service reads it back with {@link #parse}: the time
 * feeds its commit-to-push metric, the trace is linked from its push's span.
 *
 * @param commitMicros the commit's time, or {@link #NO_TIME} when the payload does not start with one
 * @param traceparent  the writer's traceparent, or null
 */
public record TallyNotice(long commitMicros, String traceparent) {

  /** The channel the tally triggers NOTIFY on, and the result service LISTENs to. */
  public static final String CHANNEL = "vote_tally";

  /** The transaction-local setting in which a writer names its trace ({@code set_config(..., true)}). */
  public static final String TRACE_SETTING = "voting.trace";

  public static final long NO_TIME = -1;

  /** The payload before migration 3: the commit's time alone. Parsed the same way. */
  static final String TIME_ONLY_SQL = "(extract(epoch FROM now()) * 1000000)::bigint::text";

  /**
   * The payload, as the tally trigger's function builds it (a PL/pgSQL expression; its second line is
   * indented for its place in that function).
   */
  static final String PAYLOAD_SQL = TIME_ONLY_SQL + "\n"
      + "    || coalesce(',' || nullif(current_setting('" + TRACE_SETTING + "', true), ''), '')";

  /** Reads a payload; one from another writer (not a number first) is still a reason to read the tally. */
  public static TallyNotice parse(String payload) {
    int comma = payload.indexOf(',');
    long commitMicros;
    try {
      commitMicros = Math.max(NO_TIME, Long.parseLong(comma < 0 ? payload : payload.substring(0, comma)));
    } catch (NumberFormatException notOurs) {
      commitMicros = NO_TIME;
    }
    String trace = comma < 0 ? "" : payload.substring(comma + 1);
    return new TallyNotice(commitMicros, trace.isEmpty() ? null : trace);
  }

  public boolean hasTime() {
    return commitMicros != NO_TIME;
  }
}
