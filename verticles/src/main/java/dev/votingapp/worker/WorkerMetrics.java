package dev.votingapp.worker;

import dev.votingapp.common.VoteMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The worker's own meters: throughput, batches, dead letters, queue depth, and how fresh votes are. */
final class WorkerMetrics {

  private final MeterRegistry registry;
  private final Counter written;
  private final Counter batches;
  private final Counter recovered;
  private final Counter clamped;
  private final Counter reaperRuns;
  private final DistributionSummary batchSize;
  private final Timer claimToCommit;
  private final Timer voteAge;
  private final AtomicLong queueDepth = new AtomicLong();

  WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    written = Counter.builder("worker.votes.written")
        .description("Valid votes committed to PostgreSQL (a voter's older vote in the same batch included)")
        .register(registry);
    batches = Counter.builder("worker.batches").description("Batches committed").register(registry);
    recovered = Counter.builder("worker.votes.recovered")
        .description("Votes moved back to the queue from the processing list of a dead worker")
        .register(registry);
    clamped = Counter.builder("worker.timestamps.clamped")
        .description("Votes whose time was later than their claim (a producer with its own clock), counted at the claim's time")
        .register(registry);
    reaperRuns = Counter.builder("worker.reaper.runs")
        .description("Times this worker looked for the processing lists of dead workers").register(registry);
    batchSize = DistributionSummary.builder("worker.batch.size").description("Messages per batch")
        .publishPercentileHistogram().maximumExpectedValue(10_000.0).register(registry);
    claimToCommit = Timer.builder("worker.claim.to.commit")
        .description("From claiming a batch in Redis to its commit in PostgreSQL")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    voteAge = Timer.builder("worker.vote.age")
        .description("From the vote's own timestamp to its commit in PostgreSQL")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    Gauge.builder("worker.queue.depth", queueDepth, AtomicLong::get)
        .description("Votes waiting in the Redis queue (sampled every second)")
        .register(registry);
  }

  void committed(Batch batch, int refused, long claimedAtNanos, long commitMicros) {
    batches.increment();
    batchSize.record(batch.messages);
    written.increment(batch.valid - refused);
    clamped.increment(batch.clamped);
    claimToCommit.record(System.nanoTime() - claimedAtNanos, TimeUnit.NANOSECONDS);
    for (VoteMessage vote : batch.votes) {
      voteAge.record(Math.max(0, commitMicros - vote.timestampMicros()), TimeUnit.MICROSECONDS);
    }
  }

  void deadLetter(String reason) {
    Counter.builder("worker.dead.letters").description("Messages moved to the dead-letter list, by reason")
        .tag("reason", reason).register(registry).increment();
  }

  void failure(String dependency) {
    Counter.builder("worker.failures").description("Batches that failed and will be retried, by dependency")
        .tag("dependency", dependency).register(registry).increment();
  }

  void reaped() {
    reaperRuns.increment();
  }

  void recovered(long votes) {
    recovered.increment(votes);
  }

  void queueDepth(long depth) {
    queueDepth.set(depth);
  }
}
