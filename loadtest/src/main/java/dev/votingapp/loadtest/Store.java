package dev.votingapp.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The votes table, read the way the reference result service reads it. Reached by JDBC (pg.url, or
 * pg.host/port/database/user/password), through the dev role's embedded server (pg.devlog: the dev
 * role's log names its folder, whose postmaster.pid names the port), or through a command that runs
 * psql somewhere else (pg.command, e.g. {@code docker compose exec -T db psql -U postgres -At -F'|'}),
 * which gets the SQL on stdin and prints rows as {@code col|col}.
 */
final class Store {

  static final String COUNTS = "SELECT vote, COUNT(id) FROM votes GROUP BY vote";

  private static final Pattern DEV_FOLDER = Pattern.compile("Embedded Redis and PostgreSQL running in ([^\"\\s]+)");

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final String command;

  private Store(String jdbcUrl, String user, String password, String command) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.command = command;
  }

  /** Null when nothing says where PostgreSQL is. */
  static Store from(Config config) throws IOException {
    String user = config.string("pg.user");
    String password = config.secret("pg.password");
    if (config.isSet("pg.command")) {
      return new Store(null, user, password, config.string("pg.command"));
    }
    if (config.isSet("pg.url")) {
      return new Store(config.string("pg.url"), user, password, null);
    }
    if (config.isSet("pg.host")) {
      return new Store("jdbc:postgresql://" + config.string("pg.host") + ":" + config.string("pg.port") + "/"
          + config.string("pg.database"), user, password, null);
    }
    if (config.isSet("pg.devlog")) {
      return new Store("jdbc:postgresql://127.0.0.1:" + devPort(Path.of(config.string("pg.devlog"))) + "/postgres",
          "postgres", "", null);
    }
    return null;
  }

  private static int devPort(Path log) throws IOException {
    Matcher folder = DEV_FOLDER.matcher(Files.readString(log, StandardCharsets.UTF_8));
    if (!folder.find()) {
      throw new IOException(log + " does not name the dev role's folder (no 'Embedded Redis and PostgreSQL running in')");
    }
    // postmaster.pid: pid, data directory, start time, port, …
    List<String> pid = Files.readAllLines(Path.of(folder.group(1), "pg-data", "postmaster.pid"));
    return Integer.parseInt(pid.get(3).trim());
  }

  String where() {
    return command != null ? "command: " + command : jdbcUrl;
  }

  /** SELECT vote, COUNT(id) FROM votes GROUP BY vote. */
  Map<String, Long> counts() throws IOException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String[] row : query(COUNTS, null)) {
      counts.put(row[0], Long.parseLong(row[1]));
    }
    return counts;
  }

  /** id -> vote for every row whose id starts with the run's prefix. */
  Map<String, String> rows(String prefix) throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String[] row : query("SELECT id, vote FROM votes WHERE id LIKE ?", prefix + "%")) {
      rows.put(row[0], row[1]);
    }
    return rows;
  }

  private List<String[]> query(String sql, String parameter) throws IOException {
    return command != null ? viaCommand(parameter == null ? sql : sql.replace("?", "'" + parameter.replace("'", "''") + "'"))
        : viaJdbc(sql, parameter);
  }

  private List<String[]> viaJdbc(String sql, String parameter) throws IOException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password.isEmpty() ? null : password);
         PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setQueryTimeout(30);
      if (parameter != null) {
        statement.setString(1, parameter);
      }
      List<String[]> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          rows.add(new String[] {result.getString(1), result.getString(2)});
        }
      }
      return rows;
    } catch (SQLException failed) {
      throw new IOException("PostgreSQL (" + jdbcUrl + "): " + failed.getMessage(), failed);
    }
  }

  private List<String[]> viaCommand(String sql) throws IOException {
    Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(false).start();
    process.getOutputStream().write((sql + ";\n").getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("pg.command failed: " + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", interrupted);
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : output.split("\n")) {
      int bar = line.indexOf('|');
      if (bar > 0) {
        rows.add(new String[] {line.substring(0, bar).trim(), line.substring(bar + 1).trim()});
      }
    }
    return rows;
  }
}
