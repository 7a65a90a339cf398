package dev.votingapp.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Casts a known set of votes through the vote service, like the reference app's seed-data job:
 * {@code SEED_A} votes for a and {@code SEED_B} for b (defaults 2000 and 1000), each from a new voter (no
 * cookie), at {@code SEED_CONCURRENCY} requests at a time, to {@code VOTE_URL}. A vote that is refused is
 * retried a few times; exit 0 when every vote was accepted, 1 otherwise.
 */
final class Seed {

  private Seed() {
  }

  static int run() throws InterruptedException {
    URI target = URI.create(env("VOTE_URL", "http://vote:5000/"));
    int votesA = Integer.parseInt(env("SEED_A", "2000"));
    int votesB = Integer.parseInt(env("SEED_B", "1000"));
    Semaphore inFlight = new Semaphore(Integer.parseInt(env("SEED_CONCURRENCY", "20")));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> votes = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < votesA + votesB; i++) {
      String option = i < votesA ? "a" : "b";
      inFlight.acquire();
      votes.add(cast(client, target, option, 5).whenComplete((ok, error) -> {
        (Boolean.TRUE.equals(ok) ? accepted : failed).incrementAndGet();
        inFlight.release();
      }));
    }
    CompletableFuture.allOf(votes.toArray(CompletableFuture[]::new)).exceptionally(ignored -> null).join();
    System.out.printf("seed: %d votes accepted (%d for a, %d for b asked), %d failed, in %.1f s, to %s%n",
        accepted.get(), votesA, votesB, failed.get(), (System.nanoTime() - started) / 1e9, target);
    return failed.get() == 0 ? 0 : 1;
  }

  private static CompletableFuture<Boolean> cast(HttpClient client, URI target, String option, int attemptsLeft) {
    HttpRequest request = HttpRequest.newBuilder(target)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("vote=" + option))
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .thenApply(response -> response.statusCode() == 200)
        .exceptionally(error -> false)
        .thenCompose(ok -> ok || attemptsLeft <= 1 ? CompletableFuture.completedFuture(ok)
            : CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(500, java.util.concurrent.TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> cast(client, target, option, attemptsLeft - 1)));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
