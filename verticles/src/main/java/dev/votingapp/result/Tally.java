package dev.votingapp.result;

import dev.votingapp.config.VoteOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The counts of the configured options: what the page shows, /api/results returns and /ws pushes. */
record Tally(List<Count> counts) {

  record Count(String id, String label, long votes) {
  }

  /** Options the table does not know yet count 0; votes for options not configured are left out. */
  static Tally of(VoteOptions options, Map<String, Long> votesByOption) {
    List<Count> counts = new ArrayList<>();
    for (VoteOptions.Option option : options.all()) {
      counts.add(new Count(option.id(), option.label(), votesByOption.getOrDefault(option.id(), 0L)));
    }
    return new Tally(List.copyOf(counts));
  }

  /** The inverse of {@link #toJson()}. */
  static Tally fromJson(String json) {
    List<Count> counts = new ArrayList<>();
    for (Object item : new JsonObject(json).getJsonArray("options")) {
      JsonObject option = (JsonObject) item;
      counts.add(new Count(option.getString("id"), option.getString("label"), option.getLong("votes")));
    }
    return new Tally(List.copyOf(counts));
  }

  long total() {
    return counts.stream().mapToLong(Count::votes).sum();
  }

  /** {"options":[{"id":"a","label":"Cats","votes":3},…],"total":4} */
  String toJson() {
    return toJsonObject().encode();
  }

  JsonObject toJsonObject() {
    JsonArray options = new JsonArray();
    for (Count count : counts) {
      options.add(new JsonObject().put("id", count.id()).put("label", count.label()).put("votes", count.votes()));
    }
    return new JsonObject().put("options", options).put("total", total());
  }

  /** "75.0" — the same rounding as the page's script, so a push never changes a figure it does not change. */
  static String percent(long votes, long total) {
    double tenths = total == 0 ? 0 : Math.round(votes * 1000.0 / total);
    return String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }

  /** "No votes yet" / "1 vote" / "N votes", as the reference result page says it. */
  static String votesText(long total) {
    return total == 0 ? "No votes yet" : total == 1 ? "1 vote" : total + " votes";
  }
}
