package dev.votingapp.worker;

import dev.votingapp.ops.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.function.Function;

/**
 * One span per batch, as the OpenTelemetry messaging conventions have it for a batch receive: kind
 * consumer, with a link to the trace of every vote that carried one (the request that queued it). The
 * span is current while the batch is written and released, so Vert.x's PostgreSQL and Redis spans nest
 * under it; that runs on a duplicated Vert.x context, so lanes sharing an event loop keep their spans
 * apart. With tracing off, the work just runs.
 *
 * @param queue the queue's name (REDIS_QUEUE), in the span's name and attributes
 */
record BatchSpans(Vertx vertx, Tracing tracing, String queue) {

  private static final AttributeKey<Long> MESSAGE_COUNT = AttributeKey.longKey("messaging.batch.message_count");

  /** Runs {@code work} with the batch span's {@code traceparent} (empty with tracing off). */
  <T> Future<T> around(Batch batch, Function<String, Future<T>> work) {
    if (!tracing.enabled()) {
      return work.apply("");
    }
    SpanBuilder builder = tracing.tracer().spanBuilder("process " + queue)
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute("messaging.system", "redis")
        .setAttribute("messaging.operation.type", "process")
        .setAttribute("messaging.destination.name", queue)
        .setAttribute(MESSAGE_COUNT, (long) batch.messages());
    for (SpanContext trace : batch.traces()) {
      builder.addLink(trace);
    }
    Span span = builder.startSpan();
    Promise<T> done = Promise.promise();
    ContextInternal batchContext = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    batchContext.runOnContext(ignored -> {
      Scope scope = span.makeCurrent();
      Future<T> written;
      try {
        written = work.apply(Tracing.traceparent(span.getSpanContext()));
      } catch (RuntimeException failed) {
        written = Future.failedFuture(failed);
      }
      written.onComplete(result -> {
        if (result.failed()) {
          span.recordException(result.cause());
          span.setStatus(StatusCode.ERROR);
        }
        scope.close();
        span.end();
        done.handle(result);
      });
    });
    return done.future();
  }
}
