package dev.votingapp.worker;

import dev.votingapp.ops.Buckets;
import dev.votingapp.store.VoteMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The worker's own meters: throughput, batches, dead letters, queue depth, and how fresh votes are.
 * Counters with labels exist at 0 for every label value from the start, so a dashboard shows 0, not
 * "No data", and rate() sees the first failure.
 */
final class WorkerMetrics {

  /** The dead-letter reason of a vote the database refused (bad data that passed parsing). */
  static final String REFUSED_BY_DATABASE = "refused_by_database";
  /** The failure kind of a lane that lost its heartbeat (besides the dependencies'). */
  static final String HEARTBEAT = "heartbeat";

  private final MeterRegistry registry;
  private final Counter written;
  private final Counter batches;
  private final Counter recovered;
  private final Counter clamped;
  private final Counter reaperRuns;
  private final DistributionSummary batchSize;
  private final Timer claimToCommit;
  private final Timer voteAge;
  private final QueueSample queue = new QueueSample();

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
        .serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1_000, 5_000, 10_000).register(registry);
    claimToCommit = Timer.builder("worker.claim.to.commit")
        .description("From claiming a batch in Redis to its commit in PostgreSQL")
        .serviceLevelObjectives(Buckets.durations(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        .register(registry);
    // Freshness: the SLO is 99% of votes committed within 5 s of being cast.
    voteAge = Timer.builder("worker.vote.age")
        .description("From the vote's own timestamp to its commit in PostgreSQL (freshness)")
        .serviceLevelObjectives(Buckets.durations(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300))
        .register(registry);
    Gauge.builder("worker.queue.depth", queue, sample -> sample.last().depth())
        .description("Votes waiting in the Redis list (sampled every second; every worker reports it)")
        .register(registry);
    Gauge.builder("worker.processing.depth", queue, sample -> sample.last().processing())
        .description("Votes claimed by workers and not yet released, in every processing list")
        .register(registry);
    Gauge.builder("worker.dead.letters.depth", queue, sample -> sample.last().dead())
        .description("Messages in the dead-letter list")
        .register(registry);
    Gauge.builder("worker.queue.oldest.age", queue, sample -> sample.last().oldestAgeSeconds()).baseUnit("seconds")
        .description("Age of the oldest queued vote, by the vote clock (0 when the queue is empty)")
        .register(registry);
    for (VoteMessage.Invalid reason : VoteMessage.Invalid.values()) {
      deadLetters(reason.tag());
    }
    deadLetters(REFUSED_BY_DATABASE);
    for (Dependency dependency : Dependency.values()) {
      failures(dependency.label());
    }
    failures(HEARTBEAT);
  }

  void committed(Batch batch, int refused, long claimedAtNanos, long commitMicros) {
    batches.increment();
    batchSize.record(batch.messages());
    written.increment(batch.valid() - refused);
    clamped.increment(batch.clamped());
    claimToCommit.record(System.nanoTime() - claimedAtNanos, TimeUnit.NANOSECONDS);
    for (VoteMessage vote : batch.votes()) {
      voteAge.record(Math.max(0, commitMicros - vote.timestampMicros()), TimeUnit.MICROSECONDS);
    }
  }

  void deadLetter(String reason) {
    deadLetters(reason).increment();
  }

  /** @param dependency a {@link Dependency#label}, or {@link #HEARTBEAT} */
  void failure(String dependency) {
    failures(dependency).increment();
  }

  private Counter deadLetters(String reason) {
    return Counter.builder("worker.dead.letters").description("Messages moved to the dead-letter list, by reason")
        .tag("reason", reason).register(registry);
  }

  private Counter failures(String dependency) {
    return Counter.builder("worker.failures").description("Batches that failed and will be retried, by dependency")
        .tag("dependency", dependency).register(registry);
  }

  void reaped() {
    reaperRuns.increment();
  }

  void recovered(long votes) {
    recovered.increment(votes);
  }

  void queue(QueueSample.Values sample) {
    queue.set(sample);
  }
}
