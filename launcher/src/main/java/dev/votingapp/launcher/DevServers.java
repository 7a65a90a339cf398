package dev.votingapp.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * Real Redis and PostgreSQL servers for the "dev" role only, shipped as Maven artifacts: binaries,
 * data and logs all live in one temporary folder, removed with the servers at exit. No other role
 * ever starts these. A dev process killed with SIGKILL runs no exit code: then its {@link DevWatchdog}
 * stops the servers and removes the folder, or failing that the next dev start does ({@link DevLeftovers}).
 */
final class DevServers implements AutoCloseable {

  private final Path folder;
  private final RedisServer redis;
  private final int redisPort;
  private final EmbeddedPostgres postgres;
  private final DevWatchdog watchdog;

  private DevServers(Path folder, RedisServer redis, int redisPort, EmbeddedPostgres postgres, DevWatchdog watchdog) {
    this.folder = folder;
    this.redis = redis;
    this.redisPort = redisPort;
    this.postgres = postgres;
    this.watchdog = watchdog;
  }

  /** False in the slim jar the container images run, which leaves the embedded servers out. */
  static boolean available() {
    try {
      Class.forName("redis.embedded.RedisServer", false, DevServers.class.getClassLoader());
      Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false, DevServers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError slim) {
      return false;
    }
  }

  static DevServers start() throws IOException {
    Path folder = Files.createTempDirectory(DevLeftovers.PREFIX);
    RedisServer redis = null;
    DevWatchdog watchdog = null;
    try {
      DevLeftovers.claim(folder);
      watchdog = DevWatchdog.start(folder);
      DevLeftovers.removeThoseOfGoneOwners(folder);
      int redisPort = freePort();
      Path redisDir = Files.createDirectories(folder.resolve("redis"));
      redis = RedisServer.newRedisServer()
          .executableProvider(ExecutableProvider.newJarResourceProvider(redisDir.toFile()))
          .port(redisPort)
          .bind("127.0.0.1")
          .setting("dir " + redisDir)
          .setting("pidfile " + redisDir.resolve("redis.pid")) // for the watchdog
          .setting("save \"\"")
          .setting("appendonly no")
          .soutListener(line -> { })
          .build();
      redis.start();
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setOverrideWorkingDirectory(Files.createDirectories(folder.resolve("pg-binaries")).toFile())
          .setDataDirectory(folder.resolve("pg-data"))
          .setCleanDataDirectory(true)
          .setRegisterShutdownHook(false)
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(folder.resolve("postgres.log").toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(folder.resolve("postgres.log").toFile()))
          .start();
      return new DevServers(folder, redis, redisPort, postgres, watchdog);
    } catch (IOException | RuntimeException failed) {
      if (redis != null) {
        redis.stop();
      }
      DevLeftovers.delete(folder);
      if (watchdog != null) {
        watchdog.close();
      }
      throw failed;
    }
  }

  Path folder() {
    return folder;
  }

  /** The environment that points every role at these servers. */
  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
    env.put("PGHOST", "127.0.0.1");
    env.put("PGPORT", String.valueOf(postgres.getPort()));
    env.put("PGDATABASE", "postgres");
    env.put("PGUSER", "postgres");
    return env;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException ignored) {
      // still stop Redis and remove the folder
    }
    try {
      redis.stop();
    } catch (IOException ignored) {
      // still remove the folder
    }
    DevLeftovers.delete(folder);
    watchdog.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
