package dev.votingapp.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** Reads a Redis list the way a queue consumer would see it; deletes only the test's own key. */
public final class RedisList implements AutoCloseable {

  private final Redis client;
  private final RedisAPI redis;
  private final String key;

  public RedisList(Vertx vertx, String url, String key) {
    this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
    this.redis = RedisAPI.api(client);
    this.key = key;
  }

  public List<JsonObject> messages() {
    Response items = Await.result(redis.lrange(key, "0", "-1"));
    List<JsonObject> messages = new ArrayList<>();
    for (Response item : items) {
      messages.add(new JsonObject(item.toString()));
    }
    return messages;
  }

  public long length() {
    return Await.result(redis.llen(key)).toLong();
  }

  @Override
  public void close() {
    Await.result(redis.del(List.of(key)));
    client.close();
  }
}
