package dev.votingapp.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.util.Locale;

/**
 * The layout of every log line: JSON (one object per line, for Loki and the like) unless the format is
 * {@code text} (a short human line, the default of the {@code dev} role). The format comes from the
 * system property {@value #PROPERTY}, which the launcher sets from LOG_FORMAT before logging starts.
 */
public final class LogLayout extends LayoutBase<ILoggingEvent> {

  public static final String PROPERTY = "voting.log.format";

  private LayoutBase<ILoggingEvent> delegate;

  @Override
  public void start() {
    String format = System.getProperty(PROPERTY, "json").trim().toLowerCase(Locale.ROOT);
    boolean terminal = System.console() != null && System.getenv("NO_COLOR") == null;
    delegate = "text".equals(format) ? new TextLogLayout(terminal) : new JsonLogLayout();
    delegate.setContext(getContext());
    delegate.start();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    return delegate.doLayout(event);
  }
}
