package dev.votingapp.common;

import io.vertx.pgclient.PgConnectOptions;

/** PostgreSQL connection from the standard PG* variables; the password never appears in toString. */
public record PgConfig(String host, int port, String database, String user, String password) {

  public PgConnectOptions connectOptions() {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPipeliningLimit(256);
    if (password != null) {
      options.setPassword(password);
    }
    return options;
  }

  @Override
  public String toString() {
    return "PgConfig[" + user + "@" + host + ":" + port + "/" + database
        + ", password=" + (password == null ? "none" : "***") + "]";
  }
}
