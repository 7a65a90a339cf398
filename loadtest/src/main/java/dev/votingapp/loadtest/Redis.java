package dev.votingapp.loadtest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the Redis protocol to read the queue's depth (LLEN, SMEMBERS): the kit needs no
 * Redis client library for three commands. redis://[:password@]host:port[/db]; no TLS.
 */
final class Redis implements AutoCloseable {

  private final Socket socket = new Socket();
  private final InputStream in;
  private final OutputStream out;

  Redis(String url, String password) throws IOException {
    URI uri = URI.create(url);
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), 3000);
    socket.setSoTimeout(5000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    String secret = !password.isEmpty() ? password
        : uri.getUserInfo() != null ? uri.getUserInfo().substring(uri.getUserInfo().indexOf(':') + 1) : "";
    if (!secret.isEmpty()) {
      call("AUTH", secret);
    }
    String path = uri.getPath();
    if (path != null && path.length() > 1) {
      call("SELECT", path.substring(1));
    }
  }

  Object call(String... args) throws IOException {
    StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
    }
    out.write(command.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return read();
  }

  /** The depth of the queue plus every processing list in the worker registry. */
  long backlog(String queue) throws IOException {
    long depth = (Long) call("LLEN", queue);
    @SuppressWarnings("unchecked")
    List<Object> processing = (List<Object>) call("SMEMBERS", queue + ":processing");
    for (Object list : processing) {
      depth += (Long) call("LLEN", (String) list);
    }
    return depth;
  }

  private Object read() throws IOException {
    int type = in.read();
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("Redis: " + line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      }
      default:
        throw new IOException("Redis: unexpected reply type " + type);
    }
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("Redis closed the connection");
      }
      line.append((char) c);
    }
    in.read();
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
