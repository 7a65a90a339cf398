package dev.votingapp.worker;

import java.util.List;

/**
 * Messages a lane holds in its processing list, and the vote clock's instant when Redis handed them
 * over: no vote queued before can carry a later time.
 */
record Claim(long nowMicros, List<String> messages) {

  boolean isEmpty() {
    return messages.isEmpty();
  }
}
