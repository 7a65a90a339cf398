package dev.votingapp.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Whether a request was sent by a page of this site, for what another site's page must not do with a
 * visitor's browser: cast a vote, open the live results. Browsers say where a request comes from, and
 * pages cannot forge it:
 * <ul>
 *   <li>{@code Origin}: allowed when its host[:port] is the request's own {@code Host} (the scheme is
 *       not compared, so a proxy that ends TLS in front of the app changes nothing; no X-Forwarded-*
 *       header is trusted), or when it is one of the allowed origins. {@code Origin: null} (a sandboxed
 *       frame, a data: URL, a page with no-referrer) names no page at all and is refused.</li>
 *   <li>No {@code Origin} (older browsers): refused when {@code Sec-Fetch-Site} is {@code cross-site} or
 *       {@code same-site} (another origin of the same site).</li>
 *   <li>Neither header: allowed. curl, the load-test kit and the reference app's seed are no browser,
 *       so no visitor's browser can be made to send such a request.</li>
 * </ul>
 */
public final class Origins {

  private static final String FETCH_SITE = "Sec-Fetch-Site";

  private final List<String> allowed;

  /** @param allowed full origins in lower case ({@code https://vote.example.com}) allowed besides this site's own */
  public Origins(List<String> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  public boolean allows(HttpServerRequest request) {
    return allows(request.getHeader(HttpHeaders.ORIGIN), request.getHeader(FETCH_SITE), request.getHeader(HttpHeaders.HOST));
  }

  /** The rules above, on the three headers as received (each may be null). */
  boolean allows(String origin, String fetchSite, String host) {
    if (origin == null) {
      String site = fetchSite == null ? "" : fetchSite.trim().toLowerCase(Locale.ROOT);
      return !site.equals("cross-site") && !site.equals("same-site");
    }
    String normalised = origin.trim().toLowerCase(Locale.ROOT);
    if (allowed.contains(normalised)) {
      return true;
    }
    try {
      String authority = new URI(normalised).getRawAuthority();
      return host != null && authority != null && authority.equals(host.trim().toLowerCase(Locale.ROOT));
    } catch (URISyntaxException notAnOrigin) {
      return false;
    }
  }
}
