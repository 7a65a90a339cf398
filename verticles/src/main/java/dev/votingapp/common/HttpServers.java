package dev.votingapp.common;

import io.vertx.core.http.HttpServerOptions;

/** Server options shared by every role's HTTP server. */
public final class HttpServers {

  private HttpServers() {
  }

  public static HttpServerOptions options() {
    return new HttpServerOptions()
        // Idle keep-alive connections are closed eventually instead of held forever.
        .setIdleTimeout(75)
        // No browser speaks cleartext HTTP/2; the h2c upgrade path broke responses for clients that try it
        // (the JDK HttpClient does), so every client gets plain HTTP/1.1.
        .setHttp2ClearTextEnabled(false);
  }
}
