package dev.votingapp.loadtest;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients were told, per voter (the voter_id the vote service gave back in its Set-Cookie):
 * the option of the last POST answered 200, and the options of POSTs after it that got no 200 (a 503,
 * a timeout, a cut connection: each may or may not have landed). One virtual user is one voter and
 * sends its POSTs one after the other, so a voter's record is written by one thread at a time.
 */
final class Ledger {

  /** One voter's record. */
  static final class Voter {
    private String acked;
    private final Set<String> unacknowledged = new LinkedHashSet<>(2);
    private int attempts;
    private int acks;
    private boolean lastAcked;

    synchronized void attempt(String option) {
      attempts++;
      unacknowledged.add(option);
      lastAcked = false;
    }

    /**
     * The vote service answered 200: Redis acknowledged this vote; it replaces everything before it.
     * True when it changes the tally (the voter's first acknowledged vote, or another option).
     */
    synchronized boolean acked(String option) {
      boolean changes = !option.equals(acked);
      acks++;
      acked = option;
      unacknowledged.clear();
      lastAcked = true;
      return changes;
    }

    /** The last acknowledged option; null when no POST of this voter ever got a 200. */
    synchronized String ackedOption() {
      return acked;
    }

    /** True when the voter's last POST got its 200: the stored vote must be exactly {@link #ackedOption()}. */
    synchronized boolean certain() {
      return lastAcked;
    }

    /**
     * What PostgreSQL may hold for an uncertain voter: the last acknowledged option, or any option sent
     * after it without an acknowledgement; null in the set stands for "no row" (nothing was ever acked).
     */
    synchronized Set<String> allowed() {
      Set<String> allowed = new LinkedHashSet<>(unacknowledged);
      allowed.add(acked);
      return allowed;
    }

    synchronized int attempts() {
      return attempts;
    }

    synchronized int acks() {
      return acks;
    }
  }

  private final Map<String, Voter> voters = new ConcurrentHashMap<>();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final LongAdder failures = new LongAdder();

  Voter voter(String voterId) {
    return voters.computeIfAbsent(voterId, id -> new Voter());
  }

  void attempt(String voterId, String option) {
    attempts.increment();
    voter(voterId).attempt(option);
  }

  /** True when the acknowledged vote changes the expected tally. */
  boolean acked(String voterId, String option) {
    acks.increment();
    return voter(voterId).acked(option);
  }

  void failed() {
    failures.increment();
  }

  /**
   * The vote service answered for a voter id other than the one sent (it replaces ids it does not
   * accept): the attempt is moved to the id the client was told.
   */
  void renamed(String sentId, String toldId, String option) {
    Voter sent = voters.get(sentId);
    if (sent != null && sent.attempts() == 1 && sent.ackedOption() == null) {
      voters.remove(sentId);
    }
    voter(toldId).attempt(option);
  }

  Map<String, Voter> voters() {
    return Collections.unmodifiableMap(voters);
  }

  long attempts() {
    return attempts.sum();
  }

  long acks() {
    return acks.sum();
  }

  long failures() {
    return failures.sum();
  }
}
