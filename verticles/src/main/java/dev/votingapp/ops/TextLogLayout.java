package dev.votingapp.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One short line per event for a person at a terminal ({@code dev}): time, level, role, message, and
 * the error below it; in colour when the output is a terminal.
 */
public final class TextLogLayout extends LayoutBase<ILoggingEvent> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final String RESET = "\u001b[0m";

  private final boolean colour;

  public TextLogLayout(boolean colour) {
    this.colour = colour;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160);
    line.append(paint("\u001b[2m", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))).append(' ');
    line.append(paint(levelColour(event.getLevel()), String.format("%-5s", event.getLevel()))).append(' ');
    String role = getContext() == null ? null : getContext().getProperty("role");
    if (role != null) {
      line.append(paint("\u001b[36m", String.format("%-6s", role))).append(' ');
    }
    line.append(event.getFormattedMessage());
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      line.append(CoreConstants.LINE_SEPARATOR).append(paint("\u001b[2m", ThrowableProxyUtil.asString(error).stripTrailing()));
    }
    return line.append(CoreConstants.LINE_SEPARATOR).toString();
  }

  private static String levelColour(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "\u001b[31;1m";
      case Level.WARN_INT -> "\u001b[33m";
      case Level.INFO_INT -> "\u001b[32m";
      default -> "\u001b[2m";
    };
  }

  private String paint(String code, String text) {
    return colour ? code + text + RESET : text;
  }
}
