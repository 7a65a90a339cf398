package dev.votingapp.config;

/** Keeps credentials out of logs and error messages. */
public final class Redact {

  private Redact() {
  }

  /** redis://user:secret@host:6379 becomes redis://***@host:6379. */
  public static String url(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    return url.substring(0, scheme + 3) + "***" + url.substring(at);
  }
}
