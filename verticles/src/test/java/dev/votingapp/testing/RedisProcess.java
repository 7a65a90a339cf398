package dev.votingapp.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's redis-server as a process of the test's own, on a loopback port, that the test can pause
 * (SIGSTOP), resume, kill with SIGKILL, or make a replica of another. Skipped where it is not
 * installed, unless REQUIRE_REDIS_SERVER is set (CI sets it).
 */
public final class RedisProcess implements AutoCloseable {

  private static final String REDIS_SERVER = "/usr/bin/redis-server";

  private final Process process;
  private final int port;
  /** User and password {@link #command} logs in with first (a server with ACL users), or null. */
  private volatile String[] login;

  private RedisProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** A Redis with no persistence, in {@code dir}; extra arguments as redis-server takes them ("--replicaof", "127.0.0.1", "6379"). */
  public static RedisProcess start(Path dir, String... arguments) throws IOException {
    boolean installed = new File(REDIS_SERVER).canExecute();
    if (!installed && System.getenv("REQUIRE_REDIS_SERVER") != null) {
      throw new IllegalStateException("REQUIRE_REDIS_SERVER is set but " + REDIS_SERVER + " is missing");
    }
    Assumptions.assumeTrue(installed, "Debian's redis-server is not installed (apt-get install redis-server)");
    int port = FreePort.find();
    List<String> command = new ArrayList<>(List.of(REDIS_SERVER, "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
    RedisProcess redis = new RedisProcess(process, port);
    Await.until("redis-server listening on " + port, Await.SOON, redis::answers);
    return redis;
  }

  /** A replica of {@code primary}, with its first sync done. */
  public static RedisProcess replicaOf(RedisProcess primary, Path dir) throws IOException {
    return replicaOf(primary.port, dir);
  }

  /** A replica of the primary at {@code primaryPort} (a proxy in front of it, say), with its first sync done. */
  public static RedisProcess replicaOf(int primaryPort, Path dir) throws IOException {
    RedisProcess replica = start(dir, "--replicaof", "127.0.0.1", String.valueOf(primaryPort));
    Await.until("replica in sync with " + primaryPort, Await.SOON,
        () -> replica.command("INFO", "replication").contains("master_link_status:up"));
    return replica;
  }

  public int port() {
    return port;
  }

  /** From now on {@link #command} logs in as this ACL user first (for a server whose default user is off). */
  public RedisProcess loggedInAs(String user, String password) {
    login = new String[] {user, password};
    return this;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void pause() {
    signal("STOP");
  }

  public void resume() {
    signal("CONT");
  }

  /** SIGKILL: whatever it had not replicated yet is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** REPLICAOF NO ONE: the replica becomes a primary, as a failover does. */
  public void promote() {
    String reply = command("REPLICAOF", "NO", "ONE");
    if (!reply.startsWith("+OK")) {
      throw new IllegalStateException("REPLICAOF NO ONE answered " + reply);
    }
  }

  /** One command over a plain socket (RESP), its raw reply. */
  public String command(String... words) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      String[] user = login;
      if (user != null) {
        out.write(resp("AUTH", user[0], user[1]));
        out.flush();
        String answer = new String(buffer, 0, Math.max(in.read(buffer), 0), StandardCharsets.UTF_8);
        if (!answer.startsWith("+OK")) {
          throw new IllegalStateException("AUTH as " + user[0] + " answered " + answer.strip());
        }
      }
      out.write(resp(words));
      out.flush();
      int n = in.read(buffer);
      // A bulk reply may come in several reads; INFO fits in a few, read what is there.
      StringBuilder reply = new StringBuilder(new String(buffer, 0, Math.max(n, 0), StandardCharsets.UTF_8));
      while (in.available() > 0 && (n = in.read(buffer)) > 0) {
        reply.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      return reply.toString();
    } catch (IOException failed) {
      throw new IllegalStateException("redis-server on " + port + ": " + failed.getMessage(), failed);
    }
  }

  private static byte[] resp(String... words) {
    StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
    for (String word : words) {
      request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
    }
    return request.toString().getBytes(StandardCharsets.UTF_8);
  }

  private boolean answers() {
    if (!process.isAlive()) {
      throw new AssertionError("redis-server exited: " + process.exitValue());
    }
    try {
      String reply = command("PING");
      // A server whose default user is off answers too: it asks for a login.
      return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
    } catch (IllegalStateException notYet) {
      return false;
    }
  }

  private void signal(String name) {
    try {
      int status = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor();
      if (status != 0) {
        throw new IllegalStateException("kill -" + name + " exited " + status);
      }
    } catch (IOException | InterruptedException failed) {
      throw new IllegalStateException("kill -" + name, failed);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      resume();
      process.destroyForcibly();
    }
  }
}
