package dev.votingapp.common;

import java.util.List;

/**
 * Every SQL statement of the app. The table stays compatible with the reference app: {@code votes(id,
 * vote)}, one row per voter, so {@code SELECT vote, COUNT(id) FROM votes GROUP BY vote} keeps working.
 */
public final class Sql {

  private Sql() {
  }

  /** Serialises schema changes of workers starting at once (any constant shared by all of them). */
  public static final long SCHEMA_LOCK = 0x766f746573L; // "votes"

  /**
   * Idempotent, in order, run in one transaction under {@link #SCHEMA_LOCK}. The first statement is the
   * reference worker's own; the rest add what last-vote-wins needs and keep existing rows.
   */
  public static final List<String> SCHEMA = List.of(
      "CREATE TABLE IF NOT EXISTS votes (id VARCHAR(255) NOT NULL UNIQUE, vote VARCHAR(255) NOT NULL)",
      // When the voter cast the vote (from the message, or when it was claimed); NULL for rows
      // written by a writer that does not know it, such as the reference worker.
      "ALTER TABLE votes ADD COLUMN IF NOT EXISTS voted_at TIMESTAMPTZ",
      // ON CONFLICT (id) needs a unique index; the reference table has one under this name already.
      "CREATE UNIQUE INDEX IF NOT EXISTS votes_id_key ON votes (id)");

  /** "already exists, skipping" notices are the normal case on every start after the first. */
  public static final String QUIET_SCHEMA_NOTICES = "SET LOCAL client_min_messages = warning";

  public static final String LOCK_SCHEMA = "SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")";

  /** Schema in place: the table and its timestamp column exist. */
  public static final String SCHEMA_READY =
      "SELECT count(*) FROM information_schema.columns WHERE table_name = 'votes' "
          + "AND column_name IN ('id', 'vote', 'voted_at') AND table_schema = current_schema()";

  /**
   * One statement per batch: $1 voter ids, $2 options, $3 vote times in microseconds since the epoch
   * (exact: integer microseconds, no floating point). A voter's row changes only for a newer vote, so a
   * redelivered or late older vote never overwrites a newer one. Ids must be unique within a batch.
   */
  public static final String UPSERT_VOTES = """
      INSERT INTO votes (id, vote, voted_at)
      SELECT id, vote, TIMESTAMPTZ 'epoch' + ts * INTERVAL '1 microsecond'
        FROM UNNEST($1::varchar[], $2::varchar[], $3::bigint[]) AS batch(id, vote, ts)
      ON CONFLICT (id) DO UPDATE SET vote = EXCLUDED.vote, voted_at = EXCLUDED.voted_at
       WHERE votes.voted_at IS NULL OR votes.voted_at < EXCLUDED.voted_at""";

  public static final String PING = "SELECT 1";
}
