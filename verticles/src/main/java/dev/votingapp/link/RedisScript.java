package dev.votingapp.link;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A Lua script run atomically by Redis: sent by its SHA-1 (EVALSHA), and once in full (EVAL) when a
 * Redis that restarted or was flushed no longer has it.
 */
public final class RedisScript {

  private final String source;
  private final String sha;

  public RedisScript(String source) {
    this.source = source;
    try {
      this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** Runs the script through {@code send} (a pooled client or a connection of one's own). */
  public Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
    return send.apply(request(Command.EVALSHA, sha, keys, args)).recover(failure -> isNoScript(failure)
        ? send.apply(request(Command.EVAL, source, keys, args))
        : Future.failedFuture(failure));
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable failure) {
    return failure != null && String.valueOf(failure.getMessage()).startsWith("NOSCRIPT");
  }

  /** A reply that is a list (a script's table, SMEMBERS) as strings; empty for no reply. */
  public static List<String> strings(Response reply) {
    if (reply == null) {
      return List.of();
    }
    List<String> items = new ArrayList<>(reply.size());
    for (Response item : reply) {
      items.add(item.toString());
    }
    return items;
  }

  /** True when the failure is an error the script raised with {@code redis.error_reply(code .. ' ...')}. */
  public static boolean isError(Throwable failure, String code) {
    return failure != null && String.valueOf(failure.getMessage()).startsWith(code + " ");
  }
}
