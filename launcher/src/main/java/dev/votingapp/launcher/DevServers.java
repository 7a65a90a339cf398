package dev.votingapp.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * Real Redis and PostgreSQL servers for the "dev" role only, shipped as Maven artifacts: binaries,
 * data and logs all live in one temporary folder, removed with the servers at exit. No other role
 * ever starts these.
 */
final class DevServers implements AutoCloseable {

  private final Path folder;
  private final RedisServer redis;
  private final int redisPort;
  private final EmbeddedPostgres postgres;

  private DevServers(Path folder, RedisServer redis, int redisPort, EmbeddedPostgres postgres) {
    this.folder = folder;
    this.redis = redis;
    this.redisPort = redisPort;
    this.postgres = postgres;
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
    Path folder = Files.createTempDirectory("voting-app-dev-");
    RedisServer redis = null;
    try {
      int redisPort = freePort();
      Path redisDir = Files.createDirectories(folder.resolve("redis"));
      redis = RedisServer.newRedisServer()
          .executableProvider(ExecutableProvider.newJarResourceProvider(redisDir.toFile()))
          .port(redisPort)
          .bind("127.0.0.1")
          .setting("dir " + redisDir)
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
      return new DevServers(folder, redis, redisPort, postgres);
    } catch (IOException | RuntimeException failed) {
      if (redis != null) {
        redis.stop();
      }
      delete(folder);
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
    delete(folder);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException failed) {
          throw new UncheckedIOException(failed);
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // best effort at exit
    }
  }
}
