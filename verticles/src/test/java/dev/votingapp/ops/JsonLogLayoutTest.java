package dev.votingapp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonLogLayoutTest {

  @Test
  void oneJsonObjectPerLineWithTheRole() {
    LoggerContext context = new LoggerContext();
    context.putProperty("role", "vote");
    JsonLogLayout layout = new JsonLogLayout();
    layout.setContext(context);
    LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.votingapp.Test"), Level.WARN,
        "line one\nline \"two\" {}", new IllegalStateException("boom"), new Object[] {"\\ end"});

    String line = layout.doLayout(event);

    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("logger")).isEqualTo("dev.votingapp.Test");
    assertThat(json.getString("message")).isEqualTo("line one\nline \"two\" \\ end");
    assertThat(json.getString("role")).isEqualTo("vote");
    assertThat(json.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.getString("error")).contains("IllegalStateException: boom");
    assertThat(json.fieldNames()).doesNotContain("trace_id", "span_id");
  }

  /** A line written inside a span names it, so Loki and Jaeger find each other's lines. */
  @Test
  void aLineWrittenInsideASpanCarriesItsIds() {
    LoggerContext context = new LoggerContext();
    JsonLogLayout layout = new JsonLogLayout();
    layout.setContext(context);
    try (SdkTracerProvider tracing = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build()) {
      Span span = tracing.get("test").spanBuilder("work").startSpan();
      String line;
      try (Scope current = span.makeCurrent()) {
        line = layout.doLayout(new LoggingEvent("x", context.getLogger("t"), Level.INFO, "inside", null, null));
      } finally {
        span.end();
      }

      JsonObject json = new JsonObject(line);
      assertThat(json.getString("trace_id")).isEqualTo(span.getSpanContext().getTraceId());
      assertThat(json.getString("span_id")).isEqualTo(span.getSpanContext().getSpanId());
    }
  }
}
