package dev.votingapp.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.PgConfig;
import dev.votingapp.link.PgPools;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.Db;
import dev.votingapp.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The per-option counts always equal a recount of votes, whoever writes and however concurrently. */
@ExtendWith(VertxExtension.class)
class TallySchemaIT {

  private static final String RECOUNT = "SELECT vote, COUNT(id) AS n FROM votes GROUP BY vote";

  private Pool pool;
  private Db db;

  @BeforeEach
  void freshDatabase(Vertx vertx) {
    db = new Db(vertx, TestServers.newDatabase(), 8);
    pool = db.pool();
  }

  @AfterEach
  void close(VertxTestContext test) {
    db.closeAsync().onComplete(test.succeedingThenComplete());
  }

  @Test
  void migratingAReferenceTableCountsItsRowsAndIsIdempotent() {
    db.execute("CREATE TABLE votes (id VARCHAR(255) NOT NULL UNIQUE, vote VARCHAR(255) NOT NULL)");
    db.execute("INSERT INTO votes (id, vote) SELECT 'old-' || i, CASE WHEN i % 3 = 0 THEN 'b' ELSE 'a' END "
        + "FROM generate_series(1, 300) AS i");

    List<Future<Void>> migrations = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      migrations.add(Schema.migrate(pool));
    }
    Await.result(Future.all(migrations));
    Await.result(Schema.migrate(pool));

    assertThat(Await.result(Schema.ready(pool))).isTrue();
    assertThat(tally()).isEqualTo(Map.of("a", 200L, "b", 100L)).isEqualTo(recount());
    assertThat(db.rows("SELECT version FROM voting_schema ORDER BY version")).extracting(row -> row.getInteger(0))
        .containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void directSqlWritesOfAnyKindKeepTheCountsRight() {
    Await.result(Schema.migrate(pool));

    // the reference worker: one INSERT per vote, then UPDATE when the voter changes their mind
    db.execute("INSERT INTO votes (id, vote) VALUES ('r1', 'a')");
    db.execute("INSERT INTO votes (id, vote) VALUES ('r2', 'a')");
    db.execute("UPDATE votes SET vote = 'b' WHERE id = 'r2'");
    db.execute("UPDATE votes SET vote = 'b' WHERE id = 'r2'"); // no change
    assertThat(tally()).isEqualTo(Map.of("a", 1L, "b", 1L)).isEqualTo(recount());

    db.execute("INSERT INTO votes (id, vote) SELECT 'm' || i, 'b' FROM generate_series(1, 50) AS i");
    db.execute("UPDATE votes SET vote = 'a' WHERE id LIKE 'm%' AND right(id, 1) IN ('1', '2')");
    db.execute("DELETE FROM votes WHERE id IN ('m3', 'm13', 'r1')");
    db.execute("INSERT INTO votes (id, vote) VALUES ('m1', 'b') ON CONFLICT (id) DO UPDATE SET vote = EXCLUDED.vote");
    assertThat(tally()).isEqualTo(recountNonZero(tally()));

    db.execute("TRUNCATE votes");
    assertThat(tally().values()).containsOnly(0L);
    db.execute("INSERT INTO votes (id, vote) VALUES ('t1', 'a')");
    assertThat(tally()).containsEntry("a", 1L);
  }

  @Test
  void concurrentWritersChangingVotesKeepTheCountsRight() {
    Await.result(Schema.migrate(pool));
    Random random = new Random(3);
    List<Future<?>> writes = new ArrayList<>();
    for (int writer = 0; writer < 8; writer++) {
      for (int round = 0; round < 25; round++) {
        List<Tuple> batch = new ArrayList<>();
        // Rows in id order, as the worker writes them: writers that lock rows in one order cannot deadlock.
        Map<String, String> seen = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
          String voter = "c" + random.nextInt(300); // overlapping voters across writers
          seen.put(voter, random.nextBoolean() ? "a" : "b");
        }
        seen.forEach((voter, vote) -> batch.add(Tuple.of(voter, vote)));
        writes.add(pool.withTransaction(connection -> connection
            .preparedQuery("INSERT INTO votes (id, vote) SELECT * FROM UNNEST($1::varchar[], $2::varchar[]) "
                + "ON CONFLICT (id) DO UPDATE SET vote = EXCLUDED.vote")
            .execute(Tuple.tuple()
                .addValue(batch.stream().map(t -> t.getString(0)).toArray(String[]::new))
                .addValue(batch.stream().map(t -> t.getString(1)).toArray(String[]::new)))));
        if (round % 5 == 0) {
          writes.add(pool.query("DELETE FROM votes WHERE id = 'c" + random.nextInt(300) + "'").execute());
        }
      }
    }
    Await.result(Future.join(writes));

    assertThat(tally()).isEqualTo(recountNonZero(tally()));
    assertThat(tally().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(db.count("SELECT count(*) FROM votes"));
  }

  private Map<String, Long> tally() {
    Map<String, Long> tally = new HashMap<>();
    db.rows(Sql.READ_TALLY).forEach(row -> tally.put(row.getString("vote"), row.getLong("votes")));
    return tally;
  }

  private Map<String, Long> recount() {
    Map<String, Long> counts = new HashMap<>();
    db.rows(RECOUNT).forEach(row -> counts.put(row.getString("vote"), row.getLong("n")));
    return counts;
  }

  /** The recount, with the options the tally knows but no vote has any more at 0. */
  private Map<String, Long> recountNonZero(Map<String, Long> tally) {
    Map<String, Long> counts = recount();
    tally.keySet().forEach(option -> counts.putIfAbsent(option, 0L));
    return counts;
  }
}
