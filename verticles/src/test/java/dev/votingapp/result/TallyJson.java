package dev.votingapp.result;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** The tally as /api/results and /ws give it, with the options Tabs (a) and Spaces (b) of these tests. */
final class TallyJson {

  /** Every field of a message: the tally's, then its status. */
  static final Set<String> FIELDS = Set.of("options", "total", "asOf", "current", "reason", "waiting");

  private TallyJson() {
  }

  static JsonObject tally(long a, long b) {
    return new JsonObject().put("options", new JsonArray()
            .add(new JsonObject().put("id", "a").put("label", "Tabs").put("votes", a))
            .add(new JsonObject().put("id", "b").put("label", "Spaces").put("votes", b)))
        .put("total", a + b);
  }

  /** Only the tally's own fields, as they were before the status came; compared whole. */
  static JsonObject tallyOf(JsonObject message) {
    return new JsonObject().put("options", message.getJsonArray("options")).put("total", message.getLong("total"));
  }
}
