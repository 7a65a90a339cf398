package dev.votingapp.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.config.PgConfig;
import dev.votingapp.link.PgPools;
import dev.votingapp.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tally notification's round trip: what the tally trigger writes (the schema's SQL, on a real
 * PostgreSQL) reads back with {@link TallyNotice#parse} as the commit's time and the writer's trace.
 */
@ExtendWith(VertxExtension.class)
class TallyNoticeIT {

  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void whatTheTallyTriggerWritesReadsBackAsTheCommitAndItsTrace(Vertx vertx, VertxTestContext test) {
    PgConfig database = TestServers.newDatabase();
    Pool pool = PgPools.create(vertx, database, 1, "voting-test");
    // In commit order: a batch written with a trace, then one without (tracing off, or another writer).
    Queue<String> traces = new ConcurrentLinkedQueue<>();
    traces.add(TRACEPARENT);
    traces.add("none");
    Checkpoint bothRead = test.checkpoint(2);
    long before = VoteMessage.micros(Instant.now());
    Schema.migrate(pool)
        .compose(migrated -> PgConnection.connect(vertx, database.connectOptions()))
        .compose(listener -> {
          listener.notificationHandler(notification -> test.verify(() -> {
            assertThat(notification.getChannel()).isEqualTo(TallyNotice.CHANNEL);
            TallyNotice notice = TallyNotice.parse(notification.getPayload());
            assertThat(notice.hasTime()).isTrue();
            assertThat(notice.commitMicros()).isBetween(before, VoteMessage.micros(Instant.now()));
            assertThat(notice.traceparent()).isEqualTo(expected(traces.poll()));
            bothRead.flag();
          }));
          return listener.query("LISTEN " + TallyNotice.CHANNEL).execute();
        })
        .compose(listening -> upsert(pool, "traced", TRACEPARENT))
        .compose(written -> upsert(pool, "untraced", ""))
        .onFailure(test::failNow);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1732900000123456|1732900000123456|",
      "1732900000123456," + TRACEPARENT + "|1732900000123456|" + TRACEPARENT,
      "1732900000123456,|1732900000123456|",
      "hello|-1|",
      "hello,world|-1|world",
      "|-1|"})
  void aPayloadOfAnotherWriterIsReadAsFarAsItGoes(String payload, long commitMicros, String traceparent) {
    TallyNotice notice = TallyNotice.parse(payload == null ? "" : payload);

    assertThat(notice).isEqualTo(new TallyNotice(commitMicros, traceparent));
    assertThat(notice.hasTime()).isEqualTo(commitMicros != TallyNotice.NO_TIME);
  }

  private static String expected(String trace) {
    return "none".equals(trace) ? null : trace;
  }

  /** The worker's statement, for one vote: {@code traceparent} '' when the writer has no trace. */
  private static Future<Void> upsert(Pool pool, String voter, String traceparent) {
    return pool.preparedQuery(Sql.UPSERT_VOTES)
        .execute(Tuple.of(new String[] {voter}, new String[] {"a"}, new Long[] {VoteMessage.micros(Instant.now())}, traceparent))
        .mapEmpty();
  }
}
