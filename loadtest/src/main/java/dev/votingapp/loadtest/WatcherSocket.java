package dev.votingapp.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.function.Consumer;

/**
 * One results page's WebSocket: connects to the result service's /ws (the protocol of result.js:
 * every push is the whole tally, {"options":[{"id","label","votes"}],"total"}) and hands each push to
 * its listener with the time it arrived. The kit's watchers and the result benchmark both use it.
 * Lives on the event loop of the context that connects it.
 */
final class WatcherSocket {

  /** A push: when it arrived (System.nanoTime and epoch ms), its total, and its text. */
  record Push(long nanos, long millis, long total, String text) {
  }

  private final WebSocketClient client;
  private final WebSocketConnectOptions where;
  private final Consumer<Push> listener;
  private ClientWebSocket socket;
  private Runnable onClose = () -> { };

  WatcherSocket(WebSocketClient client, String resultUrl, Consumer<Push> listener) {
    this.client = client;
    URI uri = URI.create(resultUrl);
    this.where = new WebSocketConnectOptions().setHost(uri.getHost())
        .setPort(uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80)
        .setSsl("https".equals(uri.getScheme())).setURI("/ws");
    this.listener = listener;
  }

  /** Called when the server closes the socket or it fails (not after {@link #close}). */
  WatcherSocket onClose(Runnable onClose) {
    this.onClose = onClose;
    return this;
  }

  /**
   * A client for {@code sockets} of them: Vert.x allows 50 WebSockets per server by default and queues
   * the rest; and it offers permessage-deflate, as every browser does, so the server's cost per watcher
   * is a browser's.
   */
  static WebSocketClientOptions options(int sockets) {
    return new WebSocketClientOptions().setMaxConnections(sockets + 16).setTryUsePerMessageCompression(true);
  }

  /** Connects from the given context, so the socket lives on its event loop. */
  Future<Void> connect(Context context) {
    io.vertx.core.Promise<Void> opened = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      ClientWebSocket ws = client.webSocket();
      ws.textMessageHandler(text -> {
        long nanos = System.nanoTime();
        listener.accept(new Push(nanos, System.currentTimeMillis(), total(text), text));
      });
      ws.closeHandler(closed -> {
        if (socket == ws) {
          socket = null;
          onClose.run();
        }
      });
      ws.connect(where).onSuccess(connected -> socket = ws).<Void>mapEmpty().onComplete(opened);
    });
    return opened.future();
  }

  boolean open() {
    return socket != null;
  }

  Future<Void> close() {
    ClientWebSocket ws = socket;
    socket = null;
    return ws == null ? Future.succeededFuture() : ws.close();
  }

  /** The "total" of a push, read without parsing the whole tally (thousands of watchers read every push). */
  static long total(String json) {
    int key = json.lastIndexOf("\"total\"");
    if (key < 0) {
      return -1;
    }
    int i = json.indexOf(':', key) + 1;
    while (i < json.length() && json.charAt(i) == ' ') {
      i++;
    }
    long total = 0;
    boolean digits = false;
    for (; i < json.length() && Character.isDigit(json.charAt(i)); i++) {
      total = total * 10 + (json.charAt(i) - '0');
      digits = true;
    }
    return digits ? total : -1;
  }
}
