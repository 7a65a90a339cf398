package dev.votingapp.testing;

import dev.votingapp.config.PgConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL 15 cluster of the test's own that checks passwords ({@code initdb --auth=scram-sha-256},
 * Debian's postgresql-15), on a free loopback port: the machine's server trusts every local login, so
 * it cannot show a wrong or rotated password. Run as the {@code postgres} user when the test runs as
 * root (initdb refuses root). Skipped where postgresql-15 is not installed, unless
 * REQUIRE_SCRAM_POSTGRES is set (CI sets it).
 *
 * @param dir the cluster's folder (its data, socket and log)
 * @param bin postgresql-15's bin folder
 * @param superuser the superuser, logging in with its password
 */
public record ScramPostgres(Path dir, Path bin, PgConfig superuser) implements AutoCloseable {

  public static ScramPostgres start() throws IOException, InterruptedException {
    Path bin = binDir();
    boolean installed = bin != null;
    if (!installed && System.getenv("REQUIRE_SCRAM_POSTGRES") != null) {
      throw new IllegalStateException("REQUIRE_SCRAM_POSTGRES is set but postgresql-15's initdb is missing (apt-get install postgresql-15)");
    }
    Assumptions.assumeTrue(installed, "postgresql-15 is not installed (apt-get install postgresql-15)");
    // Under /tmp, not the build folder: the postgres user must be able to reach it.
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "scram-pg-");
    String password = UUID.randomUUID().toString();
    Files.writeString(dir.resolve("pwfile"), password + "\n");
    if (root()) {
      run(dir, List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
    }
    int port = FreePort.find();
    ScramPostgres cluster = new ScramPostgres(dir, bin, new PgConfig("127.0.0.1", port, "postgres", "postgres", password));
    try {
      run(dir, List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
          "--auth=scram-sha-256", "--pwfile=" + dir.resolve("pwfile"), "-E", "UTF8", "--no-locale"), true);
      run(dir, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
          "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "-w", "start"), true);
      return cluster;
    } catch (IOException | RuntimeException failed) {
      cluster.close();
      throw failed;
    }
  }

  public int port() {
    return superuser.port();
  }

  /** The server's log, for a failure message. */
  public String log() {
    try {
      return Files.readString(dir.resolve("log"), StandardCharsets.UTF_8);
    } catch (IOException failed) {
      return "(no log: " + failed.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        run(dir, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), true);
      }
    } catch (IOException | InterruptedException | RuntimeException failed) {
      // still remove the folder
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** postgresql-15's bin folder, as dpkg lists it; null when the package is not installed. */
  private static Path binDir() {
    try {
      Process dpkg = new ProcessBuilder("dpkg", "-L", "postgresql-15").redirectErrorStream(true).start();
      String listing = new String(dpkg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!dpkg.waitFor(30, TimeUnit.SECONDS) || dpkg.exitValue() != 0) {
        return null;
      }
      return listing.lines().filter(line -> line.endsWith("/bin/initdb")).findFirst()
          .map(initdb -> Path.of(initdb).getParent()).filter(folder -> Files.isExecutable(folder.resolve("pg_ctl")))
          .orElse(null);
    } catch (IOException | InterruptedException notDebian) {
      return null;
    }
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Runs a command (as the postgres user when {@code asPostgres} and this is root); fails with its output. */
  private static void run(Path dir, List<String> command, boolean asPostgres) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres && root()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path output = Files.createTempFile("scram-pg", ".out");
    try {
      Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": still running after 60 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ":\n"
            + Files.readString(output, StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
