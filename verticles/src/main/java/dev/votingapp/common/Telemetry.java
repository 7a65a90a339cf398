package dev.votingapp.common;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

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

  private Telemetry() {
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // Not Label.HTTP_METHOD: that takes any token a client sends as a method; see method() below.
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE))
        .setServerRequestTagsProvider(request -> Tags.of(Tag.of("method", method(request))))
        .setPrometheusOptions(new VertxPrometheusOptions()
            .setEnabled(true)
            .setPublishQuantiles(true)); // latency histogram buckets, for histogram_quantile()
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  static String method(HttpRequest request) {
    String method = request.method().name().toUpperCase(Locale.ROOT);
    return METHODS.contains(method) ? method : OTHER_METHOD;
  }
}
