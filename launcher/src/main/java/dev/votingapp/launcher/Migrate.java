package dev.votingapp.launcher;

import dev.votingapp.config.Config;
import dev.votingapp.link.Outage;
import dev.votingapp.link.PgLink;
import dev.votingapp.link.Retry;
import dev.votingapp.store.Schema;
import dev.votingapp.store.Sql;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar voting-app.jar migrate}: brings the schema up to date with the PG* role (one that may
 * change the schema) and exits: 0 when it is up to date, 1 when it could not be done within
 * MIGRATE_WAIT_SECONDS (default 60; PostgreSQL may still be starting). For a Kubernetes Job or a
 * Helm hook, and for a result service next to a worker that does not migrate (the reference one).
 */
final class Migrate {

  private static final Logger LOG = LoggerFactory.getLogger(Migrate.class);

  private Migrate() {
  }

  static int run(Config config, int waitSeconds) {
    Vertx vertx = Vertx.vertx();
    PgLink link = new PgLink(vertx, config.pg(), 1, "voting-migrate", TimeUnit.MINUTES.toMillis(10));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    Outage outage = new Outage(LOG, "Cannot migrate " + config.pg() + " yet, retrying every second", "PostgreSQL answers");
    try {
      Retry.untilSucceeded(vertx, 1_000, () -> System.nanoTime() > deadline, () -> link.run(Schema::migrate), outage::failed)
          .toCompletionStage().toCompletableFuture().get();
      outage.recovered();
      LOG.info("Schema of {} is at version {}", config.pg(), Sql.SCHEMA_VERSION);
      return 0;
    } catch (Exception failed) {
      LOG.error("Could not migrate {} within {} s: {}", config.pg(), waitSeconds, outage.reason());
      return 1;
    } finally {
      link.close().eventually(vertx::close);
    }
  }
}
