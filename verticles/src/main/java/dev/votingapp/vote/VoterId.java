package dev.votingapp.vote;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The voter_id cookie that makes a second vote replace the first. New ids carry 128 random bits;
 * ids issued by the reference app (64-bit hex) are kept, so voters survive a swap of vote services.
 */
final class VoterId {

  static final String COOKIE = "voter_id";
  static final long ONE_YEAR_SECONDS = 365L * 24 * 60 * 60;

  /** Anything else (too long, odd characters) is replaced rather than queued. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9_-]{8,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private VoterId() {
  }

  static String of(HttpServerRequest request) {
    Cookie cookie = request.getCookie(COOKIE);
    return cookie != null && accepted(cookie.getValue()) ? cookie.getValue() : fresh();
  }

  static boolean accepted(String id) {
    return ACCEPTED.matcher(id).matches();
  }

  static String fresh() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return HexFormat.of().formatHex(bits);
  }

  /** Sent on every page, so the year counts from the last visit. */
  static Cookie cookie(String voterId) {
    return Cookie.cookie(COOKIE, voterId)
        .setPath("/")
        .setMaxAge(ONE_YEAR_SECONDS)
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX);
  }
}
