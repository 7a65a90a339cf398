package dev.votingapp.common;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.RedisOptions;

/**
 * Where Redis is and which list is the queue.
 *
 * @param url       REDIS_URL, may carry a password; never log it, log {@link #safeUrl()}
 * @param password  REDIS_PASSWORD or the content of REDIS_PASSWORD_FILE, or null
 * @param queueKey  the Redis list votes go through ("votes", as the reference app uses)
 * @param caCert    REDIS_CA_CERT: PEM file of the CA of a rediss:// server's certificate, or null for
 *                  the JVM's trusted CAs; the server's host name is always verified
 * @param waitReplicas REDIS_WAIT_REPLICAS: a vote is acknowledged only once Redis's WAIT says this many
 *                  replicas have it, so a failover to one of them cannot lose it; 0 (the default) does
 *                  not wait, as a single Redis with AOF needs
 */
public record RedisConfig(String url, String password, String queueKey, String caCert, int waitReplicas) {

  public RedisConfig(String url, String password, String queueKey) {
    this(url, password, queueKey, null, 0);
  }

  public RedisConfig(String url, String password, String queueKey, String caCert) {
    this(url, password, queueKey, caCert, 0);
  }

  public String safeUrl() {
    return Redact.url(url);
  }

  public boolean tls() {
    return url.startsWith("rediss://");
  }

  /**
   * Client options for a pooled client. A request waits for a pooled connection rather than failing,
   * and a dead server is noticed within the connect timeout instead of hanging a voter.
   */
  public RedisOptions options(int maxPoolSize) {
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
    if (password != null) {
      options.setPassword(password);
    }
    return options;
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + safeUrl() + ", password=" + (password == null ? "none" : "***")
        + ", queueKey=" + queueKey + ", tls=" + tls() + (waitReplicas > 0 ? ", waitReplicas=" + waitReplicas : "") + "]";
  }
}
