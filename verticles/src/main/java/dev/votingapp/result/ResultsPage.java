package dev.votingapp.result;

import dev.votingapp.config.VoteOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.templ.freemarker.FreeMarkerTemplateEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The results page of one event loop, rendered with the tally and its status, so it reads right with
 * JavaScript off. The last render is kept for as long as the page would read the same.
 */
final class ResultsPage {

  private static final String TEMPLATE = "templates/result/results.ftl";

  private final FreeMarkerTemplateEngine templates;
  private final VoteOptions options;
  private Tally renderedTally;
  private Freshness.Status renderedStatus;
  private Buffer renderedPage;

  ResultsPage(Vertx vertx, VoteOptions options) {
    this.templates = FreeMarkerTemplateEngine.create(vertx);
    this.options = options;
  }

  Future<Buffer> render(Tally tally, Freshness.Status status) {
    // While current, the page shows nothing of the status: a newer read time renders the same page.
    boolean same = tally.equals(renderedTally) && renderedStatus != null
        && (status.current() ? renderedStatus.current() : status.equals(renderedStatus));
    if (same) {
      return Future.succeededFuture(renderedPage);
    }
    return templates.render(model(tally, status), TEMPLATE).onSuccess(html -> {
      renderedTally = tally;
      renderedStatus = status;
      renderedPage = html;
    });
  }

  private Map<String, Object> model(Tally tally, Freshness.Status status) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Tally.Count count : tally.counts()) {
      rows.add(Map.of("id", count.id(), "label", count.label(), "votes", String.valueOf(count.votes()),
          "percent", Tally.percent(count.votes(), tally.total())));
    }
    Map<String, Object> model = new HashMap<>();
    model.put("title", options.title());
    model.put("options", rows);
    model.put("total", Tally.votesText(tally.total()));
    model.put("current", status.current());
    model.put("asOf", status.asOf().toString());
    model.put("asOfClock", status.asOfClock());
    model.put("delay", status.delayWords());
    return model;
  }
}
