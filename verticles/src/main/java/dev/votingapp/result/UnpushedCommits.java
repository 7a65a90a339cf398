package dev.votingapp.result;

import dev.votingapp.ops.Tracing;
import dev.votingapp.store.TallyNotice;
import dev.votingapp.store.VoteMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The commits not pushed yet, as the tally notifications ({@link TallyNotice}) name them: the oldest
 * one's time, for the commit-to-push metric, and with tracing on their traces (the worker's batch
 * spans), linked from the push's span. Feed-thread only.
 */
final class UnpushedCommits {

  /** At most this many commits' traces are linked from one push. */
  private static final int MAX_LINKS = 128;

  private final Tracing tracing;
  private final ResultMetrics metrics;
  /** Commit time of the oldest change not pushed yet, or -1. */
  private long oldestMicros = -1;
  private final List<SpanContext> traces = new ArrayList<>();

  UnpushedCommits(Tracing tracing, ResultMetrics metrics) {
    this.tracing = tracing;
    this.metrics = metrics;
  }

  void notified(String payload) {
    TallyNotice notice = TallyNotice.parse(payload);
    if (oldestMicros < 0 && notice.hasTime()) {
      oldestMicros = notice.commitMicros();
    }
    if (notice.traceparent() != null && tracing.enabled() && traces.size() < MAX_LINKS) {
      SpanContext commit = Tracing.spanContext(notice.traceparent(), null);
      if (commit.isValid()) {
        traces.add(commit);
      }
    }
  }

  /** A read found the counts unchanged (the same vote again): nothing waits for a push. */
  void unchanged() {
    oldestMicros = -1;
  }

  /** A changed tally is being pushed: measured, and its span started (end it once published). */
  Span pushing() {
    if (oldestMicros >= 0) {
      metrics.commitToPush(VoteMessage.micros(Instant.now()) - oldestMicros);
      oldestMicros = -1;
    }
    if (!tracing.enabled()) {
      return Span.getInvalid();
    }
    SpanBuilder builder = tracing.tracer().spanBuilder("push tally").setSpanKind(SpanKind.PRODUCER)
        .setAttribute("messaging.system", "websocket")
        .setAttribute("messaging.destination.name", "/ws");
    traces.forEach(builder::addLink);
    traces.clear();
    return builder.startSpan();
  }
}
