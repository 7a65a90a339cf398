package dev.votingapp.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' Redis client: commands, and lists read the way a queue consumer sees them. On close it
 * deletes every key under the test's own prefix (a queue's name covers the queue and its companion keys)
 * and nothing else.
 */
public final class RedisKeys implements AutoCloseable {

  private final Redis client;
  private final RedisAPI api;
  private final String prefix;

  public RedisKeys(Vertx vertx, String url, String prefix) {
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(4));
    this.api = RedisAPI.api(client);
    this.prefix = prefix;
  }

  /** A queue of the test's own on the test Redis server, named after its purpose; closing deletes its keys. */
  public static RedisKeys ownQueue(Vertx vertx, String purpose) {
    return new RedisKeys(vertx, TestServers.redisUrl(), TestServers.uniqueKey(purpose));
  }

  /** The queue's name, which every key this client deletes on close starts with. */
  public String prefix() {
    return prefix;
  }

  public RedisAPI api() {
    return api;
  }

  /** RPUSH in chunks, as producers would, keeping the order. */
  public void push(String key, List<String> messages) {
    for (int from = 0; from < messages.size(); from += 1_000) {
      List<String> args = new ArrayList<>();
      args.add(key);
      args.addAll(messages.subList(from, Math.min(messages.size(), from + 1_000)));
      Await.result(api.rpush(args));
    }
  }

  public long length(String key) {
    return Await.result(api.llen(key)).toLong();
  }

  public List<String> range(String key) {
    List<String> items = new ArrayList<>();
    for (Response item : Await.result(api.lrange(key, "0", "-1"))) {
      items.add(item.toString());
    }
    return items;
  }

  /** The list's items, oldest first, as the JSON messages producers queue. */
  public List<JsonObject> messages(String key) {
    return range(key).stream().map(JsonObject::new).toList();
  }

  public boolean exists(String key) {
    return Await.result(api.exists(List.of(key))).toLong() == 1;
  }

  /** Keys under the prefix (SCAN, never KEYS). */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response page = Await.result(api.scan(List.of(cursor, "MATCH", prefix + "*", "COUNT", "1000")));
      cursor = page.get(0).toString();
      page.get(1).forEach(key -> keys.add(key.toString()));
    } while (!"0".equals(cursor));
    return keys;
  }

  @Override
  public void close() {
    List<String> keys = keys();
    if (!keys.isEmpty()) {
      Await.result(api.del(keys));
    }
    client.close();
  }
}
