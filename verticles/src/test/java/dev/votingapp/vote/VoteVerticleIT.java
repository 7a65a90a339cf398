package dev.votingapp.vote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.store.VoteMessage;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.store.VoteClock;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.Readiness;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vote service as a voter's browser sees it, deployed against a real Redis. */
@ExtendWith(VertxExtension.class)
class VoteVerticleIT {

  private static final String QUEUE = TestServers.uniqueKey("votes");
  private static final String ALLOWED_ORIGIN = "https://ballot.example.com";
  private static InProcessApp app;
  private static VoteService vote;
  private static RedisKeys queue;
  private Browser browser;

  @BeforeAll
  static void deploy(InProcessApp process, VertxTestContext test) {
    app = process;
    Config config = TestConfig.of(Map.of("REDIS_URL", TestServers.redisUrl(), "REDIS_QUEUE", QUEUE,
        "VOTE_ALLOWED_ORIGINS", ALLOWED_ORIGIN));
    queue = new RedisKeys(app.vertx, TestServers.redisUrl(), QUEUE);
    VoteService.deploy(app.vertx, config, app.management, 1).onComplete(test.succeeding(deployed -> {
      vote = deployed;
      test.completeNow();
    }));
  }

  @AfterAll
  static void undeploy() {
    queue.close();
  }

  @BeforeEach
  void newBrowser() {
    browser = new Browser(vote.port());
  }

  @Test
  void ballotShowsBothOptionsTheTipAndTheHost() {
    HttpResponse<String> page = browser.get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("<title>Cats vs Dogs!</title>", "<h1>Cats vs Dogs!</h1>")
        .contains("name=\"vote\" class=\"a\" value=\"a\">Cats</button>")
        .contains("name=\"vote\" class=\"b\" value=\"b\">Dogs</button>")
        .contains("(Tip: you can change your vote)")
        .contains("Processed by container ID test-host-1")
        .doesNotContain("disabled", "&#10004;");
  }

  @Test
  void pageLoadsNothingFromAnotherSite() {
    HttpResponse<String> page = browser.get("/");

    assertThat(page.body()).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'none'", "style-src 'self'"));
    HttpResponse<String> css = browser.get("/static/vote.css");
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
  }

  @Test
  void everyBrowserGetsALongLivedHttpOnlyVoterCookie() {
    HttpResponse<String> page = browser.get("/");

    String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    HttpCookie cookie = HttpCookie.parse(setCookie).get(0);
    assertThat(cookie.getName()).isEqualTo("voter_id");
    assertThat(cookie.getValue()).matches("[0-9a-f]{32}"); // 128 random bits
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getMaxAge()).isEqualTo(365L * 24 * 3600);
    assertThat(setCookie).containsIgnoringCase("SameSite=Lax").contains("Path=/");
    assertThat(new Browser(vote.port()).get("/").headers().firstValue("Set-Cookie").orElseThrow())
        .as("another browser gets another id").doesNotContain(cookie.getValue());
  }

  @Test
  void aVoteLandsInTheQueueInTheReferenceFormat() {
    long before = queue.length(QUEUE);
    long start = micros(Instant.now());

    HttpResponse<String> page = browser.postForm("/", "vote=a");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("class=\"a chosen\" value=\"a\" disabled>Cats <span class=\"check\"")
        .contains("class=\"b dimmed\" value=\"b\">Dogs</button>");
    List<JsonObject> messages = queue.messages(QUEUE);
    assertThat(messages).hasSize((int) before + 1);
    JsonObject queued = messages.get(messages.size() - 1);
    assertThat(queued.getString("voter_id")).isEqualTo(voterId());
    assertThat(queued.getString("vote")).isEqualTo("a");
    assertThat(queued.getLong("ts")).isBetween(start, micros(Instant.now()));
  }

  @Test
  void aChangedVoteKeepsTheVoterId() {
    browser.postForm("/", "vote=a");
    String firstId = voterId();
    HttpResponse<String> changed = browser.postForm("/", "vote=b");

    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).contains("class=\"b chosen\" value=\"b\" disabled>Dogs");
    assertThat(voterId()).isEqualTo(firstId);
    List<JsonObject> mine = queue.messages(QUEUE).stream()
        .filter(message -> message.getString("voter_id").equals(firstId)).toList();
    assertThat(mine).extracting(message -> message.getString("vote")).containsExactly("a", "b");
    assertThat(mine.get(1).getLong("ts")).isGreaterThan(mine.get(0).getLong("ts"));
  }

  @Test
  void aVoterIdFromTheReferenceAppIsKept() {
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(browser.url("/")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", "voter_id=4a7f9c2e1b3d5f60")
        .POST(HttpRequest.BodyPublishers.ofString("vote=b")));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).startsWith("voter_id=4a7f9c2e1b3d5f60;"));
    JsonObject last = queue.messages(QUEUE).get((int) queue.length(QUEUE) - 1);
    assertThat(last.getString("voter_id")).isEqualTo("4a7f9c2e1b3d5f60");
  }

  @Test
  void aForgedOversizedVoterIdIsReplacedNotQueued() {
    String forged = "x".repeat(300);
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(browser.url("/")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", "voter_id=" + forged)
        .POST(HttpRequest.BodyPublishers.ofString("vote=b")));

    assertThat(page.statusCode()).isEqualTo(200);
    JsonObject last = queue.messages(QUEUE).get((int) queue.length(QUEUE) - 1);
    assertThat(last.getString("voter_id")).matches("[0-9a-f]{32}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no vote field       | name=cats               | the form did not say which option",
      "empty vote          | vote=                   | the form did not say which option",
      "unknown option      | vote=zzz                | that option is not on this ballot",
      "option label        | vote=Cats               | that option is not on this ballot",
      "two votes           | vote=a&vote=b           | choose exactly one option",
  })
  void badInputGets400AndQueuesNothing(String name, String body, String explanation) {
    double rejectedBefore = rejectedTotal();
    long before = queue.length(QUEUE);

    HttpResponse<String> page = browser.postForm("/", body);

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("Your vote was not recorded", explanation).doesNotContain("disabled");
    assertThat(queue.length(QUEUE)).isEqualTo(before);
    assertThat(rejectedTotal()).isEqualTo(rejectedBefore + 1);
  }

  /**
   * Ballot stuffing through other people's browsers: a page of another site carries a form that posts
   * here, and each visitor's browser casts a vote. The browser says where the form was: Origin, or
   * Sec-Fetch-Site when it sends no Origin.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "a page of another site          | https://evil.example | cross-site",
      "another port of this host       | http://127.0.0.1:1   | same-site",
      "an opaque origin (sandboxed)    | null                 | cross-site",
      "no Origin, another site         | -                    | cross-site",
      "no Origin, a sibling subdomain  | -                    | same-site",
  })
  void aVoteSentFromAnotherSiteGets403AndQueuesNothing(String name, String origin, String fetchSite) {
    double refusedBefore = PrometheusText.value(metrics(), "votes_rejected_total{reason=\"cross_site\"}");
    long before = queue.length(QUEUE);

    HttpResponse<String> page = browser.send(fromPage(origin, fetchSite, "vote=a"));

    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("Your vote was not recorded: it was sent from a page of another site.")
        .doesNotContain("disabled");
    assertThat(page.headers().firstValue("Set-Cookie")).as("no voter id for another site's request").isEmpty();
    assertThat(queue.length(QUEUE)).isEqualTo(before);
    assertThat(PrometheusText.value(metrics(), "votes_rejected_total{reason=\"cross_site\"}")).isEqualTo(refusedBefore + 1);
  }

  /** The ballot's own page, an origin the operator allowed, and clients that are not browsers still vote. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "the ballot's own page               | SELF                       | same-origin",
      "an origin in VOTE_ALLOWED_ORIGINS   | https://Ballot.example.com | cross-site",
      "no Origin, typed by the user        | -                          | none",
      "curl, the load-test kit, the seed   | -                          | -",
  })
  void aVoteFromTheBallotItselfOrFromAClientThatIsNoBrowserCounts(String name, String origin, String fetchSite) {
    long before = queue.length(QUEUE);
    String sent = "SELF".equals(origin) ? "http://127.0.0.1:" + vote.port() : origin;

    HttpResponse<String> page = browser.send(fromPage(sent, fetchSite, "vote=b"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("class=\"b chosen\" value=\"b\" disabled>Dogs");
    assertThat(queue.length(QUEUE)).isEqualTo(before + 1);
  }

  @Test
  void aBodyOverTheLimitGets400AndQueuesNothing() {
    long before = queue.length(QUEUE);

    HttpResponse<String> page = browser.postForm("/", "vote=a&padding=" + "x".repeat(8 * 1024));

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("Your vote was not recorded: the request was too large.");
    assertThat(queue.length(QUEUE)).isEqualTo(before);
    assertThat(PrometheusText.value(metrics(), "votes_rejected_total{reason=\"body_too_large\"}")).isGreaterThanOrEqualTo(1);
  }

  /** Not the ballot's own encoding, but still a form: multipart (curl -F) and a chunked body count too. */
  @Test
  void aMultipartOrChunkedFormCountsToo() {
    long before = queue.length(QUEUE);
    String boundary = "----vote-boundary";
    HttpResponse<String> multipart = browser.send(HttpRequest.newBuilder(URI.create(browser.url("/")))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"vote\"\r\n\r\nb\r\n--"
            + boundary + "--\r\n")));
    HttpResponse<String> chunked = browser.send(HttpRequest.newBuilder(URI.create(browser.url("/")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString("vote=a"))));

    assertThat(multipart.statusCode()).isEqualTo(200);
    assertThat(multipart.body()).contains("class=\"b chosen\" value=\"b\" disabled>Dogs");
    assertThat(chunked.statusCode()).isEqualTo(200);
    assertThat(queue.messages(QUEUE).subList((int) before, (int) before + 2)).extracting(message -> message.getString("vote"))
        .containsExactly("b", "a");
  }

  @Test
  void aSemicolonDoesNotSplitAFormField() {
    HttpResponse<String> page = browser.postForm("/", "vote=a;vote=b");

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("that option is not on this ballot");
  }

  @Test
  void aJsonBodyIsNotAForm() {
    long before = queue.length(QUEUE);
    HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(browser.url("/")))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"vote\":\"a\"}")));

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(queue.length(QUEUE)).isEqualTo(before);
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() {
    assertThat(browser.get("/admin").statusCode()).isEqualTo(404);
    assertThat(browser.get("/static/nothing.js").statusCode()).isEqualTo(404);

    HttpResponse<String> put = browser.send(HttpRequest.newBuilder(URI.create(browser.url("/")))
        .PUT(HttpRequest.BodyPublishers.ofString("vote=a")));
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
    HttpResponse<String> delete = browser.send(HttpRequest.newBuilder(URI.create(browser.url("/"))).DELETE());
    assertThat(delete.statusCode()).isEqualTo(405);
  }

  @Test
  void healthAndReadinessAnswerOnTheManagementPortOnly() {
    HttpResponse<String> health = app.managementPort().get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");

    HttpResponse<String> ready = app.managementPort().get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(Readiness.checks(ready)).contains("redis", "accepting");
    assertThat(Readiness.down(ready)).isEmpty();

    for (String path : List.of("/metrics", "/ready", "/health")) {
      assertThat(browser.get(path).statusCode()).as(path + " on the public port").isEqualTo(404);
    }
  }

  /**
   * Every vote is timed by one clock, Redis's, in the same atomic step as the push: not by the clock of
   * the vote instance, which may run ahead or behind the other instances'.
   */
  @Test
  void aVoteIsTimedByTheQueuesClockNotTheInstances() {
    String ownQueue = TestServers.uniqueKey("clock");
    long later = micros(Instant.now()) + 6 * 60 * 1_000_000L;
    InProcessApp other = app.another();
    try (RedisKeys redis = new RedisKeys(other.vertx, TestServers.redisUrl(), ownQueue)) {
      Config config = TestConfig.of(Map.of("REDIS_URL", TestServers.redisUrl(), "REDIS_QUEUE", ownQueue));
      Browser voter = new Browser(Await.result(VoteService.deploy(other.vertx, config, other.management, 1)).port());
      // As if another vote instance, whose clock runs six minutes ahead of this one's, had just queued a vote.
      Await.result(redis.api().set(List.of(VoteClock.key(ownQueue), String.valueOf(later))));

      voter.postForm("/", "vote=a");
      voter.postForm("/", "vote=b");

      List<String> messages = redis.range(ownQueue);
      long first = new JsonObject(messages.get(0)).getLong("ts");
      long second = new JsonObject(messages.get(1)).getLong("ts");
      assertThat(first).isGreaterThan(later);
      assertThat(second).isGreaterThan(first);
    }
  }

  @Test
  void metricsShowHttpJvmAndVoteCountersMoving() {
    double acceptedB = PrometheusText.value(metrics(), "votes_accepted_total{option=\"b\"}");
    double unknown = PrometheusText.value(metrics(), "votes_rejected_total{reason=\"unknown_option\"}");

    browser.postForm("/", "vote=b");
    browser.postForm("/", "vote=b");
    browser.postForm("/", "vote=nope");

    String after = metrics();
    assertThat(PrometheusText.value(after, "votes_accepted_total{option=\"b\"}")).isEqualTo(acceptedB + 2);
    assertThat(PrometheusText.value(after, "votes_rejected_total{reason=\"unknown_option\"}")).isEqualTo(unknown + 1);
    assertThat(PrometheusText.value(after, "vertx_http_server_requests_total{code=\"200\",method=\"POST\",route=\"/\"}"))
        .isGreaterThanOrEqualTo(2);
    assertThat(PrometheusText.value(after, "vertx_http_server_requests_total{code=\"400\",method=\"POST\",route=\"/\"}"))
        .isGreaterThanOrEqualTo(1);
    // Buckets at the SLO's threshold (0.1 s), and every series says which application and service it is from.
    assertThat(PrometheusText.has(after, "vertx_http_server_response_time_seconds_bucket{application=\"voting-app\","
        + "code=\"200\",method=\"POST\",route=\"/\",service=\"all\",le=\"0.1\"}")).isTrue();
    assertThat(after).contains("jvm_memory_used_bytes", "process_cpu_usage")
        .doesNotContainPattern("(?m)^[a-z_]+(\\{(?![^}]*application=\"voting-app\")[^}]*\\})? ");
  }

  /** Label values come from bounded sets only: invented methods cannot grow /metrics (and the memory behind it). */
  @Test
  void inventedHttpMethodsDoNotGrowTheMetrics() {
    assertThat(browser.send(HttpRequest.newBuilder(URI.create(browser.url("/"))).method("M0", HttpRequest.BodyPublishers.noBody()))
        .statusCode()).isEqualTo(405);
    httpSeries(); // the first scrape adds the series of the management port's own GET /metrics
    Set<String> before = httpSeries();

    for (int i = 1; i <= 1_000; i++) {
      browser.send(HttpRequest.newBuilder(URI.create(browser.url("/"))).method("M" + i, HttpRequest.BodyPublishers.noBody()));
    }

    Set<String> added = new TreeSet<>(httpSeries());
    added.removeAll(before);
    assertThat(added).as("HTTP series added by 1,000 invented methods").isEmpty();
    assertThat(metrics()).contains("method=\"OTHER\"").doesNotContain("method=\"M1\"");
  }

  @Test
  void optionLabelsAreHtmlEscaped() {
    Config hostile = TestConfig.of(Map.of(
        "REDIS_URL", TestServers.redisUrl(), "REDIS_QUEUE", QUEUE,
        "OPTION_A", "<script>alert(1)</script>", "OPTION_B", "\"Dogs\" & co"));
    InProcessApp other = app.another();
    VoteService escaped = Await.result(VoteService.deploy(other.vertx, hostile, other.management, 1));
    String body = new Browser(escaped.port()).get("/").body();
    assertThat(body)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; vs &quot;Dogs&quot; &amp; co!")
        .doesNotContain("<script>");
  }

  /** A form POST as a browser sends it from a page: Origin and Sec-Fetch-Site, each when not null. */
  private HttpRequest.Builder fromPage(String origin, String fetchSite, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(browser.url("/")))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (origin != null) {
      request.header("Origin", origin);
    }
    if (fetchSite != null) {
      request.header("Sec-Fetch-Site", fetchSite);
    }
    return request;
  }

  /** The HTTP server's series of the vote port (name and labels, not values). */
  private Set<String> httpSeries() {
    return metrics().lines().filter(line -> line.startsWith("vertx_http_server_") && !line.contains("route=\"/metrics\""))
        .map(line -> line.substring(0, line.lastIndexOf(' '))).collect(Collectors.toCollection(TreeSet::new));
  }

  private String voterId() {
    return browser.cookies().getCookieStore().getCookies().stream()
        .filter(cookie -> cookie.getName().equals("voter_id")).findFirst().orElseThrow().getValue();
  }

  private double rejectedTotal() {
    String text = metrics();
    double total = 0;
    for (Rejection reason : Rejection.values()) {
      total += PrometheusText.value(text, "votes_rejected_total{reason=\"" + reason.metricTag() + "\"}");
    }
    return total;
  }

  private String metrics() {
    HttpResponse<String> metrics = app.managementPort().get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    return metrics.body();
  }

  private static long micros(Instant instant) {
    return VoteMessage.micros(instant);
  }
}
