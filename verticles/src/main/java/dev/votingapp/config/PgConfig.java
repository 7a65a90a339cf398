package dev.votingapp.config;

import io.vertx.core.Future;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.SqlConnectOptions;
import java.util.function.Supplier;

/**
 * PostgreSQL connection from the standard PG* variables; the password never appears in toString.
 *
 * @param password    PGPASSWORD, or PGPASSWORD_FILE read again for every new connection; null for none
 * @param sslMode     PGSSLMODE, as libpq reads it: disable (default), allow, prefer, require (encrypted,
 *                    server not verified unless a root certificate is given), verify-ca, verify-full
 * @param sslRootCert PGSSLROOTCERT: PEM file of the CA that signed the server's certificate (RDS and
 *                    Cloud SQL publish theirs); without it the JVM's trusted CAs are used for verify-*
 */
public record PgConfig(String host, int port, String database, String user, Secret password,
                       String sslMode, String sslRootCert) {

  /** SQLSTATE class 28: the server refused the login (28P01 a wrong password, 28000 no such login allowed). */
  private static final String REFUSED_LOGIN = "28";

  public PgConfig(String host, int port, String database, String user, String password) {
    this(host, port, database, user, Secret.of(password), "disable", null);
  }

  /**
   * Options for one connection, with the password as it is now: call once per connection attempt (a
   * pool does, through {@link #connector}), never keep the result for later connections.
   */
  public PgConnectOptions connectOptions() {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPipeliningLimit(256)
        // The app's statements are a few fixed texts: parsed and planned once per connection, not per
        // batch (the worker's upsert spent longer in PostgreSQL's parser than in its execution).
        .setCachePreparedStatements(true);
    if (password != null) {
      options.setPassword(password.value());
    }
    SslMode mode = sslMode == null ? SslMode.DISABLE : SslMode.of(sslMode);
    if (mode != SslMode.DISABLE) {
      options.setSslMode(mode).setSslOptions(ssl(mode));
    }
    return options;
  }

  private ClientSSLOptions ssl(SslMode mode) {
    ClientSSLOptions ssl = new ClientSSLOptions()
        .setHostnameVerificationAlgorithm(mode == SslMode.VERIFY_FULL ? "HTTPS" : "");
    boolean verify = mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
    if (sslRootCert != null) {
      ssl.setTrustOptions(new PemTrustOptions().addCertPath(sslRootCert));
    } else if (verify) {
      ssl.setTrustOptions(JvmTrust.options());
    } else {
      // libpq's require/prefer/allow without a root certificate: encrypted, server not verified.
      ssl.setTrustAll(true);
    }
    return ssl;
  }

  /**
   * What a pool connects with: options made when a connection is made, so the password file is read
   * then, and only then. {@code applicationName} shows in pg_stat_activity.
   */
  public Supplier<Future<SqlConnectOptions>> connector(String applicationName) {
    return () -> {
      try {
        return Future.succeededFuture(connectOptions().addProperty("application_name", applicationName));
      } catch (RuntimeException failed) {
        return Future.failedFuture(failed);
      }
    };
  }

  /**
   * A refused login, said with the user and what happens next (a password file is read again at the
   * next attempt); any other failure as it is. Never the password: the server does not send it back.
   */
  public Throwable explain(Throwable failure) {
    if (failure instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith(REFUSED_LOGIN)) {
      String why = pg.getErrorMessage() != null ? pg.getErrorMessage() : pg.getMessage();
      return new LoginRefused("PostgreSQL refused the login: " + why + "; "
          + (password == null ? "no password is set (PGPASSWORD_FILE)" : password.nextAttempt()), failure);
    }
    return failure;
  }

  /** The same server and role, another database. */
  public PgConfig on(String otherDatabase) {
    return new PgConfig(host, port, otherDatabase, user, password, sslMode, sslRootCert);
  }

  /** The same server under another role (the result service's read-only one, for instance). */
  public PgConfig as(String otherUser, String otherPassword) {
    return new PgConfig(host, port, database, otherUser, Secret.of(otherPassword), sslMode, sslRootCert);
  }

  @Override
  public String toString() {
    return "PgConfig[" + user + "@" + host + ":" + port + "/" + database
        + ", password=" + (password == null ? "none" : "***") + ", sslmode=" + sslMode + "]";
  }
}
