package dev.votingapp.e2e;

import static dev.votingapp.testing.Await.LATER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.result.ResultService;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Axe;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.HeadlessChromium;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TableLock;
import dev.votingapp.testing.TcpProxy;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a watcher sees when the results fall behind, in a real browser, with vote, worker and result
 * running: PostgreSQL cut (through a TCP proxy) while a vote is acknowledged, then restored; later,
 * votes stuck behind a locked table. The page says so in words, with the time of the figures it shows,
 * returns to normal by itself, and passes axe-core in every state.
 */
@ExtendWith(VertxExtension.class)
class StaleResultsInABrowserIT {

  private static final Pattern DELAYED = Pattern.compile("Updated (\\d\\d:\\d\\d:\\d\\d), delayed: (.+)");
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Test
  void thePageSaysWhenItsFiguresAreBehindWithTheirTimeThenReturnsToNormal(InProcessApp app) throws Exception {
    String queue = TestServers.uniqueKey("stale-e2e");
    PgConfig database = TestServers.newDatabase();
    try (Db db = new Db(app.vertx, database);
         RedisKeys redis = new RedisKeys(app.vertx, TestServers.redisUrl(), queue);
         TcpProxy postgres = new TcpProxy(app.vertx, database.host(), database.port());
         HeadlessChromium chromium = new HeadlessChromium()) {
      db.migrate();
      Config config = TestConfig.on(database).with("PGHOST", "127.0.0.1").with("PGPORT", String.valueOf(postgres.port()))
          .queueOn(TestServers.redisUrl(), queue).with("WORKER_ID", "stale-e2e")
          .with("RESULT_POLL_MS", "250").with("RESULT_STALE_AFTER_MS", "1500").config();
      VoteService vote = Await.result(VoteService.deploy(app.vertx, config, app.management, 1));
      Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));
      ResultService result = Await.result(ResultService.deploy(app.vertx, config, app.management, 1));
      Await.until("every role ready", LATER, app::ready);
      Browser api = new Browser(result.port());

      ChromeDriver browser = chromium.driver();
      browser.get("http://127.0.0.1:" + result.port() + "/");
      Await.until("results page live", LATER, () -> text(browser, "total").equals("No votes yet"));
      castVote(vote, "a");
      Await.until("1 vote on the page", LATER, () -> text(browser, "total").equals("1 vote"));
      assertThat(notice(browser)).as("no notice while current").isEmpty();
      ZoneId browserZone = ZoneId.of((String) browser.executeScript("return Intl.DateTimeFormat().resolvedOptions().timeZone;"));

      // PostgreSQL goes away; a second vote is acknowledged all the same.
      postgres.cut();
      castVote(vote, "b");

      Await.until("the page says it is delayed", LATER, () -> DELAYED.matcher(notice(browser)).matches());
      Matcher cut = DELAYED.matcher(notice(browser));
      assertThat(cut.matches()).isTrue();
      assertThat(cut.group(2)).isEqualTo("the results cannot be refreshed at the moment");
      Instant asOf = Instant.parse(new JsonObject(api.get("/api/results").body()).getString("asOf"));
      assertThat(cut.group(1)).as("the time of the figures shown, in the browser's time zone")
          .isEqualTo(CLOCK.format(asOf.atZone(browserZone)));
      assertThat(text(browser, "total")).as("the last figures, still shown").isEqualTo("1 vote");
      Await.until("screen readers hear it", LATER, () -> liveSummary(browser).equals(
          "Cats 100.0%, Dogs 0.0%, 1 vote. " + notice(browser)));
      checkEveryWidth(chromium, browser, "results delayed, PostgreSQL cut", "results-delayed");

      postgres.restore();

      Await.until("back to normal: 2 votes, no notice", LATER,
          () -> text(browser, "total").equals("2 votes") && notice(browser).isEmpty());
      Await.until("screen readers hear the tally alone", LATER,
          () -> liveSummary(browser).equals("Cats 50.0%, Dogs 50.0%, 2 votes"));
      assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).doesNotContain("delayed");

      // PostgreSQL answers, but the votes table is locked: the worker reports the vote it cannot write.
      try (TableLock lock = new TableLock(db)) {
        Instant lockedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        castVote(vote, "b");

        Await.until("the page says a vote is still being counted", LATER,
            () -> DELAYED.matcher(notice(browser)).matches() && notice(browser).endsWith("1 vote still being counted"));
        Matcher waiting = DELAYED.matcher(notice(browser));
        assertThat(waiting.matches()).isTrue();
        String shown = waiting.group(1);
        assertThat(shown).as("a time after the lock")
            .isBetween(CLOCK.format(lockedAt.atZone(browserZone)), CLOCK.format(Instant.now().atZone(browserZone)));
        assertThat(text(browser, "total")).isEqualTo("2 votes");
        checkEveryWidth(chromium, browser, "results delayed, votes waiting", "results-waiting");
      }

      Await.until("back to normal: 3 votes, no notice", LATER,
          () -> text(browser, "total").equals("3 votes") && notice(browser).isEmpty());
    }
  }

  /** axe-core at both widths, and a screenshot of each. */
  private static void checkEveryWidth(HeadlessChromium chromium, ChromeDriver browser, String state, String picture)
      throws Exception {
    for (Map.Entry<String, Dimension> width : Axe.WIDTHS.entrySet()) {
      browser.manage().window().setSize(width.getValue());
      Axe.assertNoViolations(browser, state + ", " + width.getKey());
      chromium.screenshot(picture + "-" + width.getKey() + ".png");
    }
  }

  /** A new voter (no cookie) votes; the vote service acknowledges it. */
  private static void castVote(VoteService vote, String option) {
    assertThat(new Browser(vote.port()).postForm("/", "vote=" + option).statusCode()).isEqualTo(200);
  }

  /** The delay notice as shown, or "" when there is none or it is hidden. */
  private static String notice(ChromeDriver browser) {
    List<WebElement> found = browser.findElements(By.id("freshness"));
    return found.isEmpty() || !found.get(0).isDisplayed() ? "" : found.get(0).getText();
  }

  private static String liveSummary(ChromeDriver browser) {
    return browser.findElement(By.id("live-summary")).getAttribute("textContent");
  }

  private static String text(ChromeDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }
}
