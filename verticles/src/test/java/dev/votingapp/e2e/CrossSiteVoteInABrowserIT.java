package dev.votingapp.e2e;

import static dev.votingapp.testing.Await.SOON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.HeadlessChromium;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.vote.VoteService;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Ballot stuffing as an attacker would try it: a page of another origin (another port of 127.0.0.1)
 * whose hidden form submits itself to the ballot the moment a visitor opens it. Real Chromium sends its
 * own Origin and Sec-Fetch-Site, which a test cannot fake; the vote is refused and nothing is queued,
 * while the same browser on the ballot's own page still votes.
 */
@ExtendWith(VertxExtension.class)
class CrossSiteVoteInABrowserIT {

  @Test
  void aFormOnAnotherSiteThatSubmitsItselfCastsNoVote(InProcessApp app) throws Exception {
    try (RedisKeys queue = RedisKeys.ownQueue(app.vertx, "cross-site")) {
      String key = queue.prefix();
      Config config = TestConfig.queue(TestServers.redisUrl(), key).config();
      int ballot = Await.result(VoteService.deploy(app.vertx, config, app.management, 1)).port();
      String ballotUrl = "http://127.0.0.1:" + ballot + "/";
      HttpServer attacker = Await.result(app.vertx.createHttpServer()
          .requestHandler(request -> request.response().putHeader("Content-Type", "text/html; charset=utf-8")
              .end(selfSubmittingForm(ballotUrl)))
          .listen(0, "127.0.0.1"));

      try (HeadlessChromium chromium = new HeadlessChromium()) {
        ChromeDriver browser = chromium.driver();
        browser.get("http://127.0.0.1:" + attacker.actualPort() + "/");

        Await.until("the form posted itself to the ballot and was refused", SOON,
            () -> browser.getCurrentUrl().startsWith(ballotUrl)
                && browser.getPageSource().contains("it was sent from a page of another site"));
        assertThat(queue.length(key)).as("votes queued by another site's form").isZero();

        // The refusal shows the ballot: voting from it is voting from the ballot's own page.
        browser.findElement(By.id("b")).click();
        Await.until("the ballot marks the vote", SOON, () -> HeadlessChromium.ballotMarks(browser, "b"));
        assertThat(queue.messages(key)).extracting(message -> message.getString("vote")).containsExactly("b");
      }
    }
  }

  private static String selfSubmittingForm(String ballotUrl) {
    return "<!DOCTYPE html><html><head><title>Win a prize</title></head><body>"
        + "<form method=\"POST\" action=\"" + ballotUrl + "\"><input type=\"hidden\" name=\"vote\" value=\"a\"></form>"
        + "<script>document.forms[0].submit();</script></body></html>";
  }
}
