package dev.votingapp.testing;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reads a /ready answer (vertx-health-check's JSON: {"status", "checks":[{"id","status","data"}]}). */
public final class Readiness {

  private Readiness() {
  }

  /** The ids of the checks that are down. */
  public static List<String> down(HttpResponse<String> ready) {
    List<String> down = new ArrayList<>();
    for (Object check : new JsonObject(ready.body()).getJsonArray("checks")) {
      JsonObject json = (JsonObject) check;
      if (!"UP".equals(json.getString("status"))) {
        down.add(json.getString("id"));
      }
    }
    return down;
  }

  /** The ids of every check. */
  public static List<String> checks(HttpResponse<String> ready) {
    List<String> ids = new ArrayList<>();
    for (Object check : new JsonObject(ready.body()).getJsonArray("checks")) {
      ids.add(((JsonObject) check).getString("id"));
    }
    return ids;
  }
}
