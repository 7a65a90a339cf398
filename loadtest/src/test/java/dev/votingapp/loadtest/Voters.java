package dev.votingapp.loadtest;

import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.exitHereIf;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.tryMax;
import static io.gatling.javaapi.http.HttpDsl.Cookie;
import static io.gatling.javaapi.http.HttpDsl.addCookie;
import static io.gatling.javaapi.http.HttpDsl.headerRegex;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One virtual user is one voter with its own voter_id cookie: it loads the ballot, then votes once, or
 * several times (a "repeater", choosing afresh each time), or changes its mind (a "changer", another
 * option each time), with think time between votes. A POST that gets no 200 is sent again after a
 * growing back-off, as a person would press the button again. Every POST is written to the {@link Ledger}
 * before it is sent and when its 200 arrives: that is what the client was told.
 */
final class Voters {

  static final String VOTE_REQUEST = "vote";
  static final String BALLOT_REQUEST = "ballot";

  private final Run run;
  private final AtomicLong sequence = new AtomicLong();

  Voters(Run run) {
    this.run = run;
  }

  ScenarioBuilder build() {
    String host = URI.create(run.voteUrl).getHost();
    return scenario("voters").exec(
        exitHereIf(session -> run.stopping()),
        exec(this::plan),
        exec(addCookie(Cookie("voter_id", "#{voter}").withDomain(host).withPath("/"))),
        doIf(session -> run.ballot).then(
            exec(http(BALLOT_REQUEST).get("/").check(status().is(200)))),
        repeat("#{votes}", "n").on(
            exec(this::choose),
            tryMax(run.retries + 1, "try").on(vote()),
            exec(this::settled),
            doIf(session -> session.getInt("n") + 1 < session.getInt("votes")).then(
                pause(Duration.ofMillis(run.thinkMinMs), Duration.ofMillis(run.thinkMaxMs)))),
        exec(session -> {
          run.activeVoters.decrementAndGet();
          return session;
        }));
  }

  private ChainBuilder vote() {
    return exec(
        doIf(session -> session.getInt("try") > 0).then(pause(this::backoff)),
        exec(session -> {
          if (session.getInt("try") > 0) {
            run.latencies.ko(System.currentTimeMillis());
          }
          run.ledger.attempt(session.getString("voter"), session.getString("option"));
          return session;
        }),
        exec(http(VOTE_REQUEST).post("/").formParam("vote", "#{option}")
            .check(status().is(200),
                responseTimeInMillis().saveAs("ms"),
                headerRegex("Set-Cookie", "voter_id=([^;]+)").optional().saveAs("told"))),
        exec(this::acknowledged));
  }

  /**
   * Before try n (n >= 1): retry.backoff.ms doubled each time up to 16 times it, half of it at random,
   * as people (and result.js) wait longer after each failure; a fixed delay would turn a hiccup of
   * the app into a storm of retries that keeps it down.
   */
  private Duration backoff(Session session) {
    long full = (long) run.retryBackoffMs << Math.min(4, session.getInt("try") - 1);
    return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
  }

  /** Who this voter is and how it behaves: its id, how many votes, whether it changes its mind. */
  private Session plan(Session session) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    run.firstArrival();
    run.activeVoters.incrementAndGet();
    double kind = random.nextDouble();
    int votes = 1;
    String style = "once";
    if (kind < run.changers) {
      style = "changer";
      votes = 2 + random.nextInt(Math.max(1, run.maxVotes - 1));
    } else if (kind < run.changers + run.repeaters) {
      style = "repeater";
      votes = 2 + random.nextInt(Math.max(1, run.maxVotes - 1));
    }
    return session.set("voter", run.prefix + Long.toString(sequence.incrementAndGet(), 36))
        .set("votes", votes)
        .set("style", style);
  }

  /** The choice: the first option with probability "bias", the others evenly; a changer never repeats itself. */
  private Session choose(Session session) {
    List<String> options = run.options;
    String previous = session.contains("option") ? session.getString("option") : null;
    String option;
    if ("changer".equals(session.getString("style")) && previous != null && options.size() > 1) {
      do {
        option = pick(options);
      } while (option.equals(previous));
    } else {
      option = pick(options);
    }
    return session.set("option", option).set("acked", false);
  }

  /** After the last try: a vote that never got its 200 counts as a failure; the voter goes on. */
  private Session settled(Session session) {
    if (!session.getBoolean("acked")) {
      run.latencies.ko(System.currentTimeMillis());
    }
    return session.markAsSucceeded();
  }

  private String pick(List<String> options) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (options.size() == 1 || random.nextDouble() < run.bias) {
      return options.get(0);
    }
    return options.get(1 + random.nextInt(options.size() - 1));
  }

  /** Reached only when the POST got its 200 (a failed check ends the tryMax round before this). */
  private Session acknowledged(Session session) {
    String sent = session.getString("voter");
    String told = session.contains("told") ? session.getString("told") : sent;
    String option = session.getString("option");
    long now = System.currentTimeMillis();
    if (!sent.equals(told)) {
      run.ledger.renamed(sent, told, option);
    }
    if (run.ledger.acked(told, option)) {
      run.changes.add(now);
    }
    run.latencies.ok(now, session.getLong("ms"));
    return session.remove("told").set("acked", true);
  }
}
