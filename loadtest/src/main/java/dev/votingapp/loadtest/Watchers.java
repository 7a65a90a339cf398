package dev.votingapp.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * People watching the results page: each a {@link WatcherSocket}, reconnecting after a growing delay as
 * result.js does. Every push moves the watcher's cursor over the acknowledged votes it includes
 * ({@link Deliveries}), so the check holds every watcher to the promise for every vote that changed the
 * tally: a tally including it within watch.gap.ms. Nothing per push is kept but the last text.
 */
final class Watchers implements AutoCloseable {

  private final Run run;
  private final Vertx vertx;
  private final List<Context> contexts;
  private final WebSocketClient client;
  private final List<Watcher> watchers = new ArrayList<>();
  private final AtomicReference<String> last = new AtomicReference<>();
  private final java.util.concurrent.atomic.LongAdder messages = new java.util.concurrent.atomic.LongAdder();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong connectFailures = new AtomicLong();
  private volatile boolean closed;

  Watchers(Run run, Vertx vertx, List<Context> contexts) {
    this.run = run;
    this.vertx = vertx;
    this.contexts = contexts;
    client = vertx.createWebSocketClient(WatcherSocket.options(run.watcherCount).setConnectTimeout(run.connectTimeoutMs));
    for (int i = 0; i < run.watcherCount; i++) {
      watchers.add(new Watcher(contexts.get(i % contexts.size())));
    }
  }

  /** Connects every watcher, 200 at a time (as many people opening the page), waiting for each batch. */
  void start() throws InterruptedException {
    for (int from = 0; from < watchers.size(); from += 200) {
      List<Future<Void>> batch = new ArrayList<>();
      for (Watcher watcher : watchers.subList(from, Math.min(watchers.size(), from + 200))) {
        batch.add(watcher.connect(0));
      }
      try {
        Future.join(batch).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException slow) {
        // each failed watcher reconnects on its own; the summary counts them
      }
    }
  }

  /** The last tally any watcher was pushed; null when none arrived or it was unreadable. */
  Tally lastTally() {
    String text = last.get();
    try {
      return text == null ? null : Tally.parse(text);
    } catch (IllegalArgumentException unreadable) {
      return null;
    }
  }

  long messages() {
    return messages.sum();
  }

  long connects() {
    return connects.get();
  }

  long connectFailures() {
    return connectFailures.get();
  }

  int count() {
    return watchers.size();
  }

  long connected() {
    return watchers.stream().filter(w -> w.socket.open()).count();
  }

  /** Closes the books at {@code untilMillis}: the longest wait over every watcher and vote, and how many were late. */
  Delivery delivery(long untilMillis) {
    long longest = -1;
    long late = 0;
    long checked = 0;
    long lateWatchers = 0;
    for (Watcher watcher : watchers) {
      watcher.cursor.finish(untilMillis, run.watchGapMs);
      Deliveries.Seen seen = watcher.cursor.seen();
      longest = Math.max(longest, seen.longest());
      late += seen.late();
      checked += seen.checked();
      if (seen.late() > 0) {
        lateWatchers++;
      }
    }
    return new Delivery(longest, late, checked, lateWatchers);
  }

  /** Every (watcher, vote) pair checked, how many waited past the limit, and the longest wait. */
  record Delivery(long longestMs, long late, long checked, long lateWatchers) {
  }

  @Override
  public void close() {
    closed = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (Watcher watcher : watchers) {
      io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
      watcher.context.runOnContext(v -> watcher.socket.close().onComplete(ignored -> done.complete()));
      closing.add(done.future());
    }
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception slow) {
      // exiting anyway
    }
    client.close();
  }

  /** One page: its socket and its cursor over the votes it owes a tally for. */
  private final class Watcher {
    private final Context context;
    private final WatcherSocket socket;
    private final Deliveries.Cursor cursor;

    Watcher(Context context) {
      this.context = context;
      this.cursor = run.deliveries.new Cursor();
      this.socket = new WatcherSocket(client, run.resultUrl, push -> {
        messages.increment();
        last.set(push.text());
        cursor.pushed(push.millis(), push.total(), run.watchGapMs);
      }).onClose(() -> connect(500));
    }

    Future<Void> connect(long delayMillis) {
      if (closed) {
        return Future.succeededFuture();
      }
      io.vertx.core.Promise<Void> result = io.vertx.core.Promise.promise();
      Runnable attempt = () -> socket.connect(context).onComplete(done -> {
        if (done.succeeded()) {
          connects.incrementAndGet();
        } else {
          connectFailures.incrementAndGet();
          // A growing delay, as result.js waits longer after each failure.
          vertx.setTimer(Math.min(10_000, Math.max(500, delayMillis * 2)), t -> connect(Math.min(10_000, Math.max(500, delayMillis * 2))));
        }
        result.handle(done);
      });
      if (delayMillis <= 0) {
        attempt.run();
      } else {
        vertx.setTimer(delayMillis, t -> attempt.run());
      }
      return result.future();
    }
  }
}
