package dev.votingapp.testing;

import dev.votingapp.config.PgConfig;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fixture of tests that run roles against a database of their own: before each test, the app's
 * process (injected by {@link VertxExtension}, closed after the test, its pools with it) and a new
 * database with the schema up to date.
 */
@ExtendWith(VertxExtension.class)
public abstract class AppWithDatabase {

  protected InProcessApp app;
  protected Db db;
  /** Where {@link #db} points, to point the roles there too. */
  protected PgConfig database;

  @BeforeEach
  protected final void newMigratedDatabase(InProcessApp app) {
    this.app = app;
    db = Db.onNewDatabase(app.vertx).migrate();
    database = db.config();
  }
}
