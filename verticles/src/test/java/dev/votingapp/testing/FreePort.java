package dev.votingapp.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

public final class FreePort {

  private FreePort() {
  }

  public static int find() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException failed) {
      throw new IllegalStateException("no free port", failed);
    }
  }
}
