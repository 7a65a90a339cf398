package dev.votingapp.vote;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeoutException;

/** The vote service's own counters, beside Vert.x's HTTP metrics. */
final class VoteMetrics {

  private final Counter acceptedA;
  private final Counter acceptedB;
  private final MeterRegistry registry;

  VoteMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.acceptedA = accepted("a");
    this.acceptedB = accepted("b");
  }

  void accept(String option) {
    ("a".equals(option) ? acceptedA : acceptedB).increment();
  }

  void reject(Rejection reason) {
    Counter.builder("votes.rejected")
        .description("Votes refused as bad input, by reason")
        .tag("reason", reason.metricTag())
        .register(registry)
        .increment();
  }

  void redisFailure(Throwable cause) {
    String kind = cause instanceof TimeoutException ? "timeout"
        : cause instanceof VoteQueue.NotReplicated ? "not_replicated" : "error";
    Counter.builder("votes.redis.failures")
        .description("Votes not acknowledged because Redis failed, did not answer in time, or its replicas did not confirm them (REDIS_WAIT_REPLICAS)")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  private Counter accepted(String option) {
    return Counter.builder("votes.accepted")
        .description("Votes acknowledged by Redis, by option")
        .tag("option", option)
        .register(registry);
  }
}
