package dev.votingapp.result;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSocket clients of the results page on one event loop. Every message is the whole tally, so a client that is
 * slow to read loses nothing by skipping one: it gets the newest tally when its socket drains, and is
 * closed if it does not drain for {@link #SLOW_CLIENT_MS}. Memory per client stays bounded either way.
 */
final class Broadcaster {

  static final long SLOW_CLIENT_MS = 30_000;
  private static final int WRITE_QUEUE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final ResultMetrics metrics;
  private final ClientSlots slots;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private String latest;

  // Plain constructor injection; WorkerReports has the same shape for unrelated collaborators.
  Broadcaster(Vertx vertx, ResultMetrics metrics, ClientSlots slots) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.slots = slots;
  }

  int size() {
    return clients.size();
  }

  /** A new client, holding one of the process's slots, gets the current tally at once. */
  void add(ServerWebSocket socket) {
    socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    Client client = new Client(socket);
    clients.add(client);
    socket.closeHandler(closed -> remove(client));
    socket.exceptionHandler(failed -> socket.close());
    if (latest != null) {
      client.offer(latest);
    }
  }

  /** Sends a changed tally to everyone. */
  void publish(String tallyJson) {
    latest = tallyJson;
    int written = 0;
    for (Client client : clients) {
      if (client.offer(tallyJson)) {
        written++;
      }
    }
    metrics.sent(written);
  }

  /**
   * A ping to every client: the connection is never idle long enough for the HTTP idle timeout (or a
   * proxy's) to close it, and a client that went away without a word is found out.
   */
  void pingAll() {
    for (Client client : clients) {
      if (!client.socket.isClosed() && !client.socket.writeQueueFull()) {
        client.socket.writePing(Buffer.buffer());
      }
    }
  }

  private void remove(Client client) {
    if (clients.remove(client)) {
      client.notSlow();
      slots.release();
    }
  }

  void closeAll() {
    clients.forEach(client -> {
      remove(client);
      client.socket.close((short) 1001, "server shutting down");
    });
  }

  private final class Client {
    private final ServerWebSocket socket;
    private String pending;
    private long slowTimer = -1;
    private boolean slow;

    Client(ServerWebSocket socket) {
      this.socket = socket;
    }

    /**
     * Writes now, or keeps only the newest message until the socket drains. A socket that is closing
     * (its close handler, which removes it, has not run yet) throws on any write: it is skipped, so
     * the viewers after it in the loop still get the message.
     */
    boolean offer(String json) {
      if (socket.isClosed()) {
        return false;
      }
      if (!socket.writeQueueFull()) {
        socket.writeTextMessage(json);
        return true;
      }
      if (pending == null) {
        slow = true;
        slots.slowStarted();
        socket.drainHandler(drained -> flush());
        slowTimer = vertx.setTimer(SLOW_CLIENT_MS, expired -> {
          metrics.dropped();
          remove(this);
          socket.close((short) 1008, "too slow");
        });
      }
      pending = json;
      return false;
    }

    private void notSlow() {
      if (slow) {
        slow = false;
        slots.slowEnded();
      }
    }

    private void flush() {
      notSlow();
      String json = pending;
      pending = null;
      vertx.cancelTimer(slowTimer);
      socket.drainHandler(null);
      if (json != null && !socket.isClosed()) {
        socket.writeTextMessage(json);
        metrics.sent(1);
      }
    }
  }
}
