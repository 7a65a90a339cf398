package dev.votingapp.result;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The result service's own meters, shared by its instances (one per event loop). */
final class ResultMetrics {

  /** Connected clients of every instance in the process, one count per registry. */
  private static final Map<MeterRegistry, AtomicInteger> CLIENTS = Collections.synchronizedMap(new WeakHashMap<>());

  private final Counter sent;
  private final Counter notifications;
  private final Counter reads;
  private final Counter dropped;
  private final Timer commitToPush;
  private final AtomicInteger clients;

  ResultMetrics(MeterRegistry registry) {
    clients = CLIENTS.computeIfAbsent(registry, shared -> {
      AtomicInteger count = new AtomicInteger();
      Gauge.builder("result.clients", count, AtomicInteger::get).description("Connected WebSocket clients")
          .register(shared);
      return count;
    });
    sent = Counter.builder("result.messages.sent").description("Tally messages sent to WebSocket clients").register(registry);
    notifications = Counter.builder("result.notifications")
        .description("PostgreSQL notifications received on the tally channel").register(registry);
    reads = Counter.builder("result.tally.reads").description("Reads of the tally from PostgreSQL").register(registry);
    dropped = Counter.builder("result.clients.dropped")
        .description("WebSocket clients closed because they did not keep up").register(registry);
    commitToPush = Timer.builder("result.commit.to.push")
        .description("From a change committed to votes to the new tally pushed to clients")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
  }

  void connected() {
    clients.incrementAndGet();
  }

  void disconnected() {
    clients.decrementAndGet();
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

  void commitToPush(long micros) {
    commitToPush.record(Math.max(0, micros), TimeUnit.MICROSECONDS);
  }
}
