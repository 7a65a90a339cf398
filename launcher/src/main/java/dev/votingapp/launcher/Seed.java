package dev.votingapp.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Casts a known set of votes through the vote service, like the reference app's seed-data job:
 * {@code SEED_A} votes for a and {@code SEED_B} for b (defaults 2000 and 1000), each from a voter of its
 * own, at {@code SEED_CONCURRENCY} requests at a time, to {@code VOTE_URL}. A vote that is refused or
 * times out is retried a few times as the same voter (the same voter_id cookie): if the first attempt
 * did reach the queue after all, the retry replaces it instead of counting twice. Exit 0 when every
 * vote was accepted, 1 otherwise.
 */
final class Seed {

  private static final SecureRandom RANDOM = new SecureRandom();
  static final int ATTEMPTS = 5;

  private Seed() {
  }

  static int run() throws InterruptedException {
    return run(URI.create(env("VOTE_URL", "http://vote:5000/")), Integer.parseInt(env("SEED_A", "2000")),
        Integer.parseInt(env("SEED_B", "1000")), Integer.parseInt(env("SEED_CONCURRENCY", "20")), 500);
  }

  static int run(URI target, int votesA, int votesB, int concurrency, long retryDelayMs) throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> votes = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < votesA + votesB; i++) {
      String option = i < votesA ? "a" : "b";
      inFlight.acquire();
      votes.add(cast(client, target, voterId(), option, ATTEMPTS, retryDelayMs).whenComplete((ok, error) -> {
        (Boolean.TRUE.equals(ok) ? accepted : failed).incrementAndGet();
        inFlight.release();
      }));
    }
    CompletableFuture.allOf(votes.toArray(CompletableFuture[]::new)).exceptionally(ignored -> null).join();
    System.out.printf("seed: %d votes accepted (%d for a, %d for b asked), %d failed, in %.1f s, to %s%n",
        accepted.get(), votesA, votesB, failed.get(), (System.nanoTime() - started) / 1e9, target);
    return failed.get() == 0 ? 0 : 1;
  }

  /** 128 random bits, the shape of the ids the vote service issues. */
  private static String voterId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return HexFormat.of().formatHex(bits);
  }

  private static CompletableFuture<Boolean> cast(HttpClient client, URI target, String voterId, String option,
                                                 int attemptsLeft, long retryDelayMs) {
    HttpRequest request = HttpRequest.newBuilder(target)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", "voter_id=" + voterId)
        .POST(HttpRequest.BodyPublishers.ofString("vote=" + option))
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(response -> response.statusCode() == 200)
        .exceptionally(error -> false)
        .thenCompose(ok -> ok || attemptsLeft <= 1 ? CompletableFuture.completedFuture(ok)
            : CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(retryDelayMs, TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> cast(client, target, voterId, option, attemptsLeft - 1, retryDelayMs)));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
