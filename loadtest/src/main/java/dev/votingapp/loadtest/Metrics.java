package dev.votingapp.loadtest;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One scrape of a management port's /metrics (Prometheus text format): every series' value, and the
 * sum over the series of a metric whose labels contain a given pair.
 */
final class Metrics {

  /** metric name -> (label text, e.g. {area="heap",id="G1 Eden Space"} -> value). */
  private final Map<String, Map<String, Double>> series = new HashMap<>();

  static Metrics scrape(String url) throws IOException {
    return parse(Http.get(url));
  }

  static Metrics parse(String text) {
    Metrics metrics = new Metrics();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      String name;
      String labels;
      String rest;
      if (brace >= 0 && (space < 0 || brace < space)) {
        int close = closingBrace(line, brace);
        if (close < 0) {
          continue;
        }
        name = line.substring(0, brace);
        labels = line.substring(brace, close + 1);
        rest = line.substring(close + 1).trim();
      } else if (space > 0) {
        name = line.substring(0, space);
        labels = "";
        rest = line.substring(space + 1).trim();
      } else {
        continue;
      }
      // Up to the optional timestamp; a regex split here cost the kit's sampler 7% of the kit's CPU.
      int end = rest.indexOf(' ');
      String value = end < 0 ? rest : rest.substring(0, end);
      try {
        metrics.series.computeIfAbsent(name, n -> new HashMap<>()).put(labels, Double.parseDouble(value));
      } catch (NumberFormatException notANumber) {
        // "NaN" parses; anything else is skipped
      }
    }
    return metrics;
  }

  /** The closing brace of a label set, skipping braces inside quoted values. */
  private static int closingBrace(String line, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  /** Sum over every series of the metric whose labels contain every one of the given label="value" pairs. */
  OptionalDouble sum(String name, String... labelPairs) {
    Map<String, Double> all = series.get(name);
    if (all == null) {
      return OptionalDouble.empty();
    }
    double sum = 0;
    boolean found = false;
    for (Map.Entry<String, Double> entry : all.entrySet()) {
      boolean matches = true;
      for (String pair : labelPairs) {
        if (!entry.getKey().contains(pair)) {
          matches = false;
          break;
        }
      }
      if (matches && !entry.getValue().isNaN()) {
        sum += entry.getValue();
        found = true;
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /** Largest value over the matching series. */
  OptionalDouble max(String name, String... labelPairs) {
    Map<String, Double> all = series.get(name);
    if (all == null) {
      return OptionalDouble.empty();
    }
    return all.entrySet().stream()
        .filter(entry -> java.util.Arrays.stream(labelPairs).allMatch(entry.getKey()::contains))
        .mapToDouble(Map.Entry::getValue)
        .filter(value -> !Double.isNaN(value))
        .max();
  }

  boolean has(String name) {
    return series.containsKey(name);
  }
}
