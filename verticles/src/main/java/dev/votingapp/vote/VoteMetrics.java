package dev.votingapp.vote;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeoutException;

/**
 * The vote service's own counters, beside Vert.x's HTTP metrics. Every label value is known, so every
 * series exists at 0 from the start: a dashboard shows 0, not "No data", and rate() sees the first one.
 */
final class VoteMetrics {

  private static final String TIMEOUT = "timeout";
  private static final String NOT_REPLICATED = "not_replicated";
  private static final String ERROR = "error";

  private final Counter acceptedA;
  private final Counter acceptedB;
  private final MeterRegistry registry;

  VoteMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.acceptedA = accepted("a");
    this.acceptedB = accepted("b");
    for (Rejection reason : Rejection.values()) {
      rejected(reason);
    }
    for (String kind : new String[] {TIMEOUT, NOT_REPLICATED, ERROR}) {
      redisFailures(kind);
    }
  }

  void accept(String option) {
    ("a".equals(option) ? acceptedA : acceptedB).increment();
  }

  void reject(Rejection reason) {
    rejected(reason).increment();
  }

  void redisFailure(Throwable cause) {
    redisFailures(cause instanceof TimeoutException ? TIMEOUT
        : cause instanceof VoteQueue.NotReplicated ? NOT_REPLICATED : ERROR).increment();
  }

  private Counter rejected(Rejection reason) {
    return Counter.builder("votes.rejected")
        .description("Votes refused as bad input, by reason")
        .tag("reason", reason.metricTag())
        .register(registry);
  }

  private Counter redisFailures(String kind) {
    return Counter.builder("votes.redis.failures")
        .description("Votes not acknowledged because Redis failed, did not answer in time, or its replicas did not confirm them (REDIS_WAIT_REPLICAS)")
        .tag("kind", kind)
        .register(registry);
  }

  private Counter accepted(String option) {
    return Counter.builder("votes.accepted")
        .description("Votes acknowledged by Redis, by option")
        .tag("option", option)
        .register(registry);
  }
}
