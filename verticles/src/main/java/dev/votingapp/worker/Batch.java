package dev.votingapp.worker;

import dev.votingapp.config.VoteOptions;
import dev.votingapp.ops.Tracing;
import dev.votingapp.store.VoteMessage;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One claimed batch and the worker's policy for it: the votes to write (only the latest per voter,
 * because one INSERT cannot update a row twice), their times, and dead letters for messages that are
 * not votes. The message format itself is {@link VoteMessage}'s.
 *
 * @param clamped votes whose time was later than the claim, set back to the claim's instant
 * @param traces the trace of every vote that came with one (the request that queued it): the batch span links to them
 */
record Batch(int messages, int valid, int clamped, List<VoteMessage> votes, List<DeadLetter> dead,
             List<SpanContext> traces) {

  /** A dead letter keeps at most this much of the original message. */
  static final int MAX_DEAD_ORIGINAL_CHARS = 16_384;

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

  /**
   * @param claim the messages and the vote clock's instant of their claim. Every vote queued through the
   *              vote service or stamped at its claim is older than that instant. A time later than it
   *              comes from a producer with its own clock; it is set back to the claim's instant, so it
   *              cannot win over the voter's later votes forever, and the vote still counts.
   */
  static Batch parse(Claim claim, VoteOptions options) {
    Map<String, VoteMessage> latest = new LinkedHashMap<>();
    List<DeadLetter> dead = new ArrayList<>();
    List<SpanContext> traces = new ArrayList<>();
    int valid = 0;
    int clamped = 0;
    for (String message : claim.messages()) {
      VoteMessage.Parsed parsed = VoteMessage.parse(message, options);
      if (!parsed.isVote()) {
        dead.add(new DeadLetter(parsed.reason(), parsed.detail(), message));
        continue;
      }
      VoteMessage vote = parsed.vote();
      if (!vote.hasTimestamp()) {
        // Only a list claimed before messages were stamped at their claim still holds such a message.
        vote = vote.at(claim.nowMicros());
      } else if (vote.timestampMicros() > claim.nowMicros()) {
        vote = vote.at(claim.nowMicros());
        clamped++;
      }
      valid++;
      SpanContext trace = Tracing.spanContext(vote.traceparent(), vote.tracestate());
      if (trace.isValid()) { // a missing or malformed traceparent is no link, and no error
        traces.add(trace);
      }
      // Later in the queue wins a tie: that is the order they were queued in.
      latest.merge(vote.voterId(), vote, (kept, next) -> next.timestampMicros() >= kept.timestampMicros() ? next : kept);
    }
    return new Batch(claim.messages().size(), valid, clamped, new ArrayList<>(latest.values()), dead, traces);
  }
}
