package dev.votingapp.ops;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Prometheus registry per process, shared by Vert.x's own meters (HTTP server, pools, JVM) and the
 * roles' counters. Metrics are fixed when Vertx is created, so every Vertx (launcher and tests) comes
 * from here.
 *
 * <p>Every label value comes from a bounded set, so no client can grow the registry: routes are the
 * router's templates (never the raw path), status codes are the ones the app sends, and methods are the
 * standard ones, anything else counted as {@code OTHER}.
 */
public final class Telemetry {

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");
  static final String OTHER_METHOD = "OTHER";
  private static final AtomicInteger REGISTRIES = new AtomicInteger();

  private Telemetry() {
  }

  public static final String APPLICATION = "voting-app";
  /** The latency buckets of HTTP requests, in seconds: the SLO's 0.1 s among them. */
  static final double[] HTTP_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /**
   * A registry whose every series says which application and which service it is from, as the
   * well-known JVM dashboards expect ({@code application}) and as the app's dashboards and alerts
   * select ({@code service}: vote, worker, result, or all for a process running every role).
   */
  public static PrometheusMeterRegistry newRegistry(String service) {
    return newRegistry(service, Tracing.OFF);
  }

  /** With tracing on, latency samples taken inside a span carry its trace id as an exemplar. */
  public static PrometheusMeterRegistry newRegistry(String service, Tracing tracing) {
    PrometheusMeterRegistry registry = tracing.enabled()
        ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), Clock.SYSTEM, new TraceExemplars())
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        .commonTags("application", APPLICATION, "service", service)
        .meterFilter(httpLatencyBuckets());
    // Open files against the limit, which Vert.x's JVM meters leave out.
    new FileDescriptorMetrics().bindTo(registry);
    return registry;
  }

  /** Fixed buckets at the SLO thresholds instead of Micrometer's ~70 generated ones per series. */
  private static MeterFilter httpLatencyBuckets() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("vertx.http.server.response.time")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(Buckets.seconds(HTTP_BUCKETS))
            .build()
            .merge(config);
      }
    };
  }

  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    return newVertx(registry, Tracing.OFF);
  }

  /** With tracing on, Vert.x traces its HTTP servers and its Redis and PostgreSQL clients. */
  public static Vertx newVertx(PrometheusMeterRegistry registry, Tracing tracing) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        // Vert.x keeps one meter backend per registry name for the whole JVM: a second Vertx under the
        // default name (the launcher's warm-up) would count its requests in the first one's registry.
        .setRegistryName("voting-app-" + REGISTRIES.incrementAndGet())
        .setJvmMetricsEnabled(true)
        // Not Label.HTTP_METHOD: that takes any token a client sends as a method; see method() below.
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE))
        .setServerRequestTagsProvider(request -> Tags.of(Tag.of("method", method(request))))
        .setPrometheusOptions(new VertxPrometheusOptions()
            .setEnabled(true)
            // No generated histograms (Micrometer's give ~70 buckets a series, up to 1e18 bytes for sizes):
            // latency gets the buckets of httpLatencyBuckets() instead.
            .setPublishQuantiles(false));
    VertxBuilder builder = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics).setPreferNativeTransport(true))
        .withMetrics(new MicrometerMetricsFactory(registry));
    // Off means off: Vert.x would otherwise load the OpenTelemetry tracer it finds on the class path and
    // trace every request with a no-op span (about a third of the vote service's throughput).
    builder.withTracer(tracing.enabled() ? new OpenTelemetryTracingFactory(tracing.openTelemetry()) : VertxTracerFactory.NOOP);
    return builder.build();
  }

  static String method(HttpRequest request) {
    String method = request.method().name().toUpperCase(Locale.ROOT);
    return METHODS.contains(method) ? method : OTHER_METHOD;
  }
}
