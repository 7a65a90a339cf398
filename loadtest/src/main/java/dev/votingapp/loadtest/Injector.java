package dev.votingapp.loadtest;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: voters arrive on a schedule (Poisson or evenly spaced) whatever the app's speed. One
 * thread keeps the schedule and hands each arrival to an event loop, where the {@link Voter} runs; the
 * lag between an arrival's scheduled time and its voter's first step is recorded, so a kit that falls
 * behind its own schedule says so instead of passing its delay off as the app's.
 */
final class Injector {

  /** A stretch of the schedule: a rate (voters/s of the whole run, over all injectors) going linearly from one value to another. */
  record Phase(long millis, double fromRate, double toRate) {
    double rateAt(long offsetMillis) {
      return millis <= 0 ? toRate : fromRate + (toRate - fromRate) * Math.min(1.0, (double) offsetMillis / millis);
    }
  }

  private final Run run;
  private final List<Context> contexts;
  private final VoterConnection.Target target;
  private final AtomicLong sequence = new AtomicLong();
  /** Arrivals handed to an event loop. */
  final AtomicLong arrivals = new AtomicLong();
  /** Arrivals not started because kit.max.voters were still open: the kit's limit, reported as such. */
  final AtomicLong dropped = new AtomicLong();
  private volatile long startedMillis;

  Injector(Run run, Vertx vertx, List<Context> contexts) {
    this.run = run;
    this.contexts = contexts;
    // The channel type of Vert.x's own transport (epoll where it loads), so voters' connections live on its event loops.
    target = new VoterConnection.Target(URI.create(run.voteUrl), ((VertxInternal) vertx).transport().channelFactory(false),
        run.connectTimeoutMs, run.requestTimeoutMs);
  }

  /** When the schedule started (epoch ms); 0 before. */
  long startedMillis() {
    return startedMillis;
  }

  /** Keeps the schedule on the calling thread until its phases end or the run stops. */
  void run(List<Phase> phases) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long t0 = System.nanoTime();
    startedMillis = System.currentTimeMillis();
    run.firstArrival();
    long phaseStart = 0;
    double at = 0; // seconds since t0 of the next arrival
    int next = 0;
    for (Phase phase : phases) {
      double phaseEnd = (phaseStart + phase.millis()) / 1000.0;
      while (!run.stopping()) {
        double rate = run.share(phase.rateAt((long) (at * 1000) - phaseStart));
        if (rate <= 0) {
          at = phaseEnd;
          break;
        }
        double gap = run.poisson ? -Math.log(1 - random.nextDouble()) / rate : 1 / rate;
        if (at + gap >= phaseEnd) {
          // The next phase draws its own gap from its start (memoryless for Poisson arrivals).
          at = phaseEnd;
          break;
        }
        at += gap;
        long due = t0 + (long) (at * 1e9);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        dispatch(due, contexts.get(next++ % contexts.size()));
      }
      phaseStart += phase.millis();
      if (run.stopping()) {
        return;
      }
    }
  }

  /**
   * Loads the ballot 200 times, on connections of its own, before the schedule starts: the kit's first
   * voters would otherwise run its code cold (class loading, the interpreter) and show as late arrivals.
   * A GET queues nothing, so the count is not touched.
   */
  void warmUp() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(200);
    String ballot = "GET / HTTP/1.1\r\nHost: " + target.hostHeader + "\r\nUser-Agent: voting-app-loadtest\r\n\r\n";
    for (int i = 0; i < 200; i++) {
      VoterConnection connection = new VoterConnection(target, loop(contexts.get(i % contexts.size())));
      connection.loop().execute(() -> connection.exchange(ballot, new VoterConnection.Answer() {
        @Override
        public void answered(int status, String voterCookie) {
          connection.close();
          done.countDown();
        }

        @Override
        public void failed(Throwable cause) {
          done.countDown();
        }
      }, cause -> { }));
    }
    done.await(30, TimeUnit.SECONDS);
  }

  private void dispatch(long dueNanos, Context context) {
    // Past its knee the app answers slowly and open voters pile up; without a cap they would take the
    // kit's file descriptors and heap, and its collapse would pass for the app's.
    if (run.activeVoters.get() >= run.maxVoters) {
      dropped.incrementAndGet();
      return;
    }
    arrivals.incrementAndGet();
    run.activeVoters.incrementAndGet();
    String id = run.prefix + Long.toString(sequence.incrementAndGet(), 36);
    EventLoop loop = loop(context);
    loop.execute(() -> {
      long lagMillis = (System.nanoTime() - dueNanos) / 1_000_000;
      run.lag.ok(System.currentTimeMillis(), lagMillis);
      new Voter(run, new VoterConnection(target, loop), id).start();
    });
  }

  private static EventLoop loop(Context context) {
    return ((ContextInternal) context).nettyEventLoop();
  }

}
