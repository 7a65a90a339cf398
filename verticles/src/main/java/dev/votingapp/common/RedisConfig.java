package dev.votingapp.common;

import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.RedisOptions;

/**
 * Where Redis is and which list is the queue.
 *
 * @param url       REDIS_URL, may carry a password; never log it, log {@link #safeUrl()}
 * @param password  REDIS_PASSWORD or the content of REDIS_PASSWORD_FILE, or null
 * @param queueKey  the Redis list votes go through ("votes", as the reference app uses)
 */
public record RedisConfig(String url, String password, String queueKey) {

  public String safeUrl() {
    return Redact.url(url);
  }

  /**
   * Client options for a pooled client. A request waits for a pooled connection rather than failing,
   * and a dead server is noticed within the connect timeout instead of hanging a voter.
   */
  public RedisOptions options(int maxPoolSize) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(maxPoolSize)
        .setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(4096)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout(1_000)
            .setTcpKeepAlive(true)
            .setTcpNoDelay(true));
    if (password != null) {
      options.setPassword(password);
    }
    return options;
  }

  @Override
  public String toString() {
    return "RedisConfig[url=" + safeUrl() + ", password=" + (password == null ? "none" : "***")
        + ", queueKey=" + queueKey + "]";
  }
}
