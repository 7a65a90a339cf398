package dev.votingapp.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real server that a test can cut (every connection dropped, new ones
 * refused) and restore on the same port: the server "goes away" for the app without the test stopping
 * a server it may share with others.
 */
public final class TcpProxy implements AutoCloseable {

  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final int port = FreePort.find();
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private final NetClient client;
  private NetServer server;

  public TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    restore();
  }

  public int port() {
    return port;
  }

  public synchronized void restore() {
    server = Await.result(vertx.createNetServer().connectHandler(this::forward).listen(port, "127.0.0.1"));
  }

  /** Drops every open connection and refuses new ones until {@link #restore()}. */
  public synchronized void cut() {
    Await.result(server.close());
    sockets.forEach(NetSocket::close);
    sockets.clear();
  }

  private void forward(NetSocket inbound) {
    inbound.pause();
    sockets.add(inbound);
    client.connect(targetPort, targetHost).onComplete(connected -> {
      if (connected.failed()) {
        inbound.close();
        return;
      }
      NetSocket outbound = connected.result();
      sockets.add(outbound);
      inbound.closeHandler(closed -> outbound.close());
      outbound.closeHandler(closed -> inbound.close());
      inbound.pipeTo(outbound);
      outbound.pipeTo(inbound);
      inbound.resume();
    });
  }

  @Override
  public void close() {
    cut();
    client.close();
  }
}
