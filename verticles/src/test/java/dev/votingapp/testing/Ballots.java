package dev.votingapp.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Votes cast over HTTP as a browser casts them: the form, and the voter named by its voter_id cookie. */
public final class Ballots {

  public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Ballots() {
  }

  /** {@code voter} must have 8 characters or more: the vote service replaces shorter ids with new ones. */
  public static HttpRequest request(int port, String voter, String choice) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Cookie", "voter_id=" + voter)
        .POST(HttpRequest.BodyPublishers.ofString("vote=" + choice))
        .build();
  }

  public static HttpResponse<String> vote(int port, String voter, String choice) {
    return HTTP.sendAsync(request(port, voter, choice), HttpResponse.BodyHandlers.ofString()).join();
  }
}
