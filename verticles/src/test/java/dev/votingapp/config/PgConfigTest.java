package dev.votingapp.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.TestApp;
import dev.votingapp.testing.TestServers;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;

/** The PG* variables reach a real PostgreSQL server: the test run's own database. */
class PgConfigTest {

  @Test
  void theStandardVariablesConnect() {
    PgConfig server = TestServers.postgres();
    Config config = TestApp.config(TestApp.pgEnv(server));

    try (TestApp app = new TestApp()) {
      Pool pool = PgBuilder.pool().connectingTo(config.pg().connectOptions()).using(app.vertx).build();
      Row row = Await.result(pool.query("SELECT current_database() AS db").execute()).iterator().next();
      assertThat(row.getString("db")).isEqualTo(server.database());
      Await.result(pool.close());
    }
  }
}
