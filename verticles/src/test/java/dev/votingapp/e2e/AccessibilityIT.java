package dev.votingapp.e2e;

import static dev.votingapp.testing.Await.SOON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Axe;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.HeadlessChromium;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.result.ResultService;
import dev.votingapp.vote.VoteService;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Both pages, in Chromium, checked by axe-core (WCAG 2.0/2.1 A and AA, plus best practices) at a
 * desktop and a phone width, in every state a voter or a watcher can see: zero violations. Screenshots
 * go to target/screenshots, or to SCREENSHOTS_DIR (the README's pictures come from
 * {@code SCREENSHOTS_DIR=$PWD/docs/screenshots}).
 */
@ExtendWith(VertxExtension.class)
class AccessibilityIT {

  private static final Map<String, Dimension> WIDTHS = Axe.WIDTHS;

  @Test
  void theBallotHasNoViolationsBeforeAfterAndAfterARejectedVote(InProcessApp app) throws Exception {
    String queue = TestServers.uniqueKey("a11y");
    Config config = TestConfig.queue(TestServers.redisUrl(), queue).config();
    try (RedisKeys keys = new RedisKeys(app.vertx, TestServers.redisUrl(), queue);
         HeadlessChromium chromium = new HeadlessChromium()) {
      VoteService vote = Await.result(VoteService.deploy(app.vertx, config, app.management, 1));
      ChromeDriver browser = chromium.driver();
      String ballot = "http://127.0.0.1:" + vote.port() + "/";
      for (Map.Entry<String, Dimension> width : WIDTHS.entrySet()) {
        browser.manage().deleteAllCookies();
        browser.manage().window().setSize(width.getValue());
        browser.get(ballot);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Cats vs Dogs!");
        Axe.assertNoViolations(browser, "ballot before a vote, " + width.getKey());

        browser.findElement(By.id("b")).click();
        Await.until("the ballot marks the vote", SOON, () -> !enabled(browser, "b"));
        Axe.assertNoViolations(browser, "ballot after a vote, " + width.getKey());
        chromium.screenshot("ballot-" + width.getKey() + ".png");

        // A vote the form cannot send: the same page, with the notice saying why.
        browser.executeScript("var form = document.getElementById('choice');"
            + "var input = document.createElement('input'); input.type = 'hidden'; input.name = 'vote'; input.value = 'z';"
            + "form.appendChild(input); form.querySelectorAll('button').forEach(function (b) { b.remove(); }); form.submit();");
        Await.until("the notice shows", SOON, () -> !browser.findElements(By.className("notice")).isEmpty());
        Axe.assertNoViolations(browser, "ballot after a rejected vote, " + width.getKey());
      }
    }
  }

  @Test
  void theResultsPageHasNoViolationsWithNoVotesManyVotesAndDisconnected(InProcessApp app) throws Exception {
    try (Db db = Db.onNewDatabase(app.vertx).migrate(); HeadlessChromium chromium = new HeadlessChromium()) {
      ChromeDriver browser = chromium.driver();
      InProcessApp server = app.another();
      try {
        int port = Await.result(ResultService.deploy(server.vertx, TestConfig.on(db.config()).config(), server.management, 1)).port();
        Await.until("result service ready", SOON, server::ready);
        String results = "http://127.0.0.1:" + port + "/";
        for (Map.Entry<String, Dimension> width : WIDTHS.entrySet()) {
          browser.manage().window().setSize(width.getValue());
          browser.get(results);
          Await.until("results page live", SOON, () -> text(browser, "total").equals("No votes yet"));
          Axe.assertNoViolations(browser, "results with no votes, " + width.getKey());
        }

        db.execute("INSERT INTO votes (id, vote) SELECT 'a' || n, 'a' FROM generate_series(1, 1234) n");
        db.execute("INSERT INTO votes (id, vote) SELECT 'b' || n, 'b' FROM generate_series(1, 987) n");
        for (Map.Entry<String, Dimension> width : WIDTHS.entrySet()) {
          browser.manage().window().setSize(width.getValue());
          browser.get(results);
          Await.until("many votes shown", SOON, () -> text(browser, "total").equals("2221 votes"));
          Axe.assertNoViolations(browser, "results with many votes, " + width.getKey());
          chromium.screenshot("results-" + width.getKey() + ".png");
        }
      } finally {
        Await.result(server.close());
      }
      // The result service is gone: after a few seconds the page says it is not live.
      Await.until("the disconnected notice shows", SOON, () -> browser.findElement(By.id("status")).isDisplayed());
      for (Map.Entry<String, Dimension> width : WIDTHS.entrySet()) {
        browser.manage().window().setSize(width.getValue());
        Axe.assertNoViolations(browser, "results disconnected, " + width.getKey());
      }
    }
  }

  /**
   * Votes arriving several times a second change the figures at once, but a screen reader hears the
   * tally at most every 5 s (the polite live region), and the last announcement is the final tally.
   */
  @Test
  void screenReadersHearTheTallyPolitelyAtMostEveryFewSeconds(InProcessApp app) throws Exception {
    try (Db db = Db.onNewDatabase(app.vertx).migrate(); HeadlessChromium chromium = new HeadlessChromium()) {
      int port = Await.result(ResultService.deploy(app.vertx, TestConfig.on(db.config()).config(), app.management, 1)).port();
      Await.until("result service ready", SOON, app::ready);
      ChromeDriver browser = chromium.driver();
      browser.get("http://127.0.0.1:" + port + "/");
      Await.until("results page live", SOON, () -> text(browser, "total").equals("No votes yet"));
      assertThat(browser.findElement(By.id("live-summary")).getAttribute("aria-live")).isEqualTo("polite");
      browser.executeScript("window.announced = []; window.shown = 0;"
          + "new MutationObserver(function () { window.announced.push(Date.now()); })"
          + ".observe(document.getElementById('live-summary'), { childList: true, characterData: true, subtree: true });"
          + "new MutationObserver(function () { window.shown++; })"
          + ".observe(document.getElementById('total'), { childList: true, characterData: true, subtree: true });");

      for (int vote = 1; vote <= 20; vote++) {
        db.execute("INSERT INTO votes (id, vote) VALUES ($1, $2)", "reader-" + vote, vote % 4 == 0 ? "a" : "b");
        int expected = vote;
        Await.until("vote " + vote + " shown", SOON, () -> text(browser, "total").equals(expected == 1 ? "1 vote" : expected + " votes"));
      }
      Await.until("the final tally is announced", SOON,
          () -> "Cats 25.0%, Dogs 75.0%, 20 votes".equals(browser.findElement(By.id("live-summary")).getAttribute("textContent")));

      assertThat(((Number) browser.executeScript("return window.shown;")).intValue()).as("figures updated at once").isGreaterThanOrEqualTo(20);
      @SuppressWarnings("unchecked")
      List<Number> announced = (List<Number>) browser.executeScript("return window.announced;");
      assertThat(announced).as("announcements").isNotEmpty().hasSizeLessThan(20);
      for (int i = 1; i < announced.size(); i++) {
        assertThat(announced.get(i).longValue() - announced.get(i - 1).longValue())
            .as("time between announcements " + i + " and " + (i + 1)).isGreaterThanOrEqualTo(4_900L);
      }
    }
  }

  private static boolean enabled(ChromeDriver browser, String id) {
    try {
      return browser.findElement(By.id(id)).isEnabled();
    } catch (StaleElementReferenceException | NoSuchElementException pageBeingReplaced) {
      return true;
    }
  }

  private static String text(ChromeDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }
}
