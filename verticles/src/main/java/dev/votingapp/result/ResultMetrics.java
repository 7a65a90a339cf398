package dev.votingapp.result;

import dev.votingapp.ops.Buckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The result service's own meters, one set per process, shared by the feed and the event loops' verticles. */
final class ResultMetrics {

  static final String ORIGIN = "origin";
  static final String FULL = "full";

  // Deliberately the same shape as WorkerMetrics: each service declares and names its own meters.
  private final MeterRegistry registry;
  private final Counter sent;
  private final Counter notifications;
  private final Counter reads;
  private final Counter dropped;
  private final Timer commitToPush;

  ResultMetrics(MeterRegistry registry, ClientSlots clients, AtomicReference<Freshness.Status> status) {
    this.registry = registry;
    Gauge.builder("result.tally.current", status, judged -> judged.get() != null && judged.get().current() ? 1 : 0)
        .description("1 while the tally shown is current, 0 while the page says it is delayed (or before the first read)")
        .register(registry);
    Gauge.builder("result.tally.age", status, judged -> judged.get() == null ? 0
            : Math.max(0, Duration.between(judged.get().asOf(), Instant.now()).toMillis() / 1e3))
        .baseUnit("seconds").description("Since the tally shown was last read from PostgreSQL")
        .register(registry);
    Gauge.builder("result.clients", clients, ClientSlots::used).description("Connected WebSocket clients")
        .register(registry);
    Gauge.builder("result.clients.slow", clients, ClientSlots::slow)
        .description("WebSocket clients whose socket is not draining now: they get the newest tally when it does")
        .register(registry);
    Gauge.builder("result.clients.max", clients, ClientSlots::max)
        .description("WebSocket clients this process accepts (RESULT_MAX_CLIENTS)").register(registry);
    sent = Counter.builder("result.messages.sent").description("Tally messages sent to WebSocket clients").register(registry);
    notifications = Counter.builder("result.notifications")
        .description("PostgreSQL notifications received on the tally channel").register(registry);
    reads = Counter.builder("result.tally.reads").description("Reads of the tally from PostgreSQL").register(registry);
    dropped = Counter.builder("result.clients.dropped")
        .description("WebSocket clients closed because they did not keep up").register(registry);
    commitToPush = Timer.builder("result.commit.to.push")
        .description("From a change committed to votes to the new tally pushed to clients")
        .serviceLevelObjectives(Buckets.durations(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)).register(registry);
    // At 0 from the start, so a dashboard shows 0, not "No data", and rate() sees the first refusal.
    refusedCounter(ORIGIN);
    refusedCounter(FULL);
  }

  void sent(int messages) {
    sent.increment(messages);
  }

  void notification() {
    notifications.increment();
  }

  void read() {
    reads.increment();
  }

  void dropped() {
    dropped.increment();
  }

  /** A WebSocket upgrade refused: {@link #ORIGIN} (not an allowed page) or {@link #FULL} (RESULT_MAX_CLIENTS reached). */
  void refused(String reason) {
    refusedCounter(reason).increment();
  }

  private Counter refusedCounter(String reason) {
    return Counter.builder("result.clients.refused").description("WebSocket upgrades refused, by reason")
        .tag("reason", reason).register(registry);
  }

  void commitToPush(long micros) {
    commitToPush.record(Math.max(0, micros), TimeUnit.MICROSECONDS);
  }
}
