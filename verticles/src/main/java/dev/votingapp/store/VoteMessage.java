package dev.votingapp.store;

import dev.votingapp.config.VoteOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * A vote on the Redis queue, and the one place its format is written and read. The reference worker
 * reads {"voter_id", "vote"}; "ts" is ours: when the vote was queued, in microseconds since the epoch,
 * on Redis's clock (the vote service's push script stamps it), so the last vote of a voter wins even
 * when votes are processed out of order and vote instances' clocks disagree.
 */
public record VoteMessage(String voterId, String vote, long timestampMicros, String traceparent, String tracestate) {

  public static final String VOTER_ID = "voter_id";
  public static final String VOTE = "vote";
  public static final String TIMESTAMP = "ts";
  /** W3C trace context of the request that queued the vote, when tracing is on; readers that do not trace ignore it. */
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  /** The timestamp of a message that has none (the reference vote app sends none). */
  public static final long NO_TIMESTAMP = -1;
  /** A queued vote is ~100 bytes; anything this large is not one. */
  public static final int MAX_MESSAGE_CHARS = 4_096;
  /** Matches the column: VARCHAR(255). */
  public static final int MAX_VOTER_ID_CHARS = 255;

  /** Why a message is not a vote: every reason {@link #parse} can give, so meters can count each from 0. */
  public enum Invalid {
    TOO_LARGE, NOT_AN_OBJECT, NOT_JSON, MISSING_VOTER_ID, BAD_VOTER_ID, MISSING_VOTE, UNKNOWN_OPTION, BAD_TIMESTAMP;

    /** The short stable tag of dead letters and metrics: "not_json". */
    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What {@link #parse} finds: a vote, or why the message is not one ({@code reason} a short stable tag,
   * an {@link Invalid#tag}, for metrics and dead letters; {@code detail} says what is wrong).
   */
  public record Parsed(VoteMessage vote, String reason, String detail) {

    public boolean isVote() {
      return vote != null;
    }

    private static Parsed invalid(Invalid reason, String detail) {
      return new Parsed(null, reason.tag(), detail);
    }
  }

  public VoteMessage(String voterId, String vote, long timestampMicros) {
    this(voterId, vote, timestampMicros, null, null);
  }

  public static VoteMessage now(String voterId, String vote) {
    return new VoteMessage(voterId, vote, micros(Instant.now()));
  }

  /** Microseconds since the epoch, the unit of "ts". */
  public static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  public boolean hasTimestamp() {
    return timestampMicros != NO_TIMESTAMP;
  }

  public VoteMessage at(long micros) {
    return new VoteMessage(voterId, vote, micros, traceparent, tracestate);
  }

  public String toJson() {
    JsonObject json = new JsonObject().put(VOTER_ID, voterId).put(VOTE, vote);
    if (traceparent != null) {
      json.put(TRACEPARENT, traceparent);
    }
    if (tracestate != null) {
      json.put(TRACESTATE, tracestate);
    }
    if (hasTimestamp()) {
      json.put(TIMESTAMP, timestampMicros);
    }
    return json.encode();
  }

  /**
   * The message without its timestamp and closing brace, {@code {"voter_id":"…","vote":"a","ts":}: the
   * push script appends Redis's time and the brace, in the same atomic step as the RPUSH.
   */
  public static String withoutTimestamp(String voterId, String vote) {
    return withoutTimestamp(voterId, vote, Map.of());
  }

  /** With the W3C trace headers of the request ({@code traceparent}, {@code tracestate}), when it has any. */
  public static String withoutTimestamp(String voterId, String vote, Map<String, String> trace) {
    // Every vote's case (a cookie's id, a configured option, no trace): nothing to escape, no JSON encoder.
    if (trace.isEmpty() && plainText(voterId) && plainText(vote)) {
      return PLAIN_ID + voterId + PLAIN_VOTE + vote + "\",\"" + TIMESTAMP + "\":";
    }
    JsonObject message = new JsonObject().put(VOTER_ID, voterId).put(VOTE, vote);
    String traceparent = trace.get(TRACEPARENT);
    if (traceparent != null) {
      message.put(TRACEPARENT, traceparent);
      String tracestate = trace.get(TRACESTATE);
      if (tracestate != null && !tracestate.isEmpty()) {
        message.put(TRACESTATE, tracestate);
      }
    }
    String json = message.encode();
    return json.substring(0, json.length() - 1) + ",\"" + TIMESTAMP + "\":";
  }

  /** Printable ASCII without '"' and '\\': written in JSON as it is. */
  private static boolean plainText(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** Reads a queued message; the vote must be one of {@code options}. */
  public static Parsed parse(String message, VoteOptions options) {
    if (message.length() > MAX_MESSAGE_CHARS) {
      return Parsed.invalid(Invalid.TOO_LARGE, message.length() + " characters, at most " + MAX_MESSAGE_CHARS);
    }
    VoteMessage plain = plain(message, options);
    return plain != null ? new Parsed(plain, null, null) : parseJson(message, options);
  }

  private static final String PLAIN_ID = "{\"" + VOTER_ID + "\":\"";
  private static final String PLAIN_VOTE = "\",\"" + VOTE + "\":\"";
  private static final String PLAIN_TS = "\",\"" + TIMESTAMP + "\":";
  /** Digits of a timestamp the plain reader takes (a long holds any 18); longer ones go to the JSON parser. */
  private static final int PLAIN_TS_DIGITS = 18;

  /**
   * The message exactly as the vote service writes it with tracing off, {@code {"voter_id":"…","vote":"…","ts":N}},
   * read without a JSON parser: parsing was a fifth of the worker's CPU. Null for anything else (an
   * escape, a space, other fields or another order, a leading zero, an id or a vote that would be
   * refused): {@link #parseJson} reads those and says why, so both give the same answer for every message.
   */
  static VoteMessage plain(String message, VoteOptions options) {
    if (!message.startsWith(PLAIN_ID)) {
      return null;
    }
    int idStart = PLAIN_ID.length();
    int idEnd = message.indexOf('"', idStart);
    if (idEnd <= idStart || !message.startsWith(PLAIN_VOTE, idEnd)) {
      return null;
    }
    int voteStart = idEnd + PLAIN_VOTE.length();
    int voteEnd = message.indexOf('"', voteStart);
    if (voteEnd <= voteStart || !message.startsWith(PLAIN_TS, voteEnd)) {
      return null;
    }
    int tsStart = voteEnd + PLAIN_TS.length();
    int end = message.length() - 1;
    int digits = end - tsStart;
    if (digits < 1 || digits > PLAIN_TS_DIGITS || message.charAt(end) != '}' || digits > 1 && message.charAt(tsStart) == '0') {
      return null;
    }
    long ts = 0;
    for (int i = tsStart; i < end; i++) {
      char c = message.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      ts = ts * 10 + (c - '0');
    }
    String id = message.substring(idStart, idEnd);
    String vote = message.substring(voteStart, voteEnd);
    if (id.length() > MAX_VOTER_ID_CHARS || id.indexOf('\\') >= 0 || !printable(id)
        || vote.indexOf('\\') >= 0 || options.byId(vote).isEmpty()) {
      return null;
    }
    return new VoteMessage(id, vote, ts, null, null);
  }

  /** Any message, read by the JSON parser: a vote, or why it is not one. */
  static Parsed parseJson(String message, VoteOptions options) {
    JsonObject json;
    try {
      if (!(Json.decodeValue(message) instanceof JsonObject object)) {
        return Parsed.invalid(Invalid.NOT_AN_OBJECT, "expected a JSON object");
      }
      json = object;
    } catch (DecodeException notJson) {
      return Parsed.invalid(Invalid.NOT_JSON, "not valid JSON");
    }
    if (!(json.getValue(VOTER_ID) instanceof String id) || id.isEmpty()) {
      return Parsed.invalid(Invalid.MISSING_VOTER_ID, "voter_id must be a non-empty string");
    }
    if (id.length() > MAX_VOTER_ID_CHARS || !printable(id)) {
      return Parsed.invalid(Invalid.BAD_VOTER_ID, "voter_id must be at most " + MAX_VOTER_ID_CHARS + " printable characters");
    }
    if (!(json.getValue(VOTE) instanceof String option) || option.isEmpty()) {
      return Parsed.invalid(Invalid.MISSING_VOTE, "vote must be a non-empty string");
    }
    if (options.byId(option).isEmpty()) {
      return Parsed.invalid(Invalid.UNKNOWN_OPTION, "vote must be one of the configured options (a, b)");
    }
    // Trace context is a hint: one that is not a string is left out, never a reason to refuse the vote.
    String traceparent = json.getValue(TRACEPARENT) instanceof String text ? text : null;
    String tracestate = json.getValue(TRACESTATE) instanceof String text ? text : null;
    Object ts = json.getValue(TIMESTAMP);
    if (ts == null) {
      return new Parsed(new VoteMessage(id, option, NO_TIMESTAMP, traceparent, tracestate), null, null);
    }
    if (!(ts instanceof Integer || ts instanceof Long) || ((Number) ts).longValue() < 0) {
      return Parsed.invalid(Invalid.BAD_TIMESTAMP, "ts must be microseconds since the epoch");
    }
    return new Parsed(new VoteMessage(id, option, ((Number) ts).longValue(), traceparent, tracestate), null, null);
  }

  private static boolean printable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
