package dev.votingapp.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A password, given as a value (NAME) or as a file (NAME_FILE, as Docker and Kubernetes mount secrets).
 * A file is read again for every new connection, so a rotated secret (Kubernetes re-syncs the mounted
 * file, an operator rewrites a Compose secret) is used from the next connection on, with no restart;
 * connections already open keep working. Reading a file of a few bytes costs microseconds against a
 * login's milliseconds, and, unlike a check of its modification time first, never misses a rewrite of
 * the same length within the file system's timestamp granularity.
 *
 * <p>A file that cannot be read for a moment (deleted, or empty while an editor rewrites it) leaves the
 * last content in use, with one warning: a login with it may still work, while none is possible without
 * a password. Never in a log or a message: {@link #toString} is {@code ***}.
 */
public final class Secret {

  private static final Logger LOG = LoggerFactory.getLogger(Secret.class);

  private final String variable;
  private final Path file;
  private String current;
  private boolean unreadable;

  private Secret(String variable, Path file, String current) {
    this.variable = variable;
    this.file = file;
    this.current = current;
  }

  /** A password that does not change while the process runs (null for none). */
  public static Secret of(String value) {
    return value == null ? null : new Secret(null, null, value);
  }

  /** NAME from the environment: fixed until a restart. */
  static Secret fixed(String variable, String value) {
    return new Secret(variable, null, value);
  }

  /**
   * NAME_FILE: read now (so an unreadable file stops the process at start, naming the variable), and
   * again for every connection made later.
   */
  static Secret file(String variable, Path file) throws IOException {
    return new Secret(variable, file, read(file));
  }

  /** The password to log in with now: for a file, its content at this moment, without the trailing newline. */
  public synchronized String value() {
    if (file == null) {
      return current;
    }
    try {
      String read = read(file);
      if (read.isEmpty() && !current.isEmpty()) {
        throw new IOException("the file is empty");
      }
      if (!read.equals(current)) {
        LOG.info("{} ({}) changed: new connections log in with its new content", variable, file);
        current = read;
      }
      if (unreadable) {
        LOG.info("{} ({}) can be read again", variable, file);
        unreadable = false;
      }
    } catch (IOException | RuntimeException failed) {
      if (!unreadable) {
        unreadable = true;
        LOG.warn("{} ({}) cannot be read now ({}): new connections log in with its last content",
            variable, file, failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage());
      }
    }
    return current;
  }

  /** Where it comes from, for messages: "PGPASSWORD_FILE (/run/secrets/x)", "PGPASSWORD", or "a fixed password". */
  public String source() {
    if (file != null) {
      return variable + " (" + file + ")";
    }
    return variable != null ? variable : "a fixed password";
  }

  /** What happens after a server refused it, for logs and /ready: a file is read again, a value is not. */
  public String nextAttempt() {
    return file != null
        ? source() + " is read again at the next attempt"
        : source() + " stays the same until a restart (a password file would be read again at every attempt)";
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Secret that)) {
      return false;
    }
    return file != null ? file.equals(that.file) && Objects.equals(variable, that.variable)
        : that.file == null && Objects.equals(variable, that.variable) && Objects.equals(current, that.current);
  }

  @Override
  public int hashCode() {
    return Objects.hash(variable, file);
  }

  @Override
  public String toString() {
    return "***";
  }
}
