package dev.votingapp.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads environment variables with defaults and collects every problem, so one start reports all
 * misconfigured variables at once instead of one per restart. Used by {@link Config} and by the
 * launcher's roles command.
 */
public final class Env {

  private final Map<String, String> vars;
  private final List<String> problems = new ArrayList<>();

  public Env(Map<String, String> vars) {
    this.vars = vars;
  }

  /** The value, or the default when the variable is unset or blank. */
  public String string(String name, String fallback) {
    String value = vars.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  public String label(String name, String fallback, int maxLength) {
    String value = string(name, fallback);
    if (value.length() > maxLength) {
      problems.add(name + " must be at most " + maxLength + " characters, got " + value.length());
    }
    return value;
  }

  /** A TCP port; 0 means "any free port" (used by tests). */
  public int port(String name, int fallback) {
    return intIn(name, fallback, 0, 65_535);
  }

  public int intIn(String name, int fallback, int min, int max) {
    String raw = vars.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    problems.add(name + " must be a number from " + min + " to " + max + ", got '" + raw + "'");
    return fallback;
  }

  /** A name safe inside Redis key names: letters, digits, dot, dash, underscore. */
  public String workerId(String name, String fallback) {
    String value = string(name, fallback).replaceAll("[^A-Za-z0-9._-]", "-");
    String raw = vars.get(name);
    if (raw != null && !raw.isBlank() && !raw.trim().matches("[A-Za-z0-9._-]{1,100}")) {
      problems.add(name + " must be 1 to 100 letters, digits, '.', '-' or '_', got '" + raw + "'");
    }
    return value.length() > 100 ? value.substring(0, 100) : value;
  }

  /** A redis:// or rediss:// URL with a host, an optional port and an optional database number. */
  public String redisUrl(String name, String fallback) {
    String raw = string(name, fallback);
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme();
      String path = uri.getPath() == null ? "" : uri.getPath();
      boolean schemeOk = "redis".equals(scheme) || "rediss".equals(scheme);
      boolean hostOk = uri.getHost() != null && !uri.getHost().isBlank();
      boolean portOk = uri.getPort() == -1 || (uri.getPort() > 0 && uri.getPort() <= 65_535);
      boolean dbOk = path.isEmpty() || path.equals("/") || path.matches("/\\d{1,2}");
      if (schemeOk && hostOk && portOk && dbOk) {
        return raw;
      }
    } catch (URISyntaxException unparseable) {
      // reported below
    }
    problems.add(name + " must look like redis://host:6379 or redis://host:6379/0, got '" + Redact.url(raw) + "'");
    return fallback;
  }

  /**
   * A secret from NAME or from the file named by NAME_FILE (as Docker and Kubernetes mount secrets);
   * null when neither is set. Setting both is ambiguous and rejected. A file must be readable now, and is
   * read again for each new connection ({@link Secret}); a trailing newline in it is dropped.
   */
  public Secret secret(String name) {
    String direct = vars.get(name);
    String file = vars.get(name + "_FILE");
    boolean hasDirect = direct != null && !direct.isEmpty();
    boolean hasFile = file != null && !file.isBlank();
    if (hasDirect && hasFile) {
      problems.add("set " + name + " or " + name + "_FILE, not both");
      return null;
    }
    if (hasFile) {
      return passwordFile(name + "_FILE");
    }
    return hasDirect ? Secret.fixed(name, direct) : null;
  }

  /** A secret only from the file named by {@code name} (a *_PASSWORD_FILE); null when unset. */
  public Secret passwordFile(String name) {
    String file = vars.get(name);
    if (file == null || file.isBlank()) {
      return null;
    }
    try {
      return Secret.file(name, Path.of(file.trim()));
    } catch (IOException | RuntimeException unreadable) {
      problems.add(name + " names a file that cannot be read: " + file.trim()
          + " (" + unreadable.getClass().getSimpleName() + ")");
      return null;
    }
  }

  /** One of the allowed values (case-insensitive), or the default when unset. */
  public String oneOf(String name, String fallback, List<String> allowed) {
    String value = string(name, fallback);
    if (value == null) {
      return null;
    }
    String lower = value.toLowerCase(java.util.Locale.ROOT);
    if (!allowed.contains(lower)) {
      problems.add(name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
      return fallback;
    }
    return lower;
  }

  /** A path to a readable file (a certificate, say), or null when unset. */
  public String readableFile(String name) {
    String value = string(name, null);
    if (value != null && !Files.isReadable(Path.of(value))) {
      problems.add(name + " names a file that cannot be read: " + value);
      return null;
    }
    return value;
  }

  /** A comma-separated list; empty when unset. */
  public List<String> list(String name) {
    String value = string(name, "");
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  public void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }
}
