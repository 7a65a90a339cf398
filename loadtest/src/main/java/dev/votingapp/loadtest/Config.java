package dev.votingapp.loadtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The kit's settings. A key such as {@code vote.url} is looked up, first match wins, as the system
 * property {@code loadtest.vote.url} (mvn -Dloadtest.vote.url=…), the environment variable
 * {@code LOADTEST_VOTE_URL}, the scenario's default, then the kit's default. Bad values stop the run
 * before any load, naming the key.
 */
final class Config {

  /** The kit's defaults; each scenario overrides some of them. */
  static final Map<String, String> DEFAULTS = Map.ofEntries(
      Map.entry("vote.url", "http://127.0.0.1:5000"),
      Map.entry("result.url", "http://127.0.0.1:5001"),
      Map.entry("rate", "20"),
      Map.entry("duration", "60"),
      Map.entry("rampup", "0"),
      Map.entry("arrivals", "poisson"),
      Map.entry("bias", "0.6"),
      Map.entry("changers", "0.2"),
      Map.entry("repeaters", "0.2"),
      Map.entry("max.votes", "4"),
      Map.entry("think.min.ms", "200"),
      Map.entry("think.max.ms", "2000"),
      Map.entry("ballot", "true"),
      Map.entry("retries", "5"),
      Map.entry("retry.backoff.ms", "500"),
      Map.entry("watchers", "5"),
      Map.entry("watch.gap.ms", "1000"),
      Map.entry("slo.p99.ms", "100"),
      Map.entry("slo.failed.percent", "0.1"),
      Map.entry("enforce.latency", "true"),
      Map.entry("enforce.errors", "true"),
      Map.entry("enforce.watch.gap", "true"),
      Map.entry("drain", "auto"),
      Map.entry("drain.timeout", "120"),
      Map.entry("drain.command", ""),
      Map.entry("preflight.timeout", "60"),
      Map.entry("redis.url", ""),
      Map.entry("redis.password", ""),
      Map.entry("redis.password.file", ""),
      Map.entry("redis.queue", "votes"),
      Map.entry("metrics.vote", ""),
      Map.entry("metrics.worker", ""),
      Map.entry("metrics.result", ""),
      Map.entry("pg.url", ""),
      Map.entry("pg.host", ""),
      Map.entry("pg.port", "5432"),
      Map.entry("pg.database", "postgres"),
      Map.entry("pg.user", "postgres"),
      Map.entry("pg.password", ""),
      Map.entry("pg.password.file", ""),
      Map.entry("pg.devlog", ""),
      Map.entry("pg.command", ""),
      Map.entry("ramp.start", "250"),
      Map.entry("ramp.step", "250"),
      Map.entry("ramp.level", "20"),
      Map.entry("ramp.max", "5000"),
      Map.entry("ramp.warmup", "60"),
      Map.entry("event.loops", "2"),
      Map.entry("connect.timeout.ms", "5000"),
      Map.entry("request.timeout.ms", "10000"),
      Map.entry("kit.lag.ms", "20"),
      Map.entry("kit.cpu", "0.9"),
      Map.entry("kit.max.voters", "8000"),
      Map.entry("run.id", ""),
      Map.entry("injector.index", ""),
      Map.entry("injector.count", "1"),
      Map.entry("start.at", ""),
      Map.entry("ledger.dir", ""),
      Map.entry("merge.timeout", "600"),
      Map.entry("chaos.kill.worker", ""),
      Map.entry("chaos.start.worker", ""),
      Map.entry("chaos.restart.redis", ""),
      Map.entry("chaos.restart.postgres", ""),
      Map.entry("chaos.at.worker", "20"),
      Map.entry("chaos.worker.down", "5"),
      Map.entry("chaos.at.redis", "50"),
      Map.entry("chaos.at.postgres", "80"),
      Map.entry("chaos.timeout", "120"),
      Map.entry("output.dir", ""),
      Map.entry("results.file", ""),
      Map.entry("results.append", "false"),
      Map.entry("stack", ""));

  private final Map<String, String> scenarioDefaults;
  private final Map<String, String> env;
  private final Map<String, String> props;
  private final List<String> problems = new ArrayList<>();

  Config(Map<String, String> scenarioDefaults) {
    this(scenarioDefaults, System.getenv(), toMap(System.getProperties()));
  }

  Config(Map<String, String> scenarioDefaults, Map<String, String> env, Map<String, String> props) {
    this.scenarioDefaults = scenarioDefaults;
    this.env = env;
    this.props = props;
  }

  private static Map<String, String> toMap(java.util.Properties properties) {
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
    return map;
  }

  static String envName(String key) {
    return "LOADTEST_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The raw value, trimmed; "" when unset everywhere. */
  String get(String key) {
    if (!DEFAULTS.containsKey(key)) {
      throw new IllegalArgumentException("unknown setting " + key);
    }
    String value = props.get("loadtest." + key);
    if (value == null) {
      value = env.get(envName(key));
    }
    if (value == null) {
      value = scenarioDefaults.get(key);
    }
    if (value == null) {
      value = DEFAULTS.get(key);
    }
    return value.trim();
  }

  /** True when the setting has a non-empty value from anywhere. */
  boolean isSet(String key) {
    return !get(key).isEmpty();
  }

  String string(String key) {
    return get(key);
  }

  private <T> T parse(String key, Function<String, T> parser, T fallback, String expected) {
    String raw = get(key);
    try {
      return parser.apply(raw);
    } catch (RuntimeException bad) {
      problems.add(key + " (" + envName(key) + "): '" + raw + "' is not " + expected);
      return fallback;
    }
  }

  double number(String key, double min, double max) {
    double value = parse(key, Double::parseDouble, min, "a number");
    if (value < min || value > max || Double.isNaN(value)) {
      problems.add(key + " (" + envName(key) + "): " + value + " is not within " + min + ".." + max);
      return min;
    }
    return value;
  }

  int integer(String key, int min, int max) {
    int value = parse(key, Integer::parseInt, min, "a whole number");
    if (value < min || value > max) {
      problems.add(key + " (" + envName(key) + "): " + value + " is not within " + min + ".." + max);
      return min;
    }
    return value;
  }

  Duration seconds(String key, int min, int max) {
    return Duration.ofSeconds(integer(key, min, max));
  }

  boolean flag(String key) {
    String raw = get(key).toLowerCase(Locale.ROOT);
    switch (raw) {
      case "true", "yes", "1", "on":
        return true;
      case "false", "no", "0", "off", "":
        return false;
      default:
        problems.add(key + " (" + envName(key) + "): '" + raw + "' is not true or false");
        return false;
    }
  }

  String oneOf(String key, String... allowed) {
    String raw = get(key).toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(raw)) {
      problems.add(key + " (" + envName(key) + "): '" + raw + "' is not one of " + String.join(", ", allowed));
      return allowed[0];
    }
    return raw;
  }

  /** An http(s) URL without a trailing slash. */
  String url(String key) {
    String raw = get(key);
    if (raw.isEmpty()) {
      return "";
    }
    try {
      java.net.URI uri = new java.net.URI(raw);
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException();
      }
    } catch (java.net.URISyntaxException | IllegalArgumentException bad) {
      problems.add(key + " (" + envName(key) + "): '" + raw + "' is not an http(s) URL");
      return raw;
    }
    return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
  }

  /** A comma-separated list of URLs, each checked. */
  List<String> urls(String key) {
    List<String> urls = new ArrayList<>();
    for (String part : get(key).split(",")) {
      String raw = part.trim();
      if (raw.isEmpty()) {
        continue;
      }
      try {
        java.net.URI uri = new java.net.URI(raw);
        if (uri.getHost() == null) {
          throw new java.net.URISyntaxException(raw, "no host");
        }
        urls.add(raw);
      } catch (java.net.URISyntaxException bad) {
        problems.add(key + " (" + envName(key) + "): '" + raw + "' is not a URL");
      }
    }
    return urls;
  }

  /** A secret: the value of {@code key}, or else the first line of the file {@code key.file} names (Docker secrets). */
  String secret(String key) {
    String value = get(key);
    String file = get(key + ".file");
    if (!value.isEmpty() || file.isEmpty()) {
      return value;
    }
    try {
      return java.nio.file.Files.readString(Path.of(file)).lines().findFirst().orElse("").trim();
    } catch (java.io.IOException unreadable) {
      problems.add(key + ".file (" + envName(key + ".file") + "): cannot read " + file);
      return "";
    }
  }

  Optional<Path> path(String key) {
    String raw = get(key);
    return raw.isEmpty() ? Optional.empty() : Optional.of(Path.of(raw));
  }

  /** Throws naming every bad setting met so far. */
  void check() {
    if (!problems.isEmpty()) {
      throw new IllegalStateException("invalid load-test settings:\n  " + String.join("\n  ", problems));
    }
  }
}
