package dev.votingapp.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real server that a test can break in two ways, without stopping a server
 * it may share with others:
 * <ul>
 *   <li>{@link #cut()}: every connection dropped, new ones closed at once, until {@link #restore()} (the
 *       server went away);</li>
 *   <li>{@link #blackhole()}: nothing is forwarded any more and nothing is closed, new connections are
 *       accepted and hang too (a network that silently drops packets); after {@link #heal()} new
 *       connections work again, and the black-holed ones stay hung, as they would for minutes in
 *       reality.</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

  private final Vertx vertx;
  private volatile String targetHost;
  private volatile int targetPort;
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
  private final NetClient client;
  private final NetServer server;
  private volatile boolean blackholed;
  private volatile boolean refusing;

  public TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    // Bound once, on any free port, and kept while cut: no other process can take the port meanwhile.
    this.server = Await.result(vertx.createNetServer().connectHandler(this::forward).listen(0, "127.0.0.1"));
  }

  public int port() {
    return server.actualPort();
  }

  /**
   * Points the proxy at another server and drops every connection to the old one, as a managed Redis's
   * primary endpoint (a DNS name) moves to the promoted replica in a failover.
   */
  public void retarget(String host, int port) {
    targetHost = host;
    targetPort = port;
    dropAll();
  }

  /** Connections are forwarded again. */
  public void restore() {
    refusing = false;
  }

  /** Drops every open connection, and every new one at once, until {@link #restore()}. */
  public void cut() {
    refusing = true;
    dropAll();
  }

  /** Returns once every socket is closed, so that a test's "after the cut" really is after it. */
  private void dropAll() {
    List<Future<Void>> closed = new ArrayList<>();
    sockets.forEach(socket -> closed.add(socket.close()));
    sockets.clear();
    pairs.clear();
    Await.result(Future.join(closed));
  }

  /** Stops forwarding on every connection, without closing any; new connections hang as well. */
  public void blackhole() {
    blackholed = true;
    pairs.forEach(pair -> pair.dead = true);
  }

  /** New connections are forwarded again; those black-holed stay hung. */
  public void heal() {
    blackholed = false;
  }

  private void forward(NetSocket inbound) {
    if (refusing) {
      inbound.close();
      return;
    }
    sockets.add(inbound);
    if (blackholed) {
      inbound.handler(dropped -> { });
      return;
    }
    inbound.pause();
    client.connect(targetPort, targetHost).onComplete(connected -> {
      if (connected.failed()) {
        inbound.close();
        return;
      }
      NetSocket outbound = connected.result();
      if (refusing) { // cut while this connection was being made
        outbound.close();
        inbound.close();
        return;
      }
      sockets.add(outbound);
      Pair pair = new Pair();
      pairs.add(pair);
      inbound.closeHandler(closed -> outbound.close());
      outbound.closeHandler(closed -> inbound.close());
      inbound.handler(data -> pair.relay(data, inbound, outbound));
      outbound.handler(data -> pair.relay(data, outbound, inbound));
      inbound.resume();
    });
  }

  /** The two sides of one proxied connection; once dead, nothing more goes through. */
  private static final class Pair {
    private volatile boolean dead;

    void relay(Buffer data, NetSocket from, NetSocket to) {
      if (dead) {
        return;
      }
      to.write(data);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(drained -> from.resume());
      }
    }
  }

  @Override
  public void close() {
    cut();
    Await.result(server.close());
    client.close();
  }
}
