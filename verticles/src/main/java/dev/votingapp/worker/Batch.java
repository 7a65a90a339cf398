package dev.votingapp.worker;

import dev.votingapp.common.VoteMessage;
import dev.votingapp.common.VoteOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One claimed batch, parsed: the votes to write (only the latest per voter, because one INSERT cannot
 * update a row twice) and the dead letters for messages that cannot be processed.
 */
final class Batch {

  /** A queued vote is ~100 bytes; anything this large is not one. */
  static final int MAX_MESSAGE_CHARS = 4_096;
  /** Matches the column: VARCHAR(255). */
  static final int MAX_VOTER_ID_CHARS = 255;
  /** Clocks of vote services may run a little ahead; a vote from further in the future would win forever. */
  static final long MAX_CLOCK_SKEW_MICROS = 5L * 60 * 1_000_000;
  /** A dead letter keeps at most this much of the original message. */
  static final int MAX_DEAD_ORIGINAL_CHARS = 16_384;

  final int messages;
  final int valid;
  final List<VoteMessage> votes;
  final List<DeadLetter> dead;

  record DeadLetter(String reason, String detail, String original) {
    String toJson(String workerId) {
      boolean truncated = original.length() > MAX_DEAD_ORIGINAL_CHARS;
      JsonObject json = new JsonObject()
          .put("reason", reason)
          .put("detail", detail)
          .put("message", truncated ? original.substring(0, MAX_DEAD_ORIGINAL_CHARS) : original)
          .put("worker", workerId)
          .put("at", Instant.now().toString());
      if (truncated) {
        json.put("truncated", true);
      }
      return json.encode();
    }
  }

  private Batch(int messages, int valid, List<VoteMessage> votes, List<DeadLetter> dead) {
    this.messages = messages;
    this.valid = valid;
    this.votes = votes;
    this.dead = dead;
  }

  /**
   * @param claimedAtMicros the time given to messages without their own timestamp (the reference
   *                        vote app's), so their order is the order they were claimed in
   */
  static Batch parse(List<String> messages, VoteOptions options, long claimedAtMicros) {
    Map<String, VoteMessage> latest = new LinkedHashMap<>();
    List<DeadLetter> dead = new ArrayList<>();
    int valid = 0;
    for (String message : messages) {
      Object parsed = parseOne(message, options, claimedAtMicros);
      if (parsed instanceof DeadLetter letter) {
        dead.add(letter);
        continue;
      }
      VoteMessage vote = (VoteMessage) parsed;
      valid++;
      // Later in the queue wins a tie: that is the order the vote service pushed them in.
      latest.merge(vote.voterId(), vote, (kept, next) -> next.timestampMicros() >= kept.timestampMicros() ? next : kept);
    }
    return new Batch(messages.size(), valid, new ArrayList<>(latest.values()), dead);
  }

  private static Object parseOne(String message, VoteOptions options, long claimedAtMicros) {
    if (message.length() > MAX_MESSAGE_CHARS) {
      return new DeadLetter("too_large", message.length() + " characters, at most " + MAX_MESSAGE_CHARS, message);
    }
    JsonObject json;
    try {
      Object value = io.vertx.core.json.Json.decodeValue(message);
      if (!(value instanceof JsonObject object)) {
        return new DeadLetter("not_an_object", "expected a JSON object", message);
      }
      json = object;
    } catch (DecodeException notJson) {
      return new DeadLetter("not_json", "not valid JSON", message);
    }
    Object voterId = json.getValue(VoteMessage.VOTER_ID);
    if (!(voterId instanceof String id) || id.isEmpty()) {
      return new DeadLetter("missing_voter_id", "voter_id must be a non-empty string", message);
    }
    if (id.length() > MAX_VOTER_ID_CHARS || !printable(id)) {
      return new DeadLetter("bad_voter_id", "voter_id must be at most " + MAX_VOTER_ID_CHARS
          + " printable characters", message);
    }
    Object vote = json.getValue(VoteMessage.VOTE);
    if (!(vote instanceof String option) || option.isEmpty()) {
      return new DeadLetter("missing_vote", "vote must be a non-empty string", message);
    }
    if (options.byId(option).isEmpty()) {
      return new DeadLetter("unknown_option", "vote must be one of the configured options (a, b)", message);
    }
    Object ts = json.getValue(VoteMessage.TIMESTAMP);
    long votedAt = claimedAtMicros;
    if (ts != null) {
      if (!(ts instanceof Integer || ts instanceof Long) || ((Number) ts).longValue() < 0) {
        return new DeadLetter("bad_timestamp", "ts must be microseconds since the epoch", message);
      }
      votedAt = ((Number) ts).longValue();
      if (votedAt > claimedAtMicros + MAX_CLOCK_SKEW_MICROS) {
        return new DeadLetter("timestamp_in_future", "ts is more than 5 minutes ahead of the worker's clock", message);
      }
    }
    return new VoteMessage(id, option, votedAt);
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
