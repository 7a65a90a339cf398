package dev.votingapp.loadtest;

import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGenerator;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What every scenario shares: read the settings and the tally before the run, drive the voters (open
 * model) while watchers follow the results page, then drain the queue, check the count and write the
 * summary. A scenario gives its defaults and, if it needs to, its own injection profile and hooks.
 */
abstract class VotingSimulation extends Simulation {

  static final String CORRECTNESS = "correctness";
  static final String WATCHERS = "watchers";

  protected final Run run;
  private final Store store;
  private final Sampler sampler;
  private final Watchers watchers;
  private Tally pgBaseline;
  private long startedMillis;
  private long arrivalsOverMillis;
  private volatile CompletableFuture<Void> checking;
  private volatile Summary summary;

  VotingSimulation(String scenario, Map<String, String> defaults) {
    run = new Run(scenario, defaults);
    try {
      run.preflight();
      store = Store.from(run.config);
    } catch (IOException | InterruptedException failed) {
      throw new IllegalStateException(scenario + ": " + failed.getMessage(), failed);
    }
    sampler = new Sampler(run.metricsUrls, run.workerMetricsUrls);
    watchers = new Watchers(run.resultUrl, run.watcherCount);
    setUp(new Voters(run).build().injectOpen(injection()), checker().injectOpen(atOnceUsers(1)))
        .protocols(http.baseUrl(run.voteUrl)
            .acceptHeader("text/html,application/xhtml+xml")
            .userAgentHeader("voting-app-loadtest (Gatling)")
            .disableFollowRedirect())
        .assertions(assertions())
        .maxDuration(Duration.ofSeconds(maxSeconds()));
  }

  /** A constant arrival rate of voters (Poisson or evenly spaced), after an optional linear ramp from 1/s. */
  protected OpenInjectionStep[] injection() {
    List<OpenInjectionStep> steps = new ArrayList<>();
    if (run.rampupSeconds > 0) {
      steps.add(rampUsersPerSec(1).to(run.rate).during(run.rampupSeconds));
    }
    OpenInjectionStep.ConstantRate.ConstantRateOpenInjectionStep constant =
        constantUsersPerSec(run.rate).during(run.durationSeconds);
    steps.add(run.poisson ? constant.randomized() : constant);
    return steps.toArray(OpenInjectionStep[]::new);
  }

  /** How long the injection profile lasts. */
  protected long injectionSeconds() {
    return run.rampupSeconds + run.durationSeconds;
  }

  /** A safety net only: the injection, the last voters, the drain and the check. */
  protected long maxSeconds() {
    return injectionSeconds() + 120L + (long) run.maxVotes * (run.thinkMaxMs / 1000 + 1) * (run.retries + 1)
        + run.config.integer("drain.timeout", 1, 86_400) + Check.SETTLE_MILLIS / 1000 + 60;
  }

  /** Gatling's own assertions, in its report and its exit code, for the thresholds that are enforced. */
  private List<Assertion> assertions() {
    List<Assertion> assertions = new ArrayList<>();
    assertions.add(details(CORRECTNESS).failedRequests().count().is(0L));
    if (run.enforceWatchGap) {
      assertions.add(details(WATCHERS).failedRequests().count().is(0L));
    }
    if (run.enforceLatency) {
      assertions.add(details(Voters.VOTE_REQUEST).responseTime().percentile(99.0).lt((int) Math.ceil(run.sloP99Ms)));
    }
    if (run.enforceErrors) {
      // Per request, not global(): a KO of "correctness" must not count as a failed vote.
      assertions.add(details(Voters.VOTE_REQUEST).failedRequests().percent().lt(run.sloFailedPercent));
      assertions.add(details(Voters.BALLOT_REQUEST).failedRequests().percent().lt(run.sloFailedPercent));
    }
    return assertions;
  }

  /** Called when the load starts; the chaos and ramp scenarios start their own threads here. */
  protected void onStart() {
  }

  /** Called with the summary before it is written; the ramp adds its knee. */
  protected void onEnd(Summary summary) {
  }

  @Override
  public void before() {
    try {
      pgBaseline = store == null ? null : Tally.empty(run.options).plus(store.counts());
    } catch (IOException unreadable) {
      throw new IllegalStateException("cannot read PostgreSQL (" + store.where() + "): " + unreadable.getMessage(), unreadable);
    }
    watchers.start();
    sampler.start();
    startedMillis = System.currentTimeMillis();
    run.injectionEndMillis = startedMillis + 1000L * injectionSeconds() + 1000;
    System.out.printf("[loadtest] %s: voters with ids %s* against %s (results %s), drain via %s, PostgreSQL %s%n",
        run.scenario, run.prefix, run.voteUrl, run.resultUrl, new Drain(run.config, run.workerMetricsUrls).how(),
        store == null ? "not checked" : store.where());
    onStart();
  }

  /**
   * One user that waits for the voters to finish, then runs the check off Gatling's threads and reports
   * its verdict as the requests "correctness" and "watchers" (KO with the first problem as the error):
   * so a wrong count shows in Gatling's report and fails its assertions, and the report is still written.
   */
  private ScenarioBuilder checker() {
    return scenario("check").exec(
        asLongAs(session -> !loadOver()).on(pause(Duration.ofMillis(500))),
        exec(session -> {
          checking = CompletableFuture.runAsync(this::check);
          return session;
        }),
        asLongAs(session -> !checking.isDone()).on(pause(Duration.ofMillis(500))),
        verdict(CORRECTNESS, Summary::correctness),
        verdict(WATCHERS, Summary::watching),
        doIf(session -> run.stopping()).then(stopLoadGenerator("the ramp passed its knee; the check is done")));
  }

  /**
   * One request whose check carries one part of the verdict: KO with the reason as its error. It reads
   * /api/results once more, which also shows in the report how the result service answers at the end.
   */
  private ChainBuilder verdict(String name, Function<Summary, String> part) {
    return exec(http(name).get(run.resultUrl + "/api/results")
        .check(bodyString().transform(body -> summary == null ? "FAIL: the check did not finish" : part.apply(summary))
            .validate("verdict", (verdict, session) -> {
              if (!"PASS".equals(verdict)) {
                throw new IllegalStateException(verdict);
              }
              return verdict;
            })));
  }

  /** Every voter that arrived has finished (or, as a safety net, two minutes have passed since arrivals ended). */
  private boolean loadOver() {
    if (!run.arrivalsOver()) {
      return false;
    }
    if (arrivalsOverMillis == 0) {
      arrivalsOverMillis = System.currentTimeMillis();
    }
    return run.activeVoters.get() <= 0 || System.currentTimeMillis() - arrivalsOverMillis > 120_000;
  }

  private void check() {
    long loadEnded = System.currentTimeMillis();
    Summary result = new Summary(run, startedMillis, loadEnded);
    try {
      if (run.activeVoters.get() > 0) {
        result.problem(run.activeVoters.get() + " voters had not finished two minutes after the arrivals ended");
      }
      new Check(run, store, pgBaseline, new Drain(run.config, run.workerMetricsUrls), watchers).run(result);
      result.app(sampler.stretch(startedMillis, loadEnded));
      onEnd(result);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      result.problem("interrupted while checking");
    } catch (RuntimeException failed) {
      result.problem("the check failed: " + failed);
    } finally {
      result.write();
      summary = result;
    }
  }

  @Override
  public void after() {
    watchers.close();
    sampler.close();
    if (summary == null) {
      System.out.println("[loadtest] " + run.scenario + ": the check did not run (the load was stopped or crashed)");
    } else {
      System.out.println("[loadtest] " + run.scenario + " verdict: " + (summary.passed() ? "PASS" : "FAIL") + ", summary " + summary.path());
    }
  }

  Sampler sampler() {
    return sampler;
  }
}
