package dev.votingapp.common;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

/**
 * PostgreSQL connection from the standard PG* variables; the password never appears in toString.
 *
 * @param sslMode     PGSSLMODE, as libpq reads it: disable (default), allow, prefer, require (encrypted,
 *                    server not verified unless a root certificate is given), verify-ca, verify-full
 * @param sslRootCert PGSSLROOTCERT: PEM file of the CA that signed the server's certificate (RDS and
 *                    Cloud SQL publish theirs); without it the JVM's trusted CAs are used for verify-*
 */
public record PgConfig(String host, int port, String database, String user, String password,
                       String sslMode, String sslRootCert) {

  public PgConfig(String host, int port, String database, String user, String password) {
    this(host, port, database, user, password, "disable", null);
  }

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

  /** The same server under another role (the result service's read-only one, for instance). */
  public PgConfig as(String otherUser, String otherPassword) {
    return new PgConfig(host, port, database, otherUser, otherPassword, sslMode, sslRootCert);
  }

  @Override
  public String toString() {
    return "PgConfig[" + user + "@" + host + ":" + port + "/" + database
        + ", password=" + (password == null ? "none" : "***") + ", sslmode=" + sslMode + "]";
  }
}
