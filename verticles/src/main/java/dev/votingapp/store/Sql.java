package dev.votingapp.store;

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

  /** A schema change, applied once, in order, and recorded in {@link #SCHEMA_TABLE}. */
  public record Migration(int version, String description, List<String> statements) {
  }

  /** The workers' reports of the votes waiting: one row per worker id. */
  public static final String BACKLOG_TABLE = "worker_status";

  /** Which migrations are applied: one row per version. */
  public static final String SCHEMA_TABLE = "voting_schema";

  /** The group role the result service's login role belongs to: SELECT on what it reads, nothing else. */
  public static final String READER_ROLE = "voting_reader";

  /** The group role the worker's login role belongs to: the rows it writes, never the schema. */
  public static final String WRITER_ROLE = "voting_writer";

  /**
   * The schema, as versioned migrations. A start with the schema up to date runs none of them and
   * takes no lock on {@code votes}; DDL runs under a lock timeout, so a long reader (a backup, a report)
   * delays a migration instead of every write queueing behind it. Needs PostgreSQL 14 or later (CREATE
   * OR REPLACE TRIGGER). Version 1 starts with the reference worker's own table and keeps its rows.
   */
  public static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "votes with their time, and the per-option tally kept by triggers", List.of(
          "CREATE TABLE IF NOT EXISTS votes (id VARCHAR(255) NOT NULL UNIQUE, vote VARCHAR(255) NOT NULL)",
          // When the voter cast the vote; NULL for rows written by a writer that does not know it, such
          // as the reference worker.
          "ALTER TABLE votes ADD COLUMN IF NOT EXISTS voted_at TIMESTAMPTZ",
          // ON CONFLICT (id) needs a unique index; the reference table has one under this name already.
          "CREATE UNIQUE INDEX IF NOT EXISTS votes_id_key ON votes (id)",
          // Per-option counts, so reading the tally costs the same for ten votes and ten million. Created
          // once, from a recount taken while writers are locked out, then kept by the triggers below.
          """
          DO $$
          BEGIN
            IF to_regclass('vote_tally') IS NULL THEN
              LOCK TABLE votes IN SHARE ROW EXCLUSIVE MODE;
              CREATE TABLE vote_tally (vote VARCHAR(255) PRIMARY KEY, votes BIGINT NOT NULL);
              INSERT INTO vote_tally (vote, votes) SELECT vote, count(*) FROM votes GROUP BY vote;
            END IF;
          END $$""",
          // One function for every change to votes, by any writer; see tallyFunction. Its notification
          // names the commit's time only, until migration 3.
          tallyFunction(TallyNotice.TIME_ONLY_SQL),
          """
          CREATE OR REPLACE TRIGGER vote_tally_insert AFTER INSERT ON votes
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vote_tally_apply()""",
          """
          CREATE OR REPLACE TRIGGER vote_tally_update AFTER UPDATE ON votes
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vote_tally_apply()""",
          """
          CREATE OR REPLACE TRIGGER vote_tally_delete AFTER DELETE ON votes
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vote_tally_apply()""",
          """
          CREATE OR REPLACE TRIGGER vote_tally_truncate AFTER TRUNCATE ON votes
            FOR EACH STATEMENT EXECUTE FUNCTION vote_tally_apply()""")),
      // The result service needs to read, never to write: its login role joins this group.
      new Migration(2, "the read-only group role " + READER_ROLE, List.of(groupRole(READER_ROLE,
          "GRANT SELECT ON votes, vote_tally, voting_schema TO " + READER_ROLE + ";"))),
      // The tally notification also names the commit's trace, when the writer set voting.trace in its
      // transaction (the worker does, with tracing on), so the result service's push links to it.
      new Migration(3, "the tally notification carries the commit's trace",
          List.of(tallyFunction(TallyNotice.PAYLOAD_SQL))),
      // The worker writes, never changes the schema: its login role joins this group. The upsert reads,
      // inserts and updates votes; the tally trigger, which runs with the writer's rights, does the same
      // to vote_tally; the worker's schema check reads voting_schema.
      new Migration(4, "the writer group role " + WRITER_ROLE, List.of(groupRole(WRITER_ROLE,
          "GRANT SELECT, INSERT, UPDATE ON votes, vote_tally TO " + WRITER_ROLE + ";",
          "GRANT SELECT ON voting_schema TO " + WRITER_ROLE + ";"))),
      // The result service may not reach Redis, yet must know when votes wait: each worker reports the
      // queue as it sees it, one row per worker id, renewed every second (REPORT_BACKLOG).
      new Migration(5, "the workers' reports of the votes waiting in the queue", List.of("""
          CREATE TABLE IF NOT EXISTS worker_status (worker_id VARCHAR(100) PRIMARY KEY,
            queued BIGINT NOT NULL, processing BIGINT NOT NULL, reported_at TIMESTAMPTZ NOT NULL)""",
          // DELETE: a worker prunes the rows of ids gone for a day (each restart may bring a new id).
          groupRole(WRITER_ROLE, "GRANT SELECT, INSERT, UPDATE, DELETE ON worker_status TO " + WRITER_ROLE + ";"),
          groupRole(READER_ROLE, "GRANT SELECT ON worker_status TO " + READER_ROLE + ";"))));

  /**
   * A group role and its grants. The roles command creates the group beforehand; a migrating role that
   * may create roles (a superuser in dev) creates it here; any other gets a warning saying what to do.
   */
  private static String groupRole(String role, String... grants) {
    return """
        DO $$
        BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
            BEGIN
              CREATE ROLE %1$s NOLOGIN;
            EXCEPTION
              WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile for another database
              WHEN insufficient_privilege THEN
                RAISE WARNING 'cannot create role %1$s: run the roles command (or CREATE ROLE %1$s NOLOGIN), then %2$s';
            END;
          END IF;
          IF EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s') THEN
            %3$s
          END IF;
        END $$""".formatted(role, String.join(" ", grants), String.join("\n    ", grants));
  }

  /**
   * The tally triggers' function, with {@code payload} (a SQL expression, {@link TallyNotice}) as its
   * notification's payload: migrations 1 and 3 create it alike but for that. For every change to votes,
   * by any writer (our worker, the reference worker, a manual UPDATE), it adds the statement's net change
   * per option, in the same transaction, then announces the commit. Tally rows are locked in option
   * order, so concurrent writers cannot deadlock. An upsert fires both the INSERT and the UPDATE trigger;
   * their notifications are the same, and PostgreSQL sends it once. A later change to the function is a
   * migration with a text of its own: this one must keep creating what migrations 1 and 3 created.
   */
  private static String tallyFunction(String payload) {
    return """
        CREATE OR REPLACE FUNCTION vote_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO vote_tally AS t (vote, votes)
              SELECT vote, count(*) FROM new_rows GROUP BY vote ORDER BY vote
              ON CONFLICT (vote) DO UPDATE SET votes = t.votes + EXCLUDED.votes;
          ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO vote_tally AS t (vote, votes)
              SELECT vote, -count(*) FROM old_rows GROUP BY vote ORDER BY vote
              ON CONFLICT (vote) DO UPDATE SET votes = t.votes + EXCLUDED.votes;
          ELSIF TG_OP = 'UPDATE' THEN
            INSERT INTO vote_tally AS t (vote, votes)
              SELECT vote, sum(delta) FROM (
                SELECT vote, 1 AS delta FROM new_rows UNION ALL SELECT vote, -1 AS delta FROM old_rows) AS change
              GROUP BY vote HAVING sum(delta) <> 0 ORDER BY vote
              ON CONFLICT (vote) DO UPDATE SET votes = t.votes + EXCLUDED.votes;
          ELSE -- TRUNCATE
            UPDATE vote_tally SET votes = 0;
          END IF;
          PERFORM pg_notify('%s', %s);
          RETURN NULL;
        END $$""".formatted(TallyNotice.CHANNEL, payload);
  }

  public static final int SCHEMA_VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

  public static final String SCHEMA_TABLE_EXISTS = "SELECT to_regclass('" + SCHEMA_TABLE + "') IS NOT NULL";

  public static final String SCHEMA_TABLE_CREATE = "CREATE TABLE IF NOT EXISTS " + SCHEMA_TABLE
      + " (version INT PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

  public static final String SCHEMA_VERSION_READ = "SELECT COALESCE(max(version), 0) FROM " + SCHEMA_TABLE;

  public static final String SCHEMA_VERSION_RECORD = "INSERT INTO " + SCHEMA_TABLE + " (version, description) VALUES ($1, $2)";

  /**
   * Statements that wait longer than this for a lock give up (the migration is retried), so a long
   * reader holding votes delays the migration, not every write queued behind its lock request.
   */
  public static final String MIGRATION_LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";

  /** "already exists, skipping" notices are the normal case for version 1 on a reference table. */
  public static final String QUIET_SCHEMA_NOTICES = "SET LOCAL client_min_messages = warning";

  public static final String LOCK_SCHEMA = "SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")";

  /** Constant cost, however many votes: one row per option. */
  public static final String READ_TALLY = "SELECT vote, votes FROM vote_tally";

  /**
   * One statement per batch: $1 voter ids, $2 options, $3 vote times in microseconds since the epoch
   * (exact: integer microseconds, no floating point), $4 the batch's traceparent or '' (for the tally
   * notification, {@link TallyNotice#TRACE_SETTING}, set for this transaction only). A voter's row changes only for a newer vote, so a
   * redelivered or late older vote never overwrites a newer one. Ids must be unique within a batch.
   */
  public static final String UPSERT_VOTES = """
      WITH trace AS (SELECT set_config('%s', $4, true))
      INSERT INTO votes (id, vote, voted_at)
      SELECT id, vote, TIMESTAMPTZ 'epoch' + ts * INTERVAL '1 microsecond'
        FROM UNNEST($1::varchar[], $2::varchar[], $3::bigint[]) AS batch(id, vote, ts), trace
      ON CONFLICT (id) DO UPDATE SET vote = EXCLUDED.vote, voted_at = EXCLUDED.voted_at
       WHERE votes.voted_at IS NULL OR votes.voted_at < EXCLUDED.voted_at""".formatted(TallyNotice.TRACE_SETTING);

  /**
   * A worker's report, every second: $1 its id, $2 votes in the queue, $3 votes claimed by any worker
   * and not yet released, both as this worker just sampled them (the whole queue, not its share). The
   * time is the database's, as is the reader's: hosts' clocks never meet. Rows of ids that have not
   * reported for a day go in the same statement, skipping any another worker is pruning.
   */
  public static final String REPORT_BACKLOG = """
      WITH gone AS (
        DELETE FROM worker_status WHERE worker_id IN (
          SELECT worker_id FROM worker_status WHERE reported_at < now() - INTERVAL '1 day' FOR UPDATE SKIP LOCKED))
      INSERT INTO worker_status (worker_id, queued, processing, reported_at) VALUES ($1, $2, $3, now())
      ON CONFLICT (worker_id) DO UPDATE
        SET queued = EXCLUDED.queued, processing = EXCLUDED.processing, reported_at = EXCLUDED.reported_at""";

  /**
   * The votes waiting by the newest report of the last $1 seconds: every worker reports the whole
   * queue, so the newest one is the best guess, and one from a worker that died ages out. No row when
   * no worker reported meanwhile (the reference worker never does).
   */
  public static final String READ_BACKLOG = """
      SELECT queued + processing AS waiting FROM worker_status
       WHERE reported_at > now() - make_interval(secs => $1)
       ORDER BY reported_at DESC LIMIT 1""";

  public static final String PING = "SELECT 1";

  /**
   * The roles command's statements. Role names are checked by the launcher's {@code RolesConfig}
   * (lower-case letters, digits, _) and quoted here anyway; a password goes in as a SCRAM verifier,
   * never in clear.
   */
  public static final class Roles {

    private Roles() {
    }

    /** What the schema is made of: moved to the owner when someone else (the master, before) owns it. */
    public static final List<String> APP_TABLES = List.of("votes", "vote_tally", SCHEMA_TABLE, BACKLOG_TABLE);
    public static final List<String> APP_FUNCTIONS = List.of("vote_tally_apply");

    /** The role this connection is, and whether it may create roles at all. */
    public static final String ME = "SELECT current_user::text, rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user";

    /** $1 role: a row of what it may do beyond logging in, or no row when it does not exist. */
    public static final String ATTRIBUTES = """
        SELECT concat_ws(' ', CASE WHEN rolsuper THEN 'SUPERUSER' END, CASE WHEN rolcreaterole THEN 'CREATEROLE' END,
                         CASE WHEN rolcreatedb THEN 'CREATEDB' END, CASE WHEN rolreplication THEN 'REPLICATION' END,
                         CASE WHEN rolbypassrls THEN 'BYPASSRLS' END)
          FROM pg_roles WHERE rolname = $1""";

    /** $1 group, $2 member: is $2 a direct member of $1? */
    public static final String MEMBER = """
        SELECT EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                        WHERE g.rolname = $1 AND u.rolname = $2)""";

    /** $1 role: may this connection act as it (ALTER ... OWNER TO needs that)? Superusers may act as any. */
    public static final String ACTS_AS = "SELECT pg_has_role(current_user, $1, 'MEMBER')";

    /** $1 tables, $2 functions, $3 owner: the app's objects in schema public that $3 does not own. */
    public static final String OWNED_BY_OTHERS = """
        SELECT 'TABLE', c.relname::text, pg_get_userbyid(c.relowner)::text
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname::text = ANY($1::text[])
           AND pg_get_userbyid(c.relowner)::text <> $3
        UNION ALL
        SELECT 'FUNCTION', p.proname::text, pg_get_userbyid(p.proowner)::text
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.proname::text = ANY($2::text[]) AND pg_get_userbyid(p.proowner)::text <> $3""";

    /** As PostgreSQL 15 has it by default: only roles given CREATE may add to schema public. */
    public static final String NO_PUBLIC_CREATE = "REVOKE CREATE ON SCHEMA public FROM PUBLIC";

    public static String createGroup(String group) {
      return "CREATE ROLE " + id(group) + " NOLOGIN";
    }

    public static String createLogin(String user) {
      return "CREATE ROLE " + id(user) + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";
    }

    /** {@code verifier}: SCRAM-SHA-256$iterations:salt$stored:server, base64 and digits only. */
    public static String setPassword(String user, String verifier) {
      return "ALTER ROLE " + id(user) + " WITH LOGIN INHERIT PASSWORD '" + verifier.replace("'", "''") + "'";
    }

    public static String grant(String group, String member) {
      return "GRANT " + id(group) + " TO " + id(member);
    }

    public static String grantToMe(String role) {
      return "GRANT " + id(role) + " TO CURRENT_USER";
    }

    public static String schemaFor(String owner) {
      return "GRANT USAGE, CREATE ON SCHEMA public TO " + id(owner);
    }

    /** {@code kind}: TABLE or FUNCTION, as {@link #OWNED_BY_OTHERS} names it (the app's functions take no arguments). */
    public static String ownedBy(String kind, String name, String owner) {
      return "ALTER " + kind + " public." + id(name) + ("FUNCTION".equals(kind) ? "()" : "") + " OWNER TO " + id(owner);
    }

    private static String id(String name) {
      return '"' + name.replace("\"", "\"\"") + '"';
    }
  }
}
