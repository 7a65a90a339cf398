package dev.votingapp.loadtest;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Votes per option, in the options' order: what {@code GET /api/results} and the WebSocket push
 * ({"options":[{"id":"a","label":"Cats","votes":3},…],"total":4}), or a count over the votes table, say.
 */
final class Tally {

  private final Map<String, Long> votes;
  private final Map<String, String> labels;

  Tally(Map<String, Long> votes, Map<String, String> labels) {
    this.votes = new LinkedHashMap<>(votes);
    this.labels = new LinkedHashMap<>(labels);
  }

  static Tally empty(Collection<String> options) {
    Map<String, Long> votes = new LinkedHashMap<>();
    options.forEach(option -> votes.put(option, 0L));
    return new Tally(votes, Map.of());
  }

  /** Parses the result service's JSON; the "total" must be the sum of the options' votes. */
  static Tally parse(String json) {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (DecodeException | NullPointerException notJson) {
      throw new IllegalArgumentException("not JSON: " + abbreviate(json), notJson);
    }
    if (!(root.getValue("options") instanceof JsonArray options)) {
      throw new IllegalArgumentException("no \"options\" array");
    }
    Map<String, Long> votes = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (Object item : options) {
      if (!(item instanceof JsonObject option) || !(option.getValue("id") instanceof String id)
          || !(option.getValue("votes") instanceof Number count)) {
        throw new IllegalArgumentException("an option without id or votes: " + item);
      }
      votes.put(id, count.longValue());
      labels.put(id, option.getValue("label") instanceof String label ? label : id);
    }
    Tally tally = new Tally(votes, labels);
    if (root.getValue("total") instanceof Number total && total.longValue() != tally.total()) {
      throw new IllegalArgumentException("total " + total.longValue() + " is not the sum of the options, " + tally.total());
    }
    return tally;
  }

  static String abbreviate(String text) {
    return text == null ? "null" : text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  Map<String, Long> votes() {
    return votes;
  }

  Map<String, String> labels() {
    return labels;
  }

  long get(String option) {
    return votes.getOrDefault(option, 0L);
  }

  long total() {
    return votes.values().stream().mapToLong(Long::longValue).sum();
  }

  Tally plus(Map<String, Long> more) {
    Map<String, Long> sum = new LinkedHashMap<>(votes);
    more.forEach((option, count) -> sum.merge(option, count, Long::sum));
    return new Tally(sum, labels);
  }

  Tally withLabels(Map<String, String> names) {
    return new Tally(votes, names);
  }

  /** Equal counts for every option either names (a missing option counts 0). */
  boolean sameCounts(Tally other) {
    java.util.Set<String> options = new java.util.LinkedHashSet<>(votes.keySet());
    options.addAll(other.votes.keySet());
    return options.stream().allMatch(option -> get(option) == other.get(option));
  }

  /** "a +2, b -1" : this minus the other, options that differ only; "" when equal. */
  String minus(Tally other) {
    java.util.Set<String> options = new java.util.LinkedHashSet<>(votes.keySet());
    options.addAll(other.votes.keySet());
    StringBuilder text = new StringBuilder();
    for (String option : options) {
      long difference = get(option) - other.get(option);
      if (difference != 0) {
        text.append(text.length() == 0 ? "" : ", ").append(option).append(difference > 0 ? " +" : " ").append(difference);
      }
    }
    return text.toString();
  }

  /** "a (Cats) 92, b (Dogs) 58, total 150". */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    votes.forEach((option, count) -> {
      String label = labels.get(option);
      text.append(option);
      if (label != null && !label.equals(option)) {
        text.append(" (").append(label).append(')');
      }
      text.append(' ').append(count).append(", ");
    });
    return text.append("total ").append(total()).toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tally tally && sameCounts(tally);
  }

  @Override
  public int hashCode() {
    return Objects.hash(total());
  }
}
