package dev.votingapp.loadtest;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients were told, per voter (the voter_id the vote service gave back in its Set-Cookie):
 * the option of the last POST answered 200, and the options of POSTs after it that got no 200 (a 503,
 * a timeout, a cut connection: each may or may not have landed). A voter sends its POSTs one after
 * the other, so a voter's record is written by one thread at a time.
 *
 * <p>Each injector of a run writes its ledger to a file ({@link #write}); the merge reads them all back
 * ({@link #read}) into one, so the verdict over several injectors is as exact as over one. Voter ids
 * carry the injector's index, so no two files name the same voter: the merge refuses it if they do.
 */
final class Ledger {

  /**
   * One voter's record. Small on purpose: a ramp holds hundreds of thousands of them, and every one the
   * young collector copies is time the kit stops (the options sent since the last 200 are a short
   * array of the shared option strings, not a set).
   */
  static final class Voter {
    private static final String[] NONE = new String[0];
    private String acked;
    private String[] unacknowledged = NONE;
    private int attempts;
    private int acks;
    private boolean lastAcked;

    synchronized void attempt(String option) {
      attempts++;
      if (!Arrays.asList(unacknowledged).contains(option)) {
        unacknowledged = Arrays.copyOf(unacknowledged, unacknowledged.length + 1);
        unacknowledged[unacknowledged.length - 1] = option;
      }
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
      unacknowledged = NONE;
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
      Set<String> allowed = new LinkedHashSet<>(Arrays.asList(unacknowledged));
      allowed.add(acked);
      return allowed;
    }

    synchronized int attempts() {
      return attempts;
    }

    synchronized int acks() {
      return acks;
    }

    /** One line of a ledger file: acked option (- for none), last POST acked (1/0), attempts, acks, options sent since. */
    synchronized String line(String id) {
      return id + "\t" + (acked == null ? "-" : acked) + "\t" + (lastAcked ? 1 : 0) + "\t" + attempts + "\t" + acks
          + "\t" + String.join(",", unacknowledged);
    }

    static Voter parse(String[] fields) {
      Voter voter = new Voter();
      voter.acked = "-".equals(fields[1]) ? null : fields[1];
      voter.lastAcked = "1".equals(fields[2]);
      voter.attempts = Integer.parseInt(fields[3]);
      voter.acks = Integer.parseInt(fields[4]);
      if (fields.length > 5 && !fields[5].isEmpty()) {
        voter.unacknowledged = fields[5].split(",");
      }
      return voter;
    }
  }

  private final Map<String, Voter> voters = new ConcurrentHashMap<>(1 << 16);
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

  /** Writes every voter, one per line (tab-separated; options and ids never hold tabs or commas). */
  void write(java.nio.file.Path file) throws java.io.IOException {
    java.nio.file.Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (java.io.BufferedWriter out = java.nio.file.Files.newBufferedWriter(partial)) {
      out.write("# voter\tacked\tlast acked\tattempts\tacks\tsent since\n");
      for (Map.Entry<String, Voter> entry : voters.entrySet()) {
        out.write(entry.getValue().line(entry.getKey()));
        out.write('\n');
      }
    }
    // Renamed when complete, so a merge never reads half a ledger.
    java.nio.file.Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Adds the voters of a ledger file; throws when one of them is already here (two injectors named one voter). */
  void read(java.nio.file.Path file) throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length < 5) {
        throw new java.io.IOException(file + ": not a ledger line: " + line);
      }
      Voter voter = Voter.parse(fields);
      if (voters.putIfAbsent(fields[0], voter) != null) {
        throw new java.io.IOException(file + ": voter " + fields[0] + " is in another injector's ledger too");
      }
      attempts.add(voter.attempts());
      acks.add(voter.acks());
    }
  }

  Map<String, Voter> voters() {
    return Collections.unmodifiableMap(voters);
  }

  // Plain counters read for the summary; Watchers has the same shape for its own, unrelated counts.
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
