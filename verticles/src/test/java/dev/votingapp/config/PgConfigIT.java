package dev.votingapp.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.votingapp.testing.Db;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PG* variables reach a real PostgreSQL server: the test run's own database. */
@ExtendWith(VertxExtension.class)
class PgConfigIT {

  @Test
  void theStandardVariablesConnect(Vertx vertx, VertxTestContext test) {
    PgConfig server = TestServers.postgres();
    Config config = TestConfig.on(server).config();

    Db db = new Db(vertx, config.pg());
    db.query("SELECT current_database() AS db")
        .eventually(db::closeAsync)
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(rows.get(0).getString("db")).isEqualTo(server.database());
          test.completeNow();
        })));
  }
}
