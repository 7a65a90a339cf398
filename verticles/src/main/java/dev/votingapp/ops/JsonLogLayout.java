package dev.votingapp.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;

/**
 * One JSON object per line (timestamp, level, logger, thread, message, trace_id and span_id when written
 * inside a span, role, error), the shape log shippers such as Alloy/Loki parse without rules. The role comes from the logger context property
 * "role" that the launcher sets.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(256);
    line.append('{');
    field(line, "timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString()).append(',');
    field(line, "level", event.getLevel().toString()).append(',');
    field(line, "logger", event.getLoggerName()).append(',');
    field(line, "thread", event.getThreadName()).append(',');
    field(line, "message", event.getFormattedMessage());
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) { // written inside a span: the line and the trace find each other
      line.append(',');
      field(line, "trace_id", span.getTraceId()).append(',');
      field(line, "span_id", span.getSpanId());
    }
    String role = getContext() == null ? null : getContext().getProperty("role");
    if (role != null) {
      line.append(',');
      field(line, "role", role);
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      line.append(',');
      field(line, "error", ThrowableProxyUtil.asString(error));
    }
    return line.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
  }

  private static StringBuilder field(StringBuilder line, String name, String value) {
    line.append('"').append(name).append("\":\"");
    escape(line, value == null ? "" : value);
    return line.append('"');
  }

  static void escape(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
