package dev.votingapp.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A real HTTP client that keeps cookies like a browser does, pointed at one service. */
public final class Browser {

  private final String base;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient client;

  public Browser(int port) {
    this.base = "http://127.0.0.1:" + port;
    this.client = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
  }

  public CookieManager cookies() {
    return cookies;
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** Posts a form body as a browser submits it (application/x-www-form-urlencoded). */
  public HttpResponse<String> postForm(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException failed) {
      throw new IllegalStateException(failed);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(interrupted);
    }
  }

  /** True when the path answers 200; false while the service is not up yet (refused connections included). */
  public boolean isOk(String path) {
    try {
      return get(path).statusCode() == 200;
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  public String url(String path) {
    return base + path;
  }
}
