package dev.votingapp.config;

/**
 * A server (PostgreSQL, Redis) refused the login. The message names the user and says what happens
 * next, such as "PGPASSWORD_FILE (/run/secrets/x) is read again at the next attempt"; never the password.
 * Callers retry with backoff as for any outage, and /ready shows the message.
 */
public final class LoginRefused extends RuntimeException {

  LoginRefused(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
