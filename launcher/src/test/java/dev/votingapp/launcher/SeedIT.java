package dev.votingapp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed job retries a refused vote as the same voter: a vote service that refuses every voter's first
 * attempt (as when Redis answered late: the first append may still have landed) sees each voter twice,
 * with the same id, and the seed still succeeds.
 */
@ExtendWith(VertxExtension.class)
class SeedIT {

  @Test
  void aRefusedVoteIsRetriedAsTheSameVoter(Vertx vertx, VertxTestContext test) {
    Map<String, Integer> attempts = new ConcurrentHashMap<>();
    List<String> votes = new CopyOnWriteArrayList<>();
    vertx.createHttpServer()
        .requestHandler(request -> {
          Cookie voter = request.getCookie("voter_id");
          String id = voter == null ? "none" : voter.getValue();
          int attempt = attempts.merge(id, 1, Integer::sum);
          request.body().onSuccess(body -> {
            votes.add(id + " " + body);
            request.response().setStatusCode(attempt == 1 ? 503 : 200).end();
          });
        })
        .listen(0, "127.0.0.1")
        .compose(server -> vertx.executeBlocking(
            () -> Seed.run(URI.create("http://127.0.0.1:" + server.actualPort() + "/"), 20, 10, 5, 10)))
        .onComplete(test.succeeding(exit -> test.verify(() -> {
          assertThat(exit).isZero();
          assertThat(attempts).hasSize(30).doesNotContainKey("none").allSatisfy((id, count) -> {
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(count).as("attempts of voter " + id).isEqualTo(2);
          });
          assertThat(votes.stream().filter(vote -> vote.endsWith("vote=a")).count()).isEqualTo(40);
          test.completeNow();
        })));
  }
}
