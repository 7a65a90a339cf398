package dev.votingapp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class TextLogLayoutTest {

  @Test
  void oneShortLineWithTimeLevelRoleAndMessage() {
    String line = layout(false).doLayout(event(Level.INFO, "Started {}", null, "dev"));

    assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  dev    Started dev\n");
    assertThat(line).doesNotContain("\u001b[", "{", "dev.votingapp");
  }

  @Test
  void anErrorFollowsItsLine() {
    String text = layout(false).doLayout(event(Level.ERROR, "Could not start", new IllegalStateException("boom"), null));

    String[] lines = text.split("\n");
    assertThat(lines[0]).endsWith("ERROR dev    Could not start");
    assertThat(lines[1]).contains("IllegalStateException: boom");
  }

  @Test
  void colouredOnATerminal() {
    String line = layout(true).doLayout(event(Level.WARN, "Redis is not answering", null, null));

    assertThat(line).contains("\u001b[33mWARN \u001b[0m", "Redis is not answering");
  }

  private static TextLogLayout layout(boolean colour) {
    LoggerContext context = new LoggerContext();
    context.putProperty("role", "dev");
    TextLogLayout layout = new TextLogLayout(colour);
    layout.setContext(context);
    return layout;
  }

  private static LoggingEvent event(Level level, String message, Throwable error, Object argument) {
    LoggerContext context = new LoggerContext();
    return new LoggingEvent("x", context.getLogger("dev.votingapp.Test"), level, message, error,
        argument == null ? null : new Object[] {argument});
  }
}
