package dev.votingapp.common;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A vote on the Redis queue. The reference worker reads {"voter_id", "vote"}; "ts" (when the voter
 * voted, microseconds since the epoch) is ours and lets the last vote of a voter win even when votes
 * are processed out of order.
 */
public record VoteMessage(String voterId, String vote, long timestampMicros) {

  public static VoteMessage now(String voterId, String vote) {
    Instant now = Instant.now();
    return new VoteMessage(voterId, vote, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
  }

  public String toJson() {
    return new JsonObject()
        .put("voter_id", voterId)
        .put("vote", vote)
        .put("ts", timestampMicros)
        .encode();
  }
}
