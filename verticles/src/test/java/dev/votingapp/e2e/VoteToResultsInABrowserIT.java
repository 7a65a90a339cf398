package dev.votingapp.e2e;

import static dev.votingapp.testing.Await.SOON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.HeadlessChromium;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.result.ResultService;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The reference app's own end-to-end test, in a real browser: with vote, worker and result running,
 * a vote for the second option appears on the open results page as "1 vote" and 100%, without a reload.
 */
@ExtendWith(VertxExtension.class)
class VoteToResultsInABrowserIT {

  @Test
  void aVoteCastOnTheBallotAppearsLiveOnTheResultsPage(InProcessApp app) throws Exception {
    try (RedisKeys redis = RedisKeys.ownQueue(app.vertx, "e2e")) {
      Config config = TestConfig.on(TestServers.newDatabase()).queueOn(TestServers.redisUrl(), redis.prefix())
          .with("WORKER_ID", "e2e").config();
      VoteService vote = Await.result(VoteService.deploy(app.vertx, config, app.management, 1));
      Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));
      ResultService result = Await.result(ResultService.deploy(app.vertx, config, app.management, 1));
      Await.until("every role ready", SOON, app::ready);

      try (HeadlessChromium chromium = new HeadlessChromium()) {
        ChromeDriver browser = chromium.driver();
        browser.get("http://127.0.0.1:" + result.port() + "/");
        String results = browser.getWindowHandle();
        Await.until("results page live", SOON, () -> text(browser, "total").equals("No votes yet")
            && !browser.findElement(By.id("status")).isDisplayed());
        browser.executeScript("window.notReloaded = true;");

        // Vote in another tab, by clicking the button, as a voter does.
        WebDriver ballot = browser.switchTo().newWindow(WindowType.TAB);
        ballot.get("http://127.0.0.1:" + vote.port() + "/");
        assertThat(ballot.findElement(By.tagName("h1")).getText()).isEqualTo("Cats vs Dogs!");
        ballot.findElement(By.id("b")).click();
        // The click submits the form: the page is replaced, so look the button up again until it shows the vote.
        Await.until("the ballot marks the vote", SOON, () -> HeadlessChromium.ballotMarks(ballot, "b"));
        assertThat(ballot.findElement(By.id("b")).getText()).contains("Dogs", "\u2714");
        chromium.screenshot("e2e-ballot.png");

        browser.switchTo().window(results);
        Await.until("1 vote and 100% for Dogs on the open page", SOON,
            () -> text(browser, "total").equals("1 vote") && text(browser, "percent-b").equals("100.0%"));
        assertThat(text(browser, "percent-a")).isEqualTo("0.0%");
        assertThat(browser.executeScript("return window.notReloaded === true;")).isEqualTo(true);
        chromium.screenshot("e2e-results.png");
      }
    }
  }

  /**
   * The result service restarts (a deploy) while someone watches: the page reconnects by itself, stays
   * live, and never shows the "Disconnected" notice to a reader who only waits.
   */
  @Test
  void aWatcherNeverSeesDisconnectedWhileTheResultServiceRestarts(InProcessApp app) throws Exception {
    PgConfig database = TestServers.newDatabase();
    try (Db db = new Db(app.vertx, database)) {
      db.migrate();
      InProcessApp before = app.another();
      int port = Await.result(ResultService.deploy(before.vertx, TestConfig.on(database).config(), before.management, 1)).port();
      try (HeadlessChromium chromium = new HeadlessChromium()) {
        ChromeDriver browser = chromium.driver();
        browser.get("http://127.0.0.1:" + port + "/");
        Await.until("results page live", SOON, () -> text(browser, "total").equals("No votes yet")
            && !browser.findElement(By.id("status")).isDisplayed());
        browser.executeScript("window.notReloaded = true; window.noticeShown = false;"
            + "new MutationObserver(function () { if (!document.getElementById('status').hidden) { window.noticeShown = true; } })"
            + ".observe(document.getElementById('status'), { attributes: true });");

        Await.result(before.close());
        InProcessApp after = app.another();
        Config samePort = TestConfig.on(database).with("RESULT_PORT", String.valueOf(port)).config();
        Await.result(ResultService.deploy(after.vertx, samePort, after.management, 1));
        db.execute("INSERT INTO votes (id, vote) VALUES ('watcher-1', 'a')");

        Await.until("the page is live again: 1 vote", SOON, () -> text(browser, "total").equals("1 vote"));
        assertThat(browser.executeScript("return window.noticeShown;")).isEqualTo(false);
        assertThat(browser.executeScript("return window.notReloaded === true;")).isEqualTo(true);
      }
    }
  }

  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }
}
