package dev.votingapp.common;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A vote on the Redis queue. The reference worker reads {"voter_id", "vote"}; "ts" (when the voter
 * voted, microseconds since the epoch) is ours and lets the last vote of a voter win even when votes
 * are processed out of order.
 */
public record VoteMessage(String voterId, String vote, long timestampMicros) {

  public static final String VOTER_ID = "voter_id";
  public static final String VOTE = "vote";
  public static final String TIMESTAMP = "ts";

  public static VoteMessage now(String voterId, String vote) {
    return new VoteMessage(voterId, vote, micros(Instant.now()));
  }

  /** Microseconds since the epoch, the unit of "ts". */
  public static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  public String toJson() {
    return new JsonObject()
        .put(VOTER_ID, voterId)
        .put(VOTE, vote)
        .put(TIMESTAMP, timestampMicros)
        .encode();
  }
}
