package dev.votingapp.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisStandaloneConnectOptions;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where Redis is and which list is the queue.
 *
 * @param url       REDIS_URL, may carry a user and a password; never log it, log {@link #safeUrl()}. A
 *                  password in the URL wins over REDIS_PASSWORD_FILE and is never read again: rotate
 *                  with the file
 * @param password  REDIS_PASSWORD, or REDIS_PASSWORD_FILE read again for every new connection, or null
 * @param username  REDIS_USERNAME: the ACL user (Redis 6 and later) the password belongs to, or null for
 *                  the URL's user, else Redis's {@code default} user
 * @param queueKey  the Redis list votes go through ("votes", as the reference app uses)
 * @param caCert    REDIS_CA_CERT: PEM file of the CA of a rediss:// server's certificate, or null for
 *                  the JVM's trusted CAs; the server's host name is always verified
 * @param waitReplicas REDIS_WAIT_REPLICAS: a vote is acknowledged only once Redis's WAIT says this many
 *                  replicas have it, so a failover to one of them cannot lose it; 0 (the default) does
 *                  not wait, as a single Redis with AOF needs
 */
public record RedisConfig(String url, Secret password, String username, String queueKey, String caCert,
                          int waitReplicas) {

  public String safeUrl() {
    return Redact.url(url);
  }

  /** The same server and credentials, another queue key (the warm-ups' queues of their own). */
  public RedisConfig withQueue(String otherQueueKey) {
    return new RedisConfig(url, password, username, otherQueueKey, caCert, waitReplicas);
  }

  public boolean tls() {
    return url.startsWith("rediss://");
  }

  /**
   * Every Redis client of the app comes from here: a pooled client whose password is read when a
   * connection is made (its HELLO or AUTH), so a rotated REDIS_PASSWORD_FILE is used from the next
   * connection on, and not for every command (the client asks for its options on each one).
   */
  public io.vertx.redis.client.Redis client(Vertx vertx, int maxPoolSize) {
    RedisOptions options = options(maxPoolSize);
    Future<RedisStandaloneConnectOptions> connect = Future.succeededFuture(new FreshPassword(options, password));
    return new ExplainedRedis(io.vertx.redis.client.Redis.createStandaloneClient(vertx, options, () -> connect), this::explain);
  }

  /**
   * The static part of a pooled client's options. A request waits for a pooled connection rather than
   * failing, and a dead server is noticed within the connect timeout instead of hanging a voter.
   */
  RedisOptions options(int maxPoolSize) {
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout(1_000)
        .setTcpKeepAlive(true)
        .setTcpNoDelay(true);
    if (tls()) {
      net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
          .setTrustOptions(caCert != null ? new PemTrustOptions().addCertPath(caCert) : JvmTrust.options());
    }
    RedisOptions options = new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(maxPoolSize)
        .setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(4096)
        .setNetClientOptions(net);
    if (username != null) {
      options.setUser(username);
    }
    return options;
  }

  /**
   * A refused login (WRONGPASS, NOAUTH), said with the user and what happens next; any other failure as
   * it is.
   */
  Throwable explain(Throwable failure) {
    String message = failure == null ? null : failure.getMessage();
    if (message == null || !(message.startsWith("WRONGPASS") || message.startsWith("NOAUTH"))) {
      return failure;
    }
    String user = username != null ? username : userInUrl() != null ? userInUrl() : "default";
    String next = password == null ? "no password is set (REDIS_PASSWORD_FILE)" : password.nextAttempt();
    return new LoginRefused("Redis refused the login of user " + user + ": " + message + "; " + next, failure);
  }

  /** The user part of REDIS_URL (redis://user:password@host), or null. */
  String userInUrl() {
    try {
      String info = new URI(url).getUserInfo();
      String user = info == null ? "" : info.split(":", 2)[0];
      return user.isEmpty() ? null : user;
    } catch (URISyntaxException unparseable) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + safeUrl() + (username != null ? ", user=" + username : "")
        + ", password=" + (password == null ? "none" : "***")
        + ", queueKey=" + queueKey + ", tls=" + tls() + (waitReplicas > 0 ? ", waitReplicas=" + waitReplicas : "") + "]";
  }

  /** Connect options whose password is the secret's content at the moment a connection logs in. */
  private static final class FreshPassword extends RedisStandaloneConnectOptions {
    private final Secret secret;

    FreshPassword(RedisOptions options, Secret secret) {
      super(options);
      this.secret = secret;
    }

    @Override
    public String getPassword() {
      return secret == null ? null : secret.value();
    }
  }
}
