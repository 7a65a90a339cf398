package dev.votingapp.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition. */
public final class PrometheusText {

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private PrometheusText() {
  }

  /**
   * The value of the series named {@code name{label="value",...}}, matching every series of that name that
   * has at least those labels (every series also carries application and service), summed; 0 when none.
   */
  public static double value(String exposition, String series) {
    int brace = series.indexOf('{');
    String name = brace < 0 ? series : series.substring(0, brace);
    Map<String, String> wanted = brace < 0 ? Map.of() : labels(series.substring(brace + 1, series.length() - 1));
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String key = line.substring(0, space);
      int open = key.indexOf('{');
      String lineName = open < 0 ? key : key.substring(0, open);
      if (!lineName.equals(name)) {
        continue;
      }
      Map<String, String> have = open < 0 ? Map.of() : labels(key.substring(open + 1, key.length() - 1));
      if (have.entrySet().containsAll(wanted.entrySet())) {
        sum += Double.parseDouble(line.substring(space + 1));
      }
    }
    return sum;
  }

  /** True when a series of that name with at least those labels exists. */
  public static boolean has(String exposition, String series) {
    int brace = series.indexOf('{');
    String name = brace < 0 ? series : series.substring(0, brace);
    Map<String, String> wanted = brace < 0 ? Map.of() : labels(series.substring(brace + 1, series.length() - 1));
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        int open = line.indexOf('{');
        Map<String, String> have = open < 0 ? Map.of() : labels(line.substring(open + 1, line.indexOf('}')));
        if (have.entrySet().containsAll(wanted.entrySet())) {
          return true;
        }
      }
    }
    return false;
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    Matcher label = LABEL.matcher(text);
    while (label.find()) {
      labels.put(label.group(1), label.group(2));
    }
    return labels;
  }
}
