package dev.votingapp.vote;

import io.netty.handler.codec.DateFormatter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HexFormat;

/**
 * The voter_id cookie that makes a second vote replace the first. New ids carry 128 random bits;
 * ids issued by the reference app (64-bit hex) are kept, so voters survive a swap of vote services.
 *
 * <p>Read from the Cookie header and written as a Set-Cookie header here, not through Vert.x's cookie
 * jar: every answer carries the cookie, and the jar's parse and encode (a Cookie object, the encoder's
 * validation, an Expires date formatted anew) were a tenth of the vote service's CPU per request.
 */
final class VoterId {

  static final String COOKIE = "voter_id";
  static final long ONE_YEAR_SECONDS = 365L * 24 * 60 * 60;

  private static final int MIN_LENGTH = 8;
  private static final int MAX_LENGTH = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The Expires attribute of the cookies sent during one second (its text is the same for all of them). */
  private record Expires(long second, String text) {
  }

  private static volatile Expires expires = new Expires(-1, "");

  private VoterId() {
  }

  static String of(HttpServerRequest request) {
    String id = fromHeader(request.getHeader(HttpHeaders.COOKIE));
    return id != null && accepted(id) ? id : fresh();
  }

  /** The value of the first voter_id in a Cookie header ({@code a=1; voter_id=x}), unquoted; null when there is none. */
  static String fromHeader(String header) {
    if (header == null) {
      return null;
    }
    int at = 0;
    while (at < header.length()) {
      int end = header.indexOf(';', at);
      if (end < 0) {
        end = header.length();
      }
      int start = at;
      while (start < end && (header.charAt(start) == ' ' || header.charAt(start) == '\t')) {
        start++;
      }
      if (header.startsWith(COOKIE, start) && start + COOKIE.length() < end && header.charAt(start + COOKIE.length()) == '=') {
        String value = header.substring(start + COOKIE.length() + 1, end).trim();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
      }
      at = end + 1;
    }
    return null;
  }

  /** 8 to 64 of A-Z, a-z, 0-9, '_' and '-'; anything else (too long, odd characters) is replaced rather than queued. */
  static boolean accepted(String id) {
    int length = id.length();
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static String fresh() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return HexFormat.of().formatHex(bits);
  }

  /**
   * The Set-Cookie value, sent on every page so the year counts from the last visit: the attributes and
   * their order as Vert.x's (Netty's strict) encoder writes them.
   */
  static String setCookie(String voterId) {
    return COOKIE + "=" + voterId + "; Max-Age=" + ONE_YEAR_SECONDS + "; Expires=" + expires(System.currentTimeMillis())
        + "; Path=/; HTTPOnly; SameSite=Lax";
  }

  private static String expires(long nowMillis) {
    long second = nowMillis / 1000;
    Expires cached = expires;
    if (cached.second() != second) {
      cached = new Expires(second, DateFormatter.format(new Date((second + ONE_YEAR_SECONDS) * 1000)));
      expires = cached;
    }
    return cached.text();
  }
}
