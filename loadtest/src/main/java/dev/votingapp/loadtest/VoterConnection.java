package dev.votingapp.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ByteProcessor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * One voter's HTTP/1.1 connection, written on Netty directly: the request as bytes, the answer read
 * just far enough for what the kit needs (the status, the voter_id of a Set-Cookie, the end of the
 * body). Why not Vert.x's HTTP client: per voter it built a pipeline, two message queues and a chain of
 * futures, and the profile put the kit's own CPU at about a quarter of a millisecond a voter, which at
 * a few thousand voters a second is a core the app under test does not get. A browser does no more
 * than this: one connection, kept alive, its cookie on every request.
 *
 * <p>Everything runs on the voter's event loop; one exchange at a time, as a browser tab sends a form.
 */
final class VoterConnection extends ChannelInboundHandlerAdapter {

  /** What an exchange ends with: the status and the voter_id the answer's Set-Cookie named (or null), or a failure. */
  interface Answer {
    void answered(int status, String voterCookie);

    void failed(Throwable cause);
  }

  /** Where every voter connects, shared by all of them. */
  static final class Target {
    final String host;
    final int port;
    final String hostHeader;
    private final SslContext ssl;
    private final ChannelFactory<? extends Channel> channels;
    private final int connectTimeoutMs;
    private final long requestTimeoutMs;

    Target(URI uri, ChannelFactory<? extends Channel> channels, int connectTimeoutMs, long requestTimeoutMs) {
      boolean https = "https".equals(uri.getScheme());
      host = uri.getHost();
      port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
      hostHeader = uri.getPort() > 0 ? host + ":" + port : host;
      this.channels = channels;
      this.connectTimeoutMs = connectTimeoutMs;
      this.requestTimeoutMs = requestTimeoutMs;
      try {
        ssl = https ? SslContextBuilder.forClient().build() : null;
      } catch (SSLException e) {
        throw new IllegalStateException("cannot set up TLS for " + uri + ": " + e.getMessage(), e);
      }
    }
  }

  private enum State { IDLE, HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, TO_CLOSE }

  private static final int MAX_LINE = 8192;

  private final Target target;
  private final EventLoop loop;
  private Channel channel;
  private ByteBuf pending;
  private Answer answer;
  private ScheduledFuture<?> timeout;
  private State state = State.IDLE;
  private int status;
  private String cookie;
  private long remaining;
  private boolean chunked;
  private boolean closeAfter;

  VoterConnection(Target target, EventLoop loop) {
    this.target = target;
    this.loop = loop;
  }

  /** The Host header's value. */
  String hostHeader() {
    return target.hostHeader;
  }

  /** The event loop the voter and its connection run on. */
  EventLoop loop() {
    return loop;
  }

  /**
   * Sends one request (the connection is opened first when there is none) and reports its answer once
   * the body has been read to its end; a failure closes the connection, so the next exchange opens a
   * new one, as a browser would.
   */
  void exchange(String request, Answer onAnswer, Consumer<Throwable> onConnectError) {
    if (answer != null) {
      throw new IllegalStateException("one exchange at a time");
    }
    answer = onAnswer;
    timeout = loop.schedule(() -> fail(new TimeoutException("no complete answer within " + target.requestTimeoutMs + " ms")),
        target.requestTimeoutMs, TimeUnit.MILLISECONDS);
    if (channel != null && channel.isActive()) {
      send(request);
      return;
    }
    channel = null;
    ChannelFuture connecting = new Bootstrap().group(loop).channelFactory(target.channels)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, target.connectTimeoutMs)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            if (target.ssl != null) {
              ch.pipeline().addLast(target.ssl.newHandler(ch.alloc(), target.host, target.port));
            }
            ch.pipeline().addLast(VoterConnection.this);
          }
        })
        .connect(target.host, target.port);
    Channel opened = connecting.channel();
    channel = opened;
    connecting.addListener(done -> {
      if (channel != opened || answer != onAnswer) {
        return;
      }
      if (done.isSuccess()) {
        send(request);
      } else {
        onConnectError.accept(done.cause());
        fail(done.cause());
      }
    });
  }

  /** Closes the connection; an exchange in flight, if any, fails. */
  void close() {
    Channel open = channel;
    channel = null;
    if (open != null) {
      open.close();
    }
    fail(new IOException("connection closed by the voter"));
  }

  @Override
  public boolean isSharable() {
    return true; // added once per connection, to that connection's pipeline only
  }

  private void send(String request) {
    state = State.HEAD;
    status = 0;
    cookie = null;
    chunked = false;
    closeAfter = false;
    remaining = -1;
    channel.writeAndFlush(ByteBufUtil.writeAscii(channel.alloc(), request), channel.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (ctx.channel() != channel || answer == null) {
      in.release(); // an answer nobody waits for (after a timeout): the connection is being closed
      return;
    }
    if (pending == null) {
      pending = in;
    } else {
      pending = ctx.alloc().buffer(pending.readableBytes() + in.readableBytes()).writeBytes(pending).writeBytes(in);
      in.release();
    }
    try {
      parse();
    } catch (IOException malformed) {
      fail(malformed);
    }
    if (pending != null && !pending.isReadable()) {
      pending.release();
      pending = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (ctx.channel() != channel) {
      return;
    }
    channel = null;
    if (state == State.TO_CLOSE) {
      complete(); // the body ran to the connection's end (neither Content-Length nor chunked)
    } else {
      fail(new IOException("the server closed the connection"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (ctx.channel() == channel) {
      fail(cause);
    }
  }

  private void parse() throws IOException {
    while (answer != null && pending != null && pending.isReadable()) {
      switch (state) {
        case BODY, CHUNK_DATA -> skipBody();
        case TO_CLOSE -> pending.skipBytes(pending.readableBytes());
        case IDLE -> throw new IOException("bytes from the server while no request was open");
        default -> {
          String line = line();
          if (line == null) {
            return;
          }
          onLine(line);
        }
      }
    }
  }

  /** A line of the head, of the chunked framing, or of the trailer. */
  private void onLine(String line) throws IOException {
    switch (state) {
      case HEAD -> {
        if (line.isEmpty()) {
          endOfHead();
        } else if (status == 0) {
          status = statusOf(line);
        } else {
          header(line);
        }
      }
      case CHUNK_SIZE -> {
        int end = line.indexOf(';');
        try {
          remaining = Long.parseLong((end < 0 ? line : line.substring(0, end)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("a chunk size that is not hexadecimal: " + line);
        }
        state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
      }
      case CHUNK_END -> state = State.CHUNK_SIZE;
      case TRAILER -> {
        if (line.isEmpty()) {
          complete();
        }
      }
      default -> throw new IllegalStateException("no line expected in state " + state);
    }
  }

  /** Skips what has arrived of the body (or of a chunk); at its end, the answer is complete (or the chunk's CRLF is next). */
  private void skipBody() {
    int skip = (int) Math.min(remaining, pending.readableBytes());
    pending.skipBytes(skip);
    remaining -= skip;
    if (remaining > 0) {
      return;
    }
    if (state == State.BODY) {
      complete();
    } else {
      state = State.CHUNK_END;
    }
  }

  /** The next line without its CRLF, or null until it has arrived. */
  private String line() throws IOException {
    int lf = pending.forEachByte(ByteProcessor.FIND_LF);
    if (lf < 0) {
      if (pending.readableBytes() > MAX_LINE) {
        throw new IOException("a header line longer than " + MAX_LINE + " bytes");
      }
      return null;
    }
    int length = lf - pending.readerIndex();
    int text = length > 0 && pending.getByte(lf - 1) == '\r' ? length - 1 : length;
    String line = pending.toString(pending.readerIndex(), text, StandardCharsets.ISO_8859_1);
    pending.readerIndex(lf + 1);
    return line;
  }

  private static int statusOf(String line) throws IOException {
    // "HTTP/1.1 200 OK"
    if (!line.startsWith("HTTP/1.") || line.length() < 12) {
      throw new IOException("not an HTTP/1.x status line: " + line);
    }
    try {
      return Integer.parseInt(line.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP/1.x status line: " + line);
    }
  }

  private void header(String line) throws IOException {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new IOException("a header line without a name: " + line);
    }
    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = line.substring(colon + 1).trim();
    switch (name) {
      case "content-length" -> {
        try {
          remaining = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IOException("a Content-Length that is not a number: " + value);
        }
      }
      case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
      case "connection" -> closeAfter = value.toLowerCase(Locale.ROOT).contains("close");
      case "set-cookie" -> {
        if (value.startsWith("voter_id=")) {
          int end = value.indexOf(';');
          cookie = value.substring("voter_id=".length(), end < 0 ? value.length() : end);
        }
      }
      default -> { }
    }
  }

  private void endOfHead() {
    if (status / 100 == 1) {
      status = 0; // an interim answer (100 Continue): the real one follows
    } else if (status == 204 || status == 304) {
      complete();
    } else if (chunked) {
      state = State.CHUNK_SIZE;
    } else if (remaining >= 0) {
      state = State.BODY;
      if (remaining == 0) {
        complete();
      }
    } else {
      state = State.TO_CLOSE;
      closeAfter = true;
    }
  }

  private void complete() {
    Answer done = answer;
    int answered = status;
    String told = cookie;
    finishExchange();
    if (closeAfter && channel != null) {
      Channel closing = channel;
      channel = null;
      closing.close();
    }
    if (done != null) {
      done.answered(answered, told);
    }
  }

  private void fail(Throwable cause) {
    Answer done = answer;
    finishExchange();
    if (channel != null) {
      Channel closing = channel;
      channel = null;
      closing.close();
    }
    if (done != null) {
      done.failed(cause);
    }
  }

  private void finishExchange() {
    answer = null;
    state = State.IDLE;
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
