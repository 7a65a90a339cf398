package dev.votingapp.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Vote-to-screen latency and WebSocket fan-out of the result service, against a running stack (vote,
 * worker, result). Started by {@code loadtest/bench/result.sh}; its WebSockets are the kit's
 * {@link WatcherSocket}s and its /metrics reads the kit's {@link Metrics}.
 *
 * <ol>
 *   <li>Latency: one WebSocket client on the result service's {@code /ws}; each trial POSTs {@code vote=a}
 *       to the vote service without a cookie (so a new voter: the total rises by one) and measures from
 *       the moment its event loop hands the POST to the HTTP client to the first WebSocket message whose
 *       {@code total} reaches the new total.
 *       Trials run one after the other, with a pause between them; the first ones are a warm-up.</li>
 *   <li>Fan-out: many WebSocket clients, connected in batches (each waits for its first tally), then a
 *       few votes, one at a time: for each, the delay from the POST to every client's message with the
 *       new total, and to the last client's.</li>
 * </ol>
 *
 * <p>Progress goes to stderr; the figures go to stdout as {@code key=value} lines for the script.
 * Exit status 1 when something fails (a POST that is not 200, a tally that never comes, ...); a client
 * that misses a vote is counted and reported, not fatal.
 */
public final class ResultBench {

  private static final String USAGE = """
      usage: ResultBench --vote-port P --result-port P [options]
        --host H              address of both services (default 127.0.0.1)
        --management-port P   the result process's management port, for its /metrics (default: none read)
        --trials N            timed latency trials (default 300)
        --warmup N            untimed trials before them (default 30)
        --pause-ms N          pause between trials (default 20)
        --clients N           WebSocket clients of the fan-out test, 0 to skip it (default 5000)
        --batch N             clients connected at a time (default 200)
        --rounds N            votes cast with every client connected (default 20)
        --round-pause-ms N    pause between those votes (default 200)
        --event-loops N       event loops of this client (default 4)
        --timeout-s N         how long to wait for one tally, one batch, one POST (default 15)
        --result-pid PID      read the result process's VmRSS from /proc (optional)
        --raw FILE            write every latency sample (ms) to FILE (optional)""";

  private final String host;
  private final int votePort;
  private final int resultPort;
  private final int managementPort;
  private final int trials;
  private final int warmup;
  private final long pauseMs;
  private final int clients;
  private final int batch;
  private final int rounds;
  private final long roundPauseMs;
  private final long timeoutS;
  private final long resultPid;
  private final Path raw;

  private final Vertx vertx;
  private final HttpClient http;
  private final WebSocketClient webSockets;
  private final List<Context> contexts = new ArrayList<>();
  private final Map<String, String> figures = new LinkedHashMap<>();

  private ResultBench(Map<String, String> args) throws Exception {
    host = args.getOrDefault("host", "127.0.0.1");
    votePort = intArg(args, "vote-port", -1, 1);
    resultPort = intArg(args, "result-port", -1, 1);
    managementPort = intArg(args, "management-port", 0, 0);
    trials = intArg(args, "trials", 300, 1);
    warmup = intArg(args, "warmup", 30, 0);
    pauseMs = intArg(args, "pause-ms", 20, 0);
    clients = intArg(args, "clients", 5000, 0);
    batch = intArg(args, "batch", 200, 1);
    rounds = intArg(args, "rounds", 20, 1);
    roundPauseMs = intArg(args, "round-pause-ms", 200, 0);
    timeoutS = intArg(args, "timeout-s", 15, 1);
    resultPid = intArg(args, "result-pid", 0, 0);
    raw = args.containsKey("raw") ? Path.of(args.get("raw")) : null;
    int eventLoops = intArg(args, "event-loops", 4, 1);

    vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(eventLoops)).build();
    // One keep-alive connection to the vote service: the trials are sequential. No cookie jar, so every
    // POST is a new voter.
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost(host)
        .setDefaultPort(votePort).setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(1));
    webSockets = vertx.createWebSocketClient(WatcherSocket.options(clients).setConnectTimeout(10_000));
    // One context per event loop: a connection lives on the event loop of the context that opened it, so
    // connecting from each of them in turn spreads the clients over every event loop.
    Map<Context, Boolean> seen = new ConcurrentHashMap<>();
    await(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        seen.put(context, Boolean.TRUE);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(eventLoops)), "deploying the client contexts");
    contexts.addAll(seen.keySet());
  }

  public static void main(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i += 2) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        System.err.println(USAGE);
        System.exit(2);
      }
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    int status = 0;
    ResultBench bench = null;
    try {
      bench = new ResultBench(args);
      bench.run();
    } catch (BadArgument bad) {
      System.err.println("ResultBench: " + bad.getMessage());
      System.err.println(USAGE);
      status = 2;
    } catch (Exception failed) {
      System.err.println("ResultBench: FAILED: " + failed);
      status = 1;
    } finally {
      if (bench != null) {
        bench.printFigures();
        try {
          bench.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // exiting anyway
        }
      }
    }
    System.exit(status);
  }

  private void run() throws Exception {
    latency();
    if (clients > 0) {
      fanOut();
    }
  }

  // --- vote-to-screen latency --------------------------------------------------------------------

  /** The one WebSocket client of the latency test: completes a waiter once a tally reaches a total. */
  private static final class Watcher {
    private volatile long expected = Long.MAX_VALUE;
    private volatile CompletableFuture<Long> waiter;
    private volatile long latestTotal = -1;
    private final AtomicInteger messages = new AtomicInteger();

    void onMessage(WatcherSocket.Push push) {
      long now = push.nanos();
      long total = push.total();
      latestTotal = total;
      messages.incrementAndGet();
      CompletableFuture<Long> w = waiter;
      if (w != null && total >= expected) {
        w.complete(now);
      }
    }

    /** Arms the next wait: set before the vote is cast, so the message cannot come first. */
    CompletableFuture<Long> expect(long total) {
      expected = total;
      CompletableFuture<Long> w = new CompletableFuture<>();
      waiter = w;
      return w;
    }
  }

  private void latency() throws Exception {
    Watcher watcher = new Watcher();
    CompletableFuture<Long> first = watcher.expect(0);
    AtomicInteger closed = new AtomicInteger();
    WatcherSocket socket = new WatcherSocket(webSockets, resultUrl(), watcher::onMessage).onClose(closed::incrementAndGet);
    await(socket.connect(contexts.get(0)), "connecting the latency WebSocket client");
    waitFor(first, "the first tally on the latency WebSocket client");
    long base = watcher.latestTotal;
    log("latency: WebSocket connected, initial total " + base + "; " + warmup + " warm-up trials, then " + trials
        + " timed, " + pauseMs + " ms apart");

    double[] samples = new double[trials];
    for (int i = 0; i < warmup + trials; i++) {
      long expected = base + i + 1;
      CompletableFuture<Long> arrived = watcher.expect(expected);
      long t0 = vote();
      long t1;
      try {
        t1 = arrived.get(timeoutS, TimeUnit.SECONDS);
      } catch (TimeoutException late) {
        throw new IllegalStateException("trial " + (i + 1) + ": no tally with total >= " + expected + " within "
            + timeoutS + " s (latest total seen: " + watcher.latestTotal + ", WebSocket closed: "
            + (closed.get() > 0) + ")");
      }
      if (i >= warmup) {
        samples[i - warmup] = (t1 - t0) / 1e6;
      }
      if (pauseMs > 0) {
        Thread.sleep(pauseMs);
      }
    }
    if (raw != null) {
      StringBuilder lines = new StringBuilder();
      for (double sample : samples) {
        lines.append(String.format(Locale.ROOT, "%.3f%n", sample));
      }
      Files.writeString(raw, lines);
    }
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    figure("latency_trials", trials);
    figure("latency_warmup", warmup);
    figure("latency_pause_ms", pauseMs);
    figure("latency_min_ms", ms(sorted[0]));
    figure("latency_p50_ms", ms(percentile(sorted, 50)));
    figure("latency_p90_ms", ms(percentile(sorted, 90)));
    figure("latency_p99_ms", ms(percentile(sorted, 99)));
    figure("latency_max_ms", ms(sorted[sorted.length - 1]));
    figure("latency_mean_ms", ms(Arrays.stream(sorted).average().orElse(0)));
    figure("latency_over_50ms", Arrays.stream(sorted).filter(s -> s > 50).count());
    figure("latency_over_200ms", Arrays.stream(sorted).filter(s -> s > 200).count());
    figure("latency_messages", watcher.messages.get());
    figure("latency_final_total", watcher.latestTotal);
    log(String.format(Locale.ROOT, "latency: median %.1f ms, p99 %.1f ms, max %.1f ms", percentile(sorted, 50),
        percentile(sorted, 99), sorted[sorted.length - 1]));
    await(socket.close(), "closing the latency WebSocket client");
  }

  /**
   * POST / vote=a without a cookie; fails unless the answer is 200. Returns when the POST was handed
   * to the HTTP client on its event loop: the hop from the calling thread to that loop is this
   * client's own time, not the app's.
   */
  private long vote() throws Exception {
    AtomicLong sent = new AtomicLong();
    // Where a POST that never completes got stuck, for the error message.
    AtomicReference<String> stage = new AtomicReference<>("waiting for a connection (called on "
        + Thread.currentThread().getName() + ")");
    // On an event loop, with body() called in the send() callback: from a plain thread, or with the
    // compose calls chained instead of nested, the response can end before body() is called, and the body
    // future then never completes (seen here: one POST in a few thousand hung).
    Future<Integer> status = onEventLoop(() -> {
      sent.set(System.nanoTime());
      return http.request(new RequestOptions().setMethod(HttpMethod.POST)
              .setURI("/").putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded"))
          .compose(request -> {
            stage.set("request sent, waiting for the response");
            return request.send("vote=a").compose(response -> {
              stage.set("response " + response.statusCode() + " received, waiting for its body");
              return response.body().map(body -> response.statusCode());
            });
          });
    });
    int code;
    try {
      code = await(status, "POST / vote=a");
    } catch (IllegalStateException failed) {
      throw new IllegalStateException(failed.getMessage() + "; " + stage.get(), failed.getCause());
    }
    if (code != 200) {
      throw new IllegalStateException("POST / vote=a answered " + code);
    }
    return sent.get();
  }

  // --- fan-out -----------------------------------------------------------------------------------

  /** One vote of the fan-out test: when it was cast, the total it makes, and who has seen it when. */
  private static final class Round {
    final long expected;
    final long t0;
    final long[] arrivals;
    final CountDownLatch remaining;

    Round(long expected, int clients) {
      this.expected = expected;
      this.arrivals = new long[clients];
      Arrays.fill(arrivals, -1);
      this.remaining = new CountDownLatch(clients);
      this.t0 = System.nanoTime();
    }
  }

  private volatile Round round;
  private final AtomicInteger closedClients = new AtomicInteger();
  private final AtomicInteger fanMessages = new AtomicInteger();
  private volatile boolean closing;

  /** One client of the fan-out test; its fields are only touched on its own event loop. */
  private final class Client {
    final int index;
    final CountDownLatch connected;
    WatcherSocket socket;
    boolean greeted;
    long initialTotal = -1;
    volatile long lastTotal = -1;
    Round answered;

    Client(int index, CountDownLatch connected) {
      this.index = index;
      this.connected = connected;
    }

    void onMessage(WatcherSocket.Push push) {
      long now = push.nanos();
      long total = push.total();
      lastTotal = total;
      fanMessages.incrementAndGet();
      if (!greeted) {
        greeted = true;
        initialTotal = total;
        connected.countDown();
      }
      Round r = round;
      if (r != null && answered != r && total >= r.expected) {
        answered = r;
        r.arrivals[index] = now - r.t0;
        r.remaining.countDown();
      }
    }
  }

  private void fanOut() throws Exception {
    Thread.sleep(1_000);
    long rssIdle = rssKib();
    figure("rss_idle_kib", rssIdle);
    log("fan-out: result process RSS before the clients: " + mib(rssIdle) + " MiB; connecting " + clients
        + " WebSocket clients, " + batch + " at a time, on " + contexts.size() + " event loops");

    Client[] all = new Client[clients];
    AtomicInteger failures = new AtomicInteger();
    Map<String, Integer> failureKinds = new ConcurrentHashMap<>();
    long connectStart = System.nanoTime();
    for (int from = 0; from < clients; from += batch) {
      int to = Math.min(clients, from + batch);
      CountDownLatch connected = new CountDownLatch(to - from);
      for (int i = from; i < to; i++) {
        Client client = new Client(i, connected);
        all[i] = client;
        client.socket = new WatcherSocket(webSockets, resultUrl(), client::onMessage).onClose(() -> {
          if (!closing) {
            closedClients.incrementAndGet();
          }
        });
        client.socket.connect(contexts.get(i % contexts.size())).onFailure(failed -> {
          failures.incrementAndGet();
          failureKinds.merge(String.valueOf(failed), 1, Integer::sum);
          client.connected.countDown();
        });
      }
      if (!connected.await(timeoutS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("clients " + from + ".." + (to - 1) + ": " + connected.getCount()
            + " neither connected with a first tally nor failed within " + timeoutS + " s");
      }
    }
    double connectS = (System.nanoTime() - connectStart) / 1e9;
    int ok = clients - failures.get();
    figure("fanout_clients", clients);
    figure("fanout_connected", ok);
    figure("fanout_connect_failures", failures.get());
    figure("fanout_connect_s", String.format(Locale.ROOT, "%.2f", connectS));
    log(String.format(Locale.ROOT, "fan-out: %d connected with their first tally in %.1f s, %d failed", ok, connectS,
        failures.get()));
    failureKinds.forEach((kind, count) -> log("  " + count + " x " + kind));
    if (ok == 0) {
      throw new IllegalStateException("no WebSocket client connected");
    }

    Thread.sleep(1_000);
    long rssConnected = rssKib();
    figure("rss_connected_kib", rssConnected);
    figure("server_result_clients", scrapeGauge("result_clients"));
    log("fan-out: result process RSS with the clients: " + mib(rssConnected) + " MiB; casting " + rounds
        + " votes, " + roundPauseMs + " ms apart");

    List<Client> live = new ArrayList<>();
    for (Client client : all) {
      if (client.socket != null && client.greeted) {
        live.add(client);
      }
    }
    long total = live.stream().mapToLong(c -> c.initialTotal).max().orElse(0);
    // The service's own commit-to-push timer over these votes: push() records it after writing to every
    // client, so it includes the time its event loop spends writing the frames.
    double pushSumBefore = number(scrapeGauge("result_commit_to_push_seconds_sum"));
    double pushCountBefore = number(scrapeGauge("result_commit_to_push_seconds_count"));
    List<Double> deliveries = new ArrayList<>();
    double[] last = new double[rounds];
    double[] firsts = new double[rounds];
    long missing = 0;
    for (int r = 0; r < rounds; r++) {
      total++;
      Round current = new Round(total, clients);
      // Clients that never connected count as arrived: they are reported as connect failures.
      for (int i = 0; i < clients; i++) {
        if (!all[i].greeted) {
          current.remaining.countDown();
        }
      }
      round = current;
      try {
        vote();
      } catch (Exception failed) {
        diagnose("vote " + (r + 1) + " of " + rounds + " (total " + total + ")", live, current);
        throw failed;
      }
      boolean complete = current.remaining.await(timeoutS, TimeUnit.SECONDS);
      long lastNanos = -1;
      long firstNanos = Long.MAX_VALUE;
      int arrived = 0;
      for (Client client : live) {
        long arrival = current.arrivals[client.index];
        if (arrival >= 0) {
          arrived++;
          deliveries.add(arrival / 1e6);
          lastNanos = Math.max(lastNanos, arrival);
          firstNanos = Math.min(firstNanos, arrival);
        }
      }
      if (!complete) {
        missing += live.size() - arrived;
        log("fan-out: vote " + (r + 1) + ": " + (live.size() - arrived) + " clients did not get total " + total
            + " within " + timeoutS + " s");
      }
      last[r] = lastNanos / 1e6;
      firsts[r] = firstNanos == Long.MAX_VALUE ? -1 : firstNanos / 1e6;
      log(String.format(Locale.ROOT, "fan-out: vote %d (total %d): %d clients, first after %.1f ms, last after %.1f ms",
          r + 1, total, arrived, firsts[r], last[r]));
      if (!complete) {
        diagnose("vote " + (r + 1) + " of " + rounds + " (total " + total + ")", live, current);
      }
      Thread.sleep(roundPauseMs);
    }
    round = null;
    double pushes = number(scrapeGauge("result_commit_to_push_seconds_count")) - pushCountBefore;
    double pushSeconds = number(scrapeGauge("result_commit_to_push_seconds_sum")) - pushSumBefore;
    figure("fanout_server_pushes", pushes >= 0 ? String.format(Locale.ROOT, "%.0f", pushes) : "?");
    figure("fanout_server_commit_to_push_mean_ms", pushes > 0 && pushSeconds >= 0 ? ms(pushSeconds / pushes * 1000) : "?");

    double[] sorted = deliveries.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double[] lastSorted = last.clone();
    Arrays.sort(lastSorted);
    double[] firstSorted = firsts.clone();
    Arrays.sort(firstSorted);
    figure("fanout_rounds", rounds);
    figure("fanout_deliveries", sorted.length);
    figure("fanout_missing", missing);
    if (sorted.length > 0) {
      figure("delivery_p50_ms", ms(percentile(sorted, 50)));
      figure("delivery_p90_ms", ms(percentile(sorted, 90)));
      figure("delivery_p99_ms", ms(percentile(sorted, 99)));
      figure("delivery_max_ms", ms(sorted[sorted.length - 1]));
    }
    figure("first_p50_ms", ms(percentile(firstSorted, 50)));
    figure("last_p50_ms", ms(percentile(lastSorted, 50)));
    figure("last_p99_ms", ms(percentile(lastSorted, 99)));
    figure("last_max_ms", ms(lastSorted[lastSorted.length - 1]));
    figure("fanout_last_per_round_ms", Arrays.stream(last).mapToObj(ResultBench::ms)
        .reduce((a, b) -> a + "," + b).orElse(""));
    long rssAfter = rssKib();
    figure("rss_after_votes_kib", rssAfter);
    figure("fanout_clients_closed_by_server", closedClients.get());
    figure("fanout_messages", fanMessages.get());
    log("fan-out: done; result process RSS after the votes: " + mib(rssAfter) + " MiB; closing the clients");

    closing = true;
    List<Future<?>> closes = new ArrayList<>();
    for (Client client : live) {
      Context context = contexts.get(client.index % contexts.size());
      CompletableFuture<Void> done = new CompletableFuture<>();
      context.runOnContext(v -> client.socket.close().onComplete(ar -> done.complete(null)));
      closes.add(Future.fromCompletionStage(done));
    }
    try {
      Future.join(closes).toCompletionStage().toCompletableFuture().get(timeoutS, TimeUnit.SECONDS);
    } catch (TimeoutException slow) {
      log("fan-out: not every client closed within " + timeoutS + " s");
    }
  }

  /** After a failure: what the clients have seen, what the result service says, and our event loops. */
  private void diagnose(String what, List<Client> live, Round current) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    int reached = 0;
    for (Client client : live) {
      long seen = client.lastTotal;
      min = Math.min(min, seen);
      max = Math.max(max, seen);
      if (seen >= current.expected) {
        reached++;
      }
    }
    log("diagnosis of " + what + ": " + reached + " of " + live.size() + " clients saw total >= " + current.expected
        + " (lowest total seen " + min + ", highest " + max + "); " + closedClients.get() + " clients closed by the server");
    for (String name : List.of("result_clients", "result_messages_sent_total", "result_notifications_total",
        "result_tally_reads_total", "result_clients_dropped_total", "result_commit_to_push_seconds_count")) {
      log("  result service " + name + " " + scrapeGauge(name));
    }
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().startsWith("vert.x-eventloop")) {
        StringBuilder trace = new StringBuilder("  " + thread.getName() + " " + thread.getState());
        for (int i = 0; i < Math.min(8, stack.length); i++) {
          trace.append("\n      at ").append(stack[i]);
        }
        log(trace.toString());
      }
    });
  }

  /** A gauge of the result service's /metrics, as printed, or "?". */
  private String scrapeGauge(String name) {
    if (managementPort == 0) {
      return "?";
    }
    HttpClient metrics = vertx.createHttpClient();
    try {
      String text = await(onEventLoop(() -> metrics.request(HttpMethod.GET, managementPort, host, "/metrics")
          .compose(request -> request.send().compose(response -> response.body()))), "GET /metrics").toString();
      java.util.OptionalDouble value = Metrics.parse(text).sum(name);
      return value.isEmpty() ? "?" : Summary.fmt(value.getAsDouble());
    } catch (Exception failed) {
      log("cannot read the result service's metrics: " + failed);
      return "?";
    } finally {
      metrics.close();
    }
  }

  // --- helpers -----------------------------------------------------------------------------------

  /** Runs an HTTP exchange on the first event loop, so its callbacks cannot race with the connection. */
  private <T> Future<T> onEventLoop(Supplier<Future<T>> exchange) {
    Context context = contexts.get(0);
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> exchange.get().onComplete(result));
    return result.future();
  }

  private String resultUrl() {
    return "http://" + host + ":" + resultPort;
  }

  /** A scraped value as a number, NaN when it is not one. */
  private static double number(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException notNumber) {
      return Double.NaN;
    }
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private long rssKib() {
    if (resultPid <= 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + resultPid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException failed) {
      log("cannot read the VmRSS of process " + resultPid + ": " + failed);
    }
    return -1;
  }

  private static String mib(long kib) {
    return kib < 0 ? "?" : String.format(Locale.ROOT, "%.1f", kib / 1024.0);
  }

  private static String ms(double ms) {
    return String.format(Locale.ROOT, "%.2f", ms);
  }

  private void figure(String key, Object value) {
    figures.put(key, String.valueOf(value));
  }

  private void printFigures() {
    figures.forEach((key, value) -> System.out.println(key + "=" + value));
    System.out.flush();
  }

  private <T> T await(Future<T> future, String what) throws Exception {
    return waitFor(future.toCompletionStage().toCompletableFuture(), what);
  }

  private <T> T waitFor(CompletableFuture<T> future, String what) throws Exception {
    try {
      return future.get(timeoutS, TimeUnit.SECONDS);
    } catch (TimeoutException late) {
      throw new IllegalStateException(what + ": no answer within " + timeoutS + " s");
    } catch (ExecutionException failed) {
      throw new IllegalStateException(what + ": " + failed.getCause(), failed.getCause());
    }
  }

  private static int intArg(Map<String, String> args, String name, int fallback, int min) {
    String value = args.get(name);
    if (value == null) {
      if (fallback < 0) {
        throw new BadArgument("--" + name + " is required");
      }
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min) {
        throw new BadArgument("--" + name + " must be at least " + min + ", not " + value);
      }
      return parsed;
    } catch (NumberFormatException notNumber) {
      throw new BadArgument("--" + name + " must be an integer, not '" + value + "'");
    }
  }

  /** A command-line argument that is missing or wrong: exit status 2 with the usage. */
  private static final class BadArgument extends RuntimeException {
    BadArgument(String message) {
      super(message);
    }
  }

  private static void log(String message) {
    System.err.println("[result-bench] " + message);
  }
}
