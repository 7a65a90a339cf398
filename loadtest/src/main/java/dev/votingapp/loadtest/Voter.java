package dev.votingapp.loadtest;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One voter, as a browser is one: its own connection (opened again if the server closes it) and its
 * own voter_id cookie. It loads the ballot, then votes once, or several times (a "repeater", choosing
 * afresh each time), or changes its mind (a "changer", another option each time), with think time
 * between votes. A POST that gets no 200 is sent again after a growing back-off, as a person would
 * press the button again. Every POST is written to the {@link Ledger} before it is sent and when its
 * 200 arrives: that is what the client was told. Runs on its connection's event loop from start to end.
 */
final class Voter {

  private final Run run;
  private final VoterConnection connection;
  private final String id;
  /** What follows the method in every request of this voter: the path, the version and the headers, its cookie included. */
  private final String head;
  private final int votes;
  private final boolean changer;
  /** The voter_id the last answer's Set-Cookie named. */
  private String told;
  private String option;
  private int vote;

  Voter(Run run, VoterConnection connection, String id) {
    this.run = run;
    this.connection = connection;
    this.id = id;
    this.head = " / HTTP/1.1\r\nHost: " + connection.hostHeader() + "\r\nAccept: text/html,application/xhtml+xml\r\n"
        + "User-Agent: voting-app-loadtest\r\nCookie: voter_id=" + id + "\r\n";
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
      exchange(null, status -> {
        if (status != 200) {
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
    exchange("vote=" + option, status -> {
      if (status == 200) {
        acknowledged((System.nanoTime() - sent) / 1_000_000);
        afterVote();
      } else if (n < run.retries) {
        connection.loop().schedule(() -> attempt(n + 1), backoff(n + 1), TimeUnit.MILLISECONDS);
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
      connection.loop().schedule(this::nextVote, Math.max(1, think), TimeUnit.MILLISECONDS);
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
   * One request on the voter's connection: its status, or -1 when it failed (no answer, a cut
   * connection). The body is read to its end and dropped: the kit needs the status and the cookie.
   */
  private void exchange(String form, IntConsumer then) {
    String request = form == null
        ? "GET" + head + "\r\n"
        : "POST" + head + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form;
    connection.exchange(request, new VoterConnection.Answer() {
      @Override
      public void answered(int status, String voterCookie) {
        told = voterCookie;
        then.accept(status);
      }

      @Override
      public void failed(Throwable cause) {
        told = null;
        run.health.requestError(cause);
        then.accept(-1);
      }
    }, run.health::connectError);
  }

  private void finish() {
    connection.close();
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
