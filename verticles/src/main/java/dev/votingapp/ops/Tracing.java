package dev.votingapp.ops;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenTelemetry for one process: off unless the standard {@code OTEL_*} variables ask for it, then
 * configured by them (exporter, endpoint, sampler), with the role as the service name. Off means no SDK,
 * no exporter and no span: Vert.x gets no tracer, and this hands out OpenTelemetry's no-op API.
 *
 * <p>It also carries a trace through what no tracing library sees: a vote's W3C {@code traceparent}
 * travels in its queue message, and a commit's in the tally notification.
 */
public final class Tracing {

  /** Tracing off: every span is the no-op span. */
  public static final Tracing OFF = new Tracing(OpenTelemetry.noop(), false);

  private static final String INSTRUMENTATION = "dev.votingapp";
  private static final List<String> SWITCHES = List.of(
      "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final OpenTelemetry openTelemetry;
  private final boolean enabled;
  private final Tracer tracer;

  public Tracing(OpenTelemetry openTelemetry, boolean enabled) {
    this.openTelemetry = openTelemetry;
    this.enabled = enabled;
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
  }

  /**
   * On when an exporter or an OTLP endpoint is named (and OTEL_SDK_DISABLED is not true); the service
   * name defaults to the role. Metrics and logs stay with Prometheus and stdout unless asked for.
   */
  public static Tracing fromEnv(Map<String, String> env, String role) {
    boolean asked = SWITCHES.stream().anyMatch(name -> env.get(name) != null && !env.get(name).isBlank())
        && !"none".equalsIgnoreCase(env.getOrDefault("OTEL_TRACES_EXPORTER", "").trim())
        && !"true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim());
    if (!asked) {
      return OFF;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", role);
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    OpenTelemetry sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults) // the OTEL_* variables win over these
        .build()
        .getOpenTelemetrySdk();
    return new Tracing(sdk, true);
  }

  public boolean enabled() {
    return enabled;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  public Tracer tracer() {
    return tracer;
  }

  /** The W3C headers of the current span ({@code traceparent}, maybe {@code tracestate}); empty without one. */
  public Map<String, String> currentHeaders() {
    Map<String, String> headers = new HashMap<>();
    if (enabled && Span.current().getSpanContext().isValid()) {
      W3CTraceContextPropagator.getInstance().inject(Context.current(), headers, Map::put);
    }
    return headers;
  }

  /** The span context a {@code traceparent} (and {@code tracestate}) names; invalid when absent or malformed. */
  public static SpanContext spanContext(String traceparent, String tracestate) {
    if (traceparent == null || traceparent.isBlank()) {
      return SpanContext.getInvalid();
    }
    Map<String, String> carrier = new HashMap<>();
    carrier.put("traceparent", traceparent.trim().toLowerCase(Locale.ROOT));
    if (tracestate != null) {
      carrier.put("tracestate", tracestate);
    }
    return Span.fromContext(W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, FROM_MAP))
        .getSpanContext();
  }

  /** The {@code traceparent} of a span context, or an empty string for an invalid one. */
  public static String traceparent(SpanContext context) {
    if (!context.isValid()) {
      return "";
    }
    return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
  }
}
