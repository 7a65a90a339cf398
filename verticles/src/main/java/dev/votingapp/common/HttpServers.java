package dev.votingapp.common;

import io.vertx.core.http.HttpServerOptions;

/** Server options shared by every HTTP server of the app. */
public final class HttpServers {

  private HttpServers() {
  }

  public static HttpServerOptions options(HttpConfig http) {
    return new HttpServerOptions()
        // Idle connections are closed eventually instead of held forever; WebSocket clients are pinged
        // well within this (see the result service), so a quiet viewer is not dropped.
        .setIdleTimeout(http.idleTimeoutSeconds())
        // No browser speaks cleartext HTTP/2; the h2c upgrade path broke responses for clients that try it
        // (the JDK HttpClient does), so every client gets plain HTTP/1.1.
        .setHttp2ClearTextEnabled(false);
  }
}
