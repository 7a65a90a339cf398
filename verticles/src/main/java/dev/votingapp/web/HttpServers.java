package dev.votingapp.web;

import dev.votingapp.config.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.BindException;

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

  /**
   * Binds the server; a port that is taken fails with {@link PortInUse}, which names the port and the
   * variable that moves it, instead of the bare "Address already in use".
   */
  public static Future<HttpServer> listen(HttpServer server, int port, String variable) {
    return server.listen(port).recover(failed -> Future.failedFuture(
        isBindFailure(failed) ? new PortInUse(port, variable) : failed));
  }

  private static boolean isBindFailure(Throwable failed) {
    for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
      // NIO says BindException; Netty's epoll transport an IOException of its own with the OS's words.
      if (cause instanceof BindException || cause instanceof IOException && cause.getMessage() != null
          && cause.getMessage().contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }
}
