package dev.votingapp.result;

import static dev.votingapp.testing.Await.SOON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.votingapp.config.Config;
import dev.votingapp.testing.AppWithDatabase;
import dev.votingapp.testing.Await;
import dev.votingapp.testing.PrometheusText;
import dev.votingapp.testing.TestConfig;
import dev.votingapp.testing.WsClient;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The results page's WebSocket viewers: kept alive while quiet, capped per process, from allowed pages only. */
class LiveViewersIT extends AppWithDatabase {

  /**
   * A viewer who only watches sends nothing for minutes. The server pings it well within the idle
   * timeout (2 s here), so it stays connected through several timeouts and still gets the next vote.
   */
  @Test
  void aQuietViewerStaysConnectedForSeveralIdleTimeouts() {
    int port = deploy(Map.of("HTTP_IDLE_TIMEOUT_SECONDS", "2"));
    try (WsClient viewer = new WsClient(app.vertx, port, "/ws")) {
      viewer.next(SOON);

      Await.until("six pings: six seconds, three idle timeouts", SOON, () -> viewer.pings() >= 6 || viewer.isClosed());

      assertThat(viewer.isClosed()).as("closed while quiet").isFalse();
      db.execute("INSERT INTO votes (id, vote) VALUES ('quiet-1', 'a')");
      assertThat(viewer.next(SOON).getLong("total")).isEqualTo(1);
    }
  }

  @Test
  void pastTheCapAnUpgradeIsRefusedWith503UntilAViewerLeaves() {
    int port = deploy(Map.of("RESULT_MAX_CLIENTS", "2"));
    WsClient first = new WsClient(app.vertx, port, "/ws");
    try (WsClient second = new WsClient(app.vertx, port, "/ws")) {
      assertThatThrownBy(() -> new WsClient(app.vertx, port, "/ws"))
          .isInstanceOfSatisfying(UpgradeRejectedException.class, refused -> assertThat(refused.getStatus()).isEqualTo(503));
      assertThat(PrometheusText.value(app.metrics(), "result_clients_refused_total{reason=\"full\"}")).isEqualTo(1);

      first.close();

      Await.until("a slot is free again", SOON, () -> PrometheusText.value(app.metrics(), "result_clients") == 1);
      try (WsClient third = new WsClient(app.vertx, port, "/ws")) {
        assertThat(third.next(SOON).getLong("total")).isZero();
      }
    }
  }

  @Test
  void onlyThisSitesPagesAndTheAllowedOnesMayOpenTheLiveResults() {
    int port = deploy(Map.of("RESULT_ALLOWED_ORIGINS", "https://results.example.com"));

    assertThatThrownBy(() -> new WsClient(app.vertx, origin(port, "https://evil.example")))
        .isInstanceOfSatisfying(UpgradeRejectedException.class, refused -> assertThat(refused.getStatus()).isEqualTo(403));
    try (WsClient sameSite = new WsClient(app.vertx, origin(port, "http://127.0.0.1:" + port));
         WsClient allowed = new WsClient(app.vertx, origin(port, "https://results.example.com"))) {
      assertThat(sameSite.next(SOON).getLong("total")).isZero();
      assertThat(allowed.next(SOON).getLong("total")).isZero();
    }
    assertThat(PrometheusText.value(app.metrics(), "result_clients_refused_total{reason=\"origin\"}")).isEqualTo(1);
  }

  /** Viewers send nothing but control frames; a large message is not a viewer's and ends the connection. */
  @Test
  void aLargeMessageFromAClientClosesItsConnection() {
    int port = deploy(Map.of());
    try (WsClient viewer = new WsClient(app.vertx, port, "/ws")) {
      viewer.next(SOON);

      viewer.socket().writeTextMessage("x".repeat(4 * ResultVerticle.MAX_FRAME_BYTES));

      Await.until("the server closed the connection", SOON, viewer::isClosed);
    }
  }

  private static WebSocketConnectOptions origin(int port, String origin) {
    return new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI("/ws").addHeader("Origin", origin);
  }

  private int deploy(Map<String, String> extra) {
    Config config = TestConfig.on(database).with(extra).config();
    ResultService result = Await.result(ResultService.deploy(app.vertx, config, app.management, 1));
    Await.until("result service ready", SOON, app::ready);
    return result.port();
  }
}
