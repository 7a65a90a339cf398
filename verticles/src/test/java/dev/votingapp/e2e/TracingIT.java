package dev.votingapp.e2e;

import static dev.votingapp.testing.Await.LATER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.Config;
import dev.votingapp.config.PgConfig;
import dev.votingapp.ops.Tracing;
import dev.votingapp.store.VoteMessage;
import dev.votingapp.result.ResultService;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Browser;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.InProcessApp;
import dev.votingapp.testing.RedisKeys;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import dev.votingapp.vote.VoteService;
import dev.votingapp.worker.WorkerVerticle;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One vote, followed by its trace: the HTTP request and the Redis push in one trace, the worker's batch
 * span linked to it through the queue message's traceparent, the PostgreSQL write under the batch span,
 * and the result service's push linked to the batch through the tally notification. Spans go to an
 * in-memory exporter; Redis and PostgreSQL are real.
 */
@ExtendWith(VertxExtension.class)
class TracingIT {

  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private SdkTracerProvider tracerProvider;
  private InProcessApp app;
  private RedisKeys redis;
  private Db db;
  private String queue;
  private Config config;

  @BeforeEach
  void traced(VertxTestContext test) {
    tracerProvider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
    queue = TestServers.uniqueKey("traced");
    PgConfig database = TestServers.newDatabase();
    config = TestConfig.on(database).queueOn(TestServers.redisUrl(), queue).with("WORKER_ID", "traced").config();
    InProcessApp.start(new Tracing(sdk, true)).onComplete(test.succeeding(traced -> {
      app = traced;
      redis = new RedisKeys(app.vertx, TestServers.redisUrl(), queue);
      db = new Db(app.vertx, database);
      test.completeNow();
    }));
  }

  @AfterEach
  void close(VertxTestContext test) {
    redis.close();
    db.close();
    app.close().onComplete(test.succeeding(closed -> {
      tracerProvider.close();
      test.completeNow();
    }));
  }

  @Test
  void oneVoteIsOneTraceFromTheClickThroughTheQueueToTheScreen() {
    VoteService vote = Await.result(VoteService.deploy(app.vertx, config, app.management, 1));
    Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));
    Await.result(ResultService.deploy(app.vertx, config, app.management, 1));
    Await.until("every role ready", LATER, app::ready);
    spans.reset();

    assertThat(new Browser(vote.port()).postForm("/", "vote=b").statusCode()).isEqualTo(200);

    SpanData batch = Await.untilPresent("the worker's batch span", LATER, () -> span(data -> data.getName().equals("process " + queue)));
    // The server span ends when the response is written, which can be after the worker's batch: wait for it.
    Predicate<SpanData> theVote = data -> data.getKind() == SpanKind.SERVER && data.getTraceId().equals(linkOf(batch).getSpanContext().getTraceId());
    Await.untilPresent("the vote's server span", LATER, () -> span(theVote));
    SpanData request = only(theVote);
    // Votes that arrive together share one Redis call (group commit): each request has its own span
    // for the append, from its push to its acknowledgement, saying how many votes shared the call.
    SpanData send = only(data -> data.getKind() == SpanKind.PRODUCER && data.getName().equals("send " + queue)
        && data.getTraceId().equals(request.getTraceId()));
    assertThat(send.getParentSpanId()).as("the queue append is a child of the request").isEqualTo(request.getSpanId());
    assertThat(send.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count"))).isEqualTo(1L);
    assertThat(send.getEndEpochNanos()).as("acknowledged before the answer").isLessThanOrEqualTo(request.getEndEpochNanos());
    LinkData link = linkOf(batch);
    assertThat(link.getSpanContext().getTraceId()).isEqualTo(request.getTraceId());
    assertThat(link.getSpanContext().getSpanId()).isEqualTo(request.getSpanId());
    assertThat(batch.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(batch.getTraceId()).as("a batch starts a trace of its own").isNotEqualTo(request.getTraceId());
    SpanData write = Await.untilPresent("the PostgreSQL write under the batch", LATER, () -> span(data -> data.getKind() == SpanKind.CLIENT
        && "postgresql".equals(data.getAttributes().get(DB_SYSTEM)) && data.getParentSpanId().equals(batch.getSpanId())));
    assertThat(write.getTraceId()).isEqualTo(batch.getTraceId());
    SpanData screen = Await.untilPresent("the tally push linked to the commit", LATER, () -> span(data -> data.getName().equals("push tally")
        && data.getLinks().stream().anyMatch(commit -> commit.getSpanContext().getSpanId().equals(batch.getSpanId()))));
    assertThat(screen.getLinks().get(0).getSpanContext().getTraceId()).isEqualTo(batch.getTraceId());

    // A slow bucket in Grafana opens the trace: the latency histogram carries the request's trace id.
    String openMetrics = app.managementPort().send(HttpRequest.newBuilder(URI.create(app.managementPort().url("/metrics")))
        .header("Accept", "application/openmetrics-text; version=1.0.0")).body();
    assertThat(openMetrics).containsPattern("vertx_http_server_response_time_seconds_bucket\\{[^}]*method=\"POST\"[^}]*\\} \\d+ # \\{span_id=\""
        + request.getSpanId() + "\",trace_id=\"" + request.getTraceId() + "\"\\}");
  }

  /** The reference vote app sends no traceparent; a producer may send a broken one: both are just votes. */
  @Test
  void votesWithoutOrWithABrokenTraceparentAreWrittenWithoutALinkOrAnError() {
    long ts = VoteMessage.micros(Instant.now());
    redis.push(queue, List.of(
        "{\"voter_id\":\"plain-1\",\"vote\":\"a\"}",
        new JsonObject().put("voter_id", "broken-1").put("vote", "b").put("traceparent", "00-not-a-trace-01").put("ts", ts).encode(),
        new JsonObject().put("voter_id", "broken-2").put("vote", "a").put("traceparent", 42).put("ts", ts).encode()));

    Await.result(app.vertx.deployVerticle(new WorkerVerticle(config, app.management)));

    Await.until("three rows", LATER, () -> db.tableExists("votes") && db.count("SELECT count(*) FROM votes") == 3);
    SpanData batch = Await.untilPresent("the batch span", LATER, () -> span(data -> data.getName().equals("process " + queue)));
    assertThat(batch.getLinks()).isEmpty();
    assertThat(batch.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    assertThat(redis.length(queue + ":dead")).isZero();
  }

  @Test
  void tracingIsOffWithoutOtelSettings() {
    assertThat(Tracing.fromEnv(Map.of(), "vote").enabled()).isFalse();
    assertThat(Tracing.fromEnv(Map.of("OTEL_TRACES_EXPORTER", "none"), "vote").enabled()).isFalse();
    assertThat(Tracing.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://x:4318", "OTEL_SDK_DISABLED", "true"), "vote")
        .enabled()).isFalse();
    assertThat(Tracing.OFF.tracer().spanBuilder("anything").startSpan().isRecording()).isFalse();
    InProcessApp untraced = app.another();
    try (RedisKeys keys = new RedisKeys(untraced.vertx, TestServers.redisUrl(), queue)) {
      // No tracer at all, not even the no-op one Vert.x would load from the class path.
      assertThat(((VertxInternal) untraced.vertx).tracer()).isNull();
      VoteService vote = Await.result(VoteService.deploy(untraced.vertx, config, untraced.management, 1));
      assertThat(new Browser(vote.port()).postForm("/", "vote=a").statusCode()).isEqualTo(200);
      assertThat(new JsonObject(keys.range(queue).get(0)).containsKey("traceparent")).isFalse();
    }
  }

  private Optional<SpanData> span(java.util.function.Predicate<SpanData> condition) {
    return spans.getFinishedSpanItems().stream().filter(condition).findFirst();
  }

  private SpanData only(java.util.function.Predicate<SpanData> condition) {
    List<SpanData> matching = spans.getFinishedSpanItems().stream().filter(condition).toList();
    assertThat(matching).as("spans: " + spans.getFinishedSpanItems()).hasSize(1);
    return matching.get(0);
  }

  private static LinkData linkOf(SpanData batch) {
    assertThat(batch.getLinks()).as("links of " + batch).hasSize(1);
    return batch.getLinks().get(0);
  }
}
