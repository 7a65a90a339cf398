package dev.votingapp.vote;

import dev.votingapp.config.VoteOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ballot page in every state it can be in. The page depends only on configuration (labels,
 * hostname) and on which option was just chosen, so each state is rendered once with FreeMarker at
 * start and served from memory: no template work on the hot path.
 */
final class BallotPage {

  private static final String TEMPLATE = "templates/vote/ballot.ftl";

  private Buffer ballot;
  private final Map<String, Buffer> voted = new HashMap<>();
  private final Map<Rejection, Buffer> rejected = new EnumMap<>(Rejection.class);
  private Buffer notRecorded;
  private Buffer notFound;
  private Buffer notAllowed;

  private BallotPage() {
  }

  static Future<BallotPage> render(Vertx vertx, VoteOptions options, String hostname) {
    FreeMarkerTemplateEngine engine = FreeMarkerTemplateEngine.create(vertx);
    BallotPage page = new BallotPage();
    List<Future<?>> renders = new ArrayList<>();
    Renderer render = (chosen, notice) -> engine.render(model(options, hostname, chosen, notice), TEMPLATE);

    renders.add(render.apply(null, null).onSuccess(html -> page.ballot = html));
    for (VoteOptions.Option option : options.all()) {
      renders.add(render.apply(option.id(), null).onSuccess(html -> page.voted.put(option.id(), html)));
    }
    for (Rejection reason : Rejection.values()) {
      renders.add(render.apply(null, reason.message()).onSuccess(html -> page.rejected.put(reason, html)));
    }
    renders.add(render.apply(null,
            "Your vote was not recorded: the vote queue is not answering. Please try again in a moment.")
        .onSuccess(html -> page.notRecorded = html));
    renders.add(render.apply(null, "There is nothing at this address. The ballot is below.")
        .onSuccess(html -> page.notFound = html));
    renders.add(render.apply(null, "This address takes GET and POST only. The ballot is below.")
        .onSuccess(html -> page.notAllowed = html));
    return Future.all(renders).map(page);
  }

  private interface Renderer {
    Future<Buffer> apply(String chosen, String notice);
  }

  private static Map<String, Object> model(VoteOptions options, String hostname, String chosen, String notice) {
    List<Map<String, Object>> buttons = new ArrayList<>();
    for (VoteOptions.Option option : options.all()) {
      buttons.add(Map.of("id", option.id(), "label", option.label()));
    }
    Map<String, Object> model = new HashMap<>();
    model.put("title", options.title());
    model.put("options", buttons);
    model.put("chosen", chosen == null ? "" : chosen);
    model.put("notice", notice == null ? "" : notice);
    model.put("hostname", hostname);
    return model;
  }

  Buffer ballot() {
    return ballot;
  }

  Buffer voted(String option) {
    return voted.get(option);
  }

  Buffer rejected(Rejection reason) {
    return rejected.get(reason);
  }

  Buffer notRecorded() {
    return notRecorded;
  }

  Buffer notFound() {
    return notFound;
  }

  Buffer notAllowed() {
    return notAllowed;
  }
}
