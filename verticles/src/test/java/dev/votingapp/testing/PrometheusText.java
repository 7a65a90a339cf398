package dev.votingapp.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample out of a Prometheus text exposition. */
public final class PrometheusText {

  private PrometheusText() {
  }

  /** The value of the series with exactly this name and label set, or 0 when it is absent. */
  public static double value(String exposition, String series) {
    Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
    return line.find() ? Double.parseDouble(line.group(1)) : 0.0;
  }
}
