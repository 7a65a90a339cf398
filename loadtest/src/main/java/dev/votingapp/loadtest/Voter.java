package dev.votingapp.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One voter, as a browser is one: its own connection (opened again if the server closes it) and its
 * own voter_id cookie. It loads the ballot, then votes once, or several times (a "repeater", choosing
 * afresh each time), or changes its mind (a "changer", another option each time), with think time
 * between votes. A POST that gets no 200 is sent again after a growing back-off, as a person would
 * press the button again. Every POST is written to the {@link Ledger} before it is sent and when its
 * 200 arrives: that is what the client was told. Runs on one event loop from start to end.
 */
final class Voter {

  private static final String FORM = "application/x-www-form-urlencoded";

  private final Run run;
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final HttpConnectOptions where;
  private final String id;
  private final int votes;
  private final boolean changer;
  private HttpClientConnection connection;
  /** The voter_id the last answer's Set-Cookie named. */
  private String told;
  private String option;
  private int vote;

  Voter(Run run, Vertx vertx, HttpClientAgent client, String host, int port, String id) {
    this.run = run;
    this.vertx = vertx;
    this.client = client;
    this.where = new HttpConnectOptions().setHost(host).setPort(port).setConnectTimeout(run.connectTimeoutMs);
    this.id = id;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    double kind = random.nextDouble();
    changer = kind < run.changers;
    boolean repeater = !changer && kind < run.changers + run.repeaters;
    votes = changer || repeater ? 2 + random.nextInt(Math.max(1, run.maxVotes - 1)) : 1;
  }

  void start() {
    if (run.stopping()) {
      finish();
      return;
    }
    if (run.ballot) {
      exchange(HttpMethod.GET, null).onComplete(done -> {
        if (done.failed() || done.result() != 200) {
          run.ballotFailures.increment();
        }
        nextVote();
      });
    } else {
      nextVote();
    }
  }

  private void nextVote() {
    if (vote == votes) {
      finish();
      return;
    }
    option = choose();
    attempt(0);
  }

  /** Try n of the current vote (n = 0 is the first send). */
  private void attempt(int n) {
    if (n > 0) {
      run.latencies.ko(System.currentTimeMillis());
    }
    run.ledger.attempt(id, option);
    long sent = System.nanoTime();
    exchange(HttpMethod.POST, "vote=" + option).onComplete(done -> {
      if (done.succeeded() && done.result() == 200) {
        acknowledged((System.nanoTime() - sent) / 1_000_000);
        afterVote();
      } else if (n < run.retries) {
        vertx.setTimer(backoff(n + 1), t -> attempt(n + 1));
      } else {
        // The last try got no 200: a failure; the voter goes on.
        run.latencies.ko(System.currentTimeMillis());
        afterVote();
      }
    });
  }

  private void afterVote() {
    vote++;
    if (vote < votes) {
      long think = run.thinkMinMs + ThreadLocalRandom.current().nextLong(run.thinkMaxMs - run.thinkMinMs + 1L);
      vertx.setTimer(Math.max(1, think), t -> nextVote());
    } else {
      finish();
    }
  }

  /** The vote service answered 200: what the client was told, and the watchers' promise for it. */
  private void acknowledged(long millis) {
    String voter = told == null ? id : told;
    if (!voter.equals(id)) {
      run.ledger.renamed(id, voter, option);
    }
    boolean first = run.ledger.voter(voter).ackedOption() == null;
    if (run.ledger.acked(voter, option)) {
      run.deliveries.acked(first);
    }
    run.latencies.ok(System.currentTimeMillis(), millis);
  }

  /**
   * One request on the voter's connection (opened first if it has none); the status, or a failure. The
   * body is read to its end and dropped: the kit needs the status and the cookie, not the page.
   */
  private Future<Integer> exchange(HttpMethod method, String body) {
    return connection().compose(conn -> {
      RequestOptions request = new RequestOptions().setMethod(method).setURI("/")
          .setIdleTimeout(run.requestTimeoutMs)
          .putHeader(HttpHeaders.ACCEPT, "text/html,application/xhtml+xml")
          .putHeader(HttpHeaders.USER_AGENT, "voting-app-loadtest")
          .putHeader(HttpHeaders.COOKIE, "voter_id=" + id);
      if (body != null) {
        request.putHeader(HttpHeaders.CONTENT_TYPE, FORM);
      }
      return conn.request(request).compose(req -> (body == null ? req.send() : req.send(body))
          .compose(response -> response.end().map(ignored -> status(response))));
    }).onFailure(failed -> {
      run.health.requestError(failed);
      dropConnection();
    });
  }

  private int status(HttpClientResponse response) {
    told = null;
    for (String cookie : response.cookies()) {
      if (cookie.startsWith("voter_id=")) {
        int end = cookie.indexOf(';');
        told = cookie.substring("voter_id=".length(), end < 0 ? cookie.length() : end);
      }
    }
    return response.statusCode();
  }

  private Future<HttpClientConnection> connection() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    return client.connect(where).onSuccess(opened -> {
      connection = opened;
      opened.closeHandler(closed -> {
        if (connection == opened) {
          connection = null;
        }
      });
    }).onFailure(run.health::connectError);
  }

  private void dropConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  private void finish() {
    dropConnection();
    run.activeVoters.decrementAndGet();
  }

  /**
   * Before try n (n >= 1): retry.backoff.ms doubled each time up to 16 times it, half of it at random,
   * as people (and result.js) wait longer after each failure; a fixed delay would turn a hiccup of
   * the app into a storm of retries that keeps it down.
   */
  private long backoff(int n) {
    long full = (long) run.retryBackoffMs << Math.min(4, n - 1);
    return Math.max(1, full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
  }

  /** The first option with probability "bias", the others evenly; a changer never repeats itself. */
  private String choose() {
    List<String> options = run.options;
    String previous = option;
    String chosen;
    do {
      chosen = pick(options);
    } while (changer && previous != null && options.size() > 1 && chosen.equals(previous));
    return chosen;
  }

  private String pick(List<String> options) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (options.size() == 1 || random.nextDouble() < run.bias) {
      return options.get(0);
    }
    return options.get(1 + random.nextInt(options.size() - 1));
  }
}
