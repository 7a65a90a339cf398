package dev.votingapp.launcher;

import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container healthcheck, with no shell or curl in the image: {@code java -cp voting-app.jar
 * dev.votingapp.launcher.HealthCheck VOTE_PORT 5000} asks the role's own /health on loopback and exits
 * 0 when it answers 200, else 1. Deliberately tiny: it loads no logging or Vert.x class.
 */
public final class HealthCheck {

  private HealthCheck() {
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: HealthCheck PORT_VARIABLE DEFAULT_PORT");
      System.exit(2);
    }
    String configured = System.getenv(args[0]);
    String port = configured == null || configured.isBlank() ? args[1] : configured.trim();
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL().openConnection();
      connection.setConnectTimeout(2_000);
      connection.setReadTimeout(2_000);
      int status = connection.getResponseCode();
      System.exit(status == 200 ? 0 : 1);
    } catch (Exception unhealthy) {
      System.err.println("unhealthy: " + unhealthy);
      System.exit(1);
    }
  }
}
