package dev.votingapp.common;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
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
  }
}
