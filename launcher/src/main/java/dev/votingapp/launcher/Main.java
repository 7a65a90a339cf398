package dev.votingapp.launcher;

import ch.qos.logback.classic.LoggerContext;
import dev.votingapp.config.Config;
import dev.votingapp.config.ConfigException;
import dev.votingapp.ops.LogLayout;
import dev.votingapp.ops.Management;
import dev.votingapp.ops.ManagementServer;
import dev.votingapp.ops.Telemetry;
import dev.votingapp.ops.Tracing;
import dev.votingapp.web.PortInUse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar voting-app.jar COMMAND}: checks the configuration, then starts one role (or all) and
 * shuts it down gracefully on SIGTERM/SIGINT, or runs a task ({@link Task}) and exits with its status.
 * Exit status of a role: 0 after a graceful stop, 1 when the configuration is invalid or the role
 * cannot start; 2 for a missing or unknown command.
 */
public final class Main {

  static final int EXIT_CONFIG = 1;
  static final int EXIT_USAGE = 2;
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 30;

  private Main() {
  }

  public static void main(String[] args) throws InterruptedException {
    Command command = args.length == 1 ? command(args[0]).orElse(null) : null;
    // Before the first logger exists: the layout reads it once.
    chooseLogFormat(System.getenv("LOG_FORMAT"), command == Role.DEV);
    if (command instanceof Task task && !task.needsConfig()) {
      System.exit(task.run(System.getenv(), null));
    }
    if (command == null) {
      System.err.println(args.length == 0 ? "no role given" : "unknown role: " + String.join(" ", args));
      System.err.println(usage());
      System.exit(EXIT_USAGE);
      return;
    }
    ((LoggerContext) LoggerFactory.getILoggerFactory()).putProperty("role", command.word());
    Logger log = LoggerFactory.getLogger(Main.class);

    Map<String, String> env = new HashMap<>(System.getenv());
    Config config;
    try {
      Config.fromEnv(env); // checked before anything starts, embedded servers included
      if (command == Role.DEV) {
        // Ctrl-C on a laptop: nothing to drain, stop at once.
        env.putIfAbsent("SHUTDOWN_DRAIN_SECONDS", "0");
        env.putIfAbsent("WARMUP_SECONDS", "0");
        env.putAll(startDevServers(log));
      }
      config = Config.fromEnv(env);
    } catch (ConfigException invalid) {
      invalid.problems().forEach(problem -> log.error("Invalid configuration: {}", problem));
      System.exit(EXIT_CONFIG);
      return;
    }
    if (command instanceof Task task) {
      System.exit(task.run(env, config));
    } else {
      serve((Role) command, env, config, log);
    }
  }

  /** The command a word names: a role or a task. */
  static Optional<Command> command(String word) {
    return Stream.<Command>concat(Arrays.stream(Role.values()), Arrays.stream(Task.values()))
        .filter(command -> command.word().equals(word))
        .findFirst();
  }

  static String usage() {
    StringBuilder usage = new StringBuilder("usage: java -jar voting-app.jar ROLE\n\nroles:\n");
    for (Role role : Role.values()) {
      usage.append(String.format("  %-8s %s%n", role.word(), role.description()));
    }
    usage.append(String.format("%nother commands:%n"));
    for (Task task : Task.values()) {
      usage.append(String.format("  %-8s %s%n", task.word(), task.description()));
    }
    usage.append("\nEvery process serves /health, /ready and /metrics on MANAGEMENT_PORT (8081).");
    usage.append("\nConfiguration comes from environment variables; see the README.");
    return usage.toString();
  }

  /** Starts the role, its management port first, and serves until SIGTERM or SIGINT. */
  private static void serve(Role role, Map<String, String> env, Config config, Logger log) {
    Tracing tracing = Tracing.fromEnv(System.getenv(), role.serviceLabel());
    PrometheusMeterRegistry registry = Telemetry.newRegistry(role.serviceLabel(), tracing);
    Vertx vertx = Telemetry.newVertx(registry, tracing);
    Management management = new Management(vertx, registry, tracing);
    int drainSeconds = role.servesTraffic() ? config.http().drainSeconds() : 0;
    onTermination(vertx, management, drainSeconds, log);
    ManagementServer server = new ManagementServer(management, config.http());
    AtomicBoolean started = new AtomicBoolean();
    WarmUp warmUp = new WarmUp(role, env, config, config.http().warmUpSeconds());
    management.state("started", () -> started.get() ? null : "starting: warm-up, then the role");
    vertx.deployVerticle(server)
        .compose(listening -> warmUp.run(vertx))
        .compose(warm -> role.deploy(vertx, config, management))
        .onSuccess(deployed -> {
          started.set(true);
          log.info("Started {}; management on :{}{}", deployed, server.actualPort(), tracing.enabled() ? "; tracing on" : "");
        })
        .onFailure(failed -> {
          if (failed instanceof PortInUse) {
            // Said in full by the message; a stack trace would only bury it.
            log.error("Could not start {}: {}", role.word(), failed.getMessage());
          } else {
            log.error("Could not start {}: {}", role.word(), failed.getMessage(), failed);
          }
          vertx.close().onComplete(closed -> System.exit(EXIT_CONFIG));
        });
  }

  /**
   * LOG_FORMAT: json (one object per line, for Loki; the default of every role but dev) or text (one
   * short line per event for a person; the default of dev). Anything else stops the process.
   */
  static void chooseLogFormat(String configured, boolean dev) {
    String format = configured == null || configured.isBlank()
        ? (dev ? "text" : "json")
        : configured.trim().toLowerCase(Locale.ROOT);
    if (!format.equals("json") && !format.equals("text")) {
      System.err.println("Invalid configuration: LOG_FORMAT must be json or text, not '" + configured.trim() + "'");
      System.exit(EXIT_CONFIG);
    }
    System.setProperty(LogLayout.PROPERTY, format);
  }

  /** Embedded Redis and PostgreSQL, stopped and removed when the JVM exits (after Vert.x has closed). */
  private static Map<String, String> startDevServers(Logger log) {
    if (!DevServers.available()) {
      log.error("The dev role needs launcher/target/voting-app.jar; this slim jar (the container images' one) has no embedded servers");
      System.exit(EXIT_CONFIG);
    }
    try {
      DevServers servers = DevServers.start();
      Runtime.getRuntime().addShutdownHook(new Thread(servers::close, "dev-servers"));
      log.info("Embedded Redis and PostgreSQL running in {}", servers.folder());
      return servers.env();
    } catch (IOException failed) {
      log.error("Could not start embedded Redis and PostgreSQL", failed);
      System.exit(EXIT_CONFIG);
      return Map.of();
    }
  }

  /**
   * SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C): /ready turns 503 at once and the public ports
   * keep serving for the drain period, so load balancers take the instance out first; then Vert.x closes,
   * which undeploys every verticle: each stops accepting, finishes what is in flight and closes its
   * clients. Then exit 0, which a JVM killed by a signal would not give.
   */
  private static void onTermination(Vertx vertx, Management management, int drainSeconds, Logger log) {
    AtomicBoolean closing = new AtomicBoolean();
    Runnable shutdown = () -> {
      if (!closing.compareAndSet(false, true)) {
        return;
      }
      management.drain();
      try {
        if (drainSeconds > 0) {
          log.info("Shutting down: not ready from now on, still serving for {} s", drainSeconds);
          Thread.sleep(TimeUnit.SECONDS.toMillis(drainSeconds));
        }
        log.info("Shutting down");
        vertx.close().toCompletionStage().toCompletableFuture().get(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        log.info("Stopped");
        System.exit(0);
      } catch (Exception failed) {
        log.error("Shutdown did not complete in time", failed);
        System.exit(EXIT_CONFIG);
      }
    };
    Signal.handle(new Signal("TERM"), signal -> new Thread(shutdown, "shutdown").start());
    Signal.handle(new Signal("INT"), signal -> new Thread(shutdown, "shutdown").start());
  }
}
