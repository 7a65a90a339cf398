package dev.votingapp.worker;

/**
 * Redis refused a claim, leftover read or release: this process no longer holds its worker id's
 * heartbeat (it paused past the TTL, or another process took the id). It must not touch the
 * processing lists until it holds the heartbeat again.
 */
final class LostHeartbeat extends RuntimeException {

  /** The code the Lua scripts answer with. */
  static final String CODE = "NOTOWNER";

  LostHeartbeat(String workerId) {
    super("worker " + workerId + " does not hold its heartbeat", null, false, false);
  }
}
