package dev.votingapp.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Await;
import dev.votingapp.testing.TestApp;
import dev.votingapp.testing.TestServers;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PG* variables reach a real PostgreSQL server: the test run's own database. */
class PgConfigTest {

  @Test
  void theStandardVariablesConnect() {
    PgConfig server = TestServers.postgres();
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", server.host());
    env.put("PGPORT", String.valueOf(server.port()));
    env.put("PGDATABASE", server.database());
    env.put("PGUSER", server.user());
    if (server.password() != null) {
      env.put("PGPASSWORD", server.password());
    }
    Config config = TestApp.config(env);

    try (TestApp app = new TestApp()) {
      Pool pool = PgBuilder.pool().connectingTo(config.pg().connectOptions()).using(app.vertx).build();
      Row row = Await.result(pool.query("SELECT current_database() AS db").execute()).iterator().next();
      assertThat(row.getString("db")).isEqualTo(server.database());
      Await.result(pool.close());
    }
  }
}
