package dev.votingapp.ops;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Prometheus exemplars from OpenTelemetry: a latency sample taken inside a sampled span carries its trace
 * id, so a slow bucket in Grafana opens the trace.
 */
final class TraceExemplars implements io.prometheus.metrics.tracer.common.SpanContext {

  @Override
  public String getCurrentTraceId() {
    SpanContext current = Span.current().getSpanContext();
    return current.isValid() ? current.getTraceId() : null;
  }

  @Override
  public String getCurrentSpanId() {
    SpanContext current = Span.current().getSpanContext();
    return current.isValid() ? current.getSpanId() : null;
  }

  @Override
  public boolean isCurrentSpanSampled() {
    return Span.current().getSpanContext().isSampled();
  }

  @Override
  public void markCurrentSpanAsExemplar() {
    Span.current().setAttribute(EXEMPLAR_ATTRIBUTE_NAME, EXEMPLAR_ATTRIBUTE_VALUE);
  }
}
