package dev.votingapp.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * People watching the results page: each one a WebSocket on the result service's /ws, which pushes the
 * whole tally ({"options":[…],"total":n}) when it changes and once on connect. A watcher that loses its
 * socket reconnects after a growing delay, as result.js does. They are plain JDK WebSockets rather than
 * Gatling users: Gatling's WebSocket checks see one awaited frame at a time, and the kit needs the
 * arrival time of every push to tell how long a watcher waited for a tally while votes flowed.
 */
final class Watchers implements AutoCloseable {

  private final String wsUrl;
  private final List<Watcher> watchers = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "loadtest-watchers");
    thread.setDaemon(true);
    return thread;
  });
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final AtomicReference<Tally> last = new AtomicReference<>();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong badMessages = new AtomicLong();
  private final AtomicInteger connects = new AtomicInteger();
  private volatile boolean closed;

  Watchers(String resultUrl, int count) {
    this.wsUrl = resultUrl.replaceFirst("^http", "ws") + "/ws";
    for (int i = 0; i < count; i++) {
      watchers.add(new Watcher());
    }
  }

  void start() {
    watchers.forEach(watcher -> watcher.connect(0));
  }

  /** The last tally any watcher was pushed; null when none arrived. */
  Tally lastTally() {
    return last.get();
  }

  long messages() {
    return messages.get();
  }

  long badMessages() {
    return badMessages.get();
  }

  int connects() {
    return connects.get();
  }

  int count() {
    return watchers.size();
  }

  /**
   * The longest a watcher waited for a push after a vote that changed the tally was acknowledged, over
   * every such vote from {@code fromMillis} on (a vote needs the worker's commit before any push can
   * show it, so this is what a person looking at the page sees). -1 when no watcher saw such a vote.
   */
  long longestWait(long[] changeTimes, long fromMillis, long untilMillis) {
    long longest = -1;
    for (Watcher watcher : watchers) {
      long[] arrivals = watcher.arrivals();
      for (long change : changeTimes) {
        if (change < Math.max(fromMillis, watcher.connectedAt.get()) || change > untilMillis) {
          continue;
        }
        int index = Arrays.binarySearch(arrivals, change + 1);
        int next = index >= 0 ? index : -index - 1;
        long wait = next < arrivals.length ? arrivals[next] - change : untilMillis - change;
        longest = Math.max(longest, wait);
      }
    }
    return longest;
  }

  @Override
  public void close() {
    closed = true;
    watchers.forEach(Watcher::close);
    timer.shutdownNow();
  }

  /** One page: its socket, and the arrival time of every push. */
  private final class Watcher implements WebSocket.Listener {
    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicLong connectedAt = new AtomicLong(Long.MAX_VALUE);
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    void connect(long delayMillis) {
      timer.schedule(() -> {
        if (closed) {
          return;
        }
        client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3)).buildAsync(URI.create(wsUrl), this)
            .whenComplete((opened, failed) -> {
              if (failed != null) {
                reconnect(delayMillis);
              }
            });
      }, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void reconnect(long previousDelay) {
      connect(Math.min(10_000, Math.max(500, previousDelay * 2)));
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      connects.incrementAndGet();
      connectedAt.compareAndSet(Long.MAX_VALUE, System.currentTimeMillis());
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean lastPart) {
      partial.append(data);
      if (lastPart) {
        arrivals.add(System.currentTimeMillis());
        messages.incrementAndGet();
        try {
          last.set(Tally.parse(partial.toString()));
        } catch (IllegalArgumentException bad) {
          badMessages.incrementAndGet();
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      reconnect(0);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      reconnect(0);
    }

    long[] arrivals() {
      return arrivals.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    void close() {
      WebSocket open = socket;
      if (open != null) {
        open.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(ignored -> null);
      }
    }
  }
}
