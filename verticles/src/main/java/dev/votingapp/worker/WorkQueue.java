package dev.votingapp.worker;

import dev.votingapp.common.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The consumer side of the Redis queue, built so that no vote is ever lost:
 * <ul>
 *   <li>a batch moves from {@code votes} into a processing list of this worker in one atomic step
 *       (a Lua script), and is deleted from there only after PostgreSQL committed it;</li>
 *   <li>a heartbeat key with a short TTL says the worker is alive; the processing lists of a worker
 *       whose heartbeat expired are moved back to the head of the queue by any live worker;</li>
 *   <li>messages that cannot be processed go to {@code votes:dead} with the reason.</li>
 * </ul>
 * Key names: {@code <queue>:processing:<worker>:<lane>}, {@code <queue>:worker:<worker>} (heartbeat),
 * {@code <queue>:processing} (a set naming every processing list), {@code <queue>:dead}.
 */
final class WorkQueue {

  static final long HEARTBEAT_TTL_MS = 10_000;

  /** Moves up to ARGV[1] messages from the queue to the processing list, if we still own our heartbeat. */
  private static final String CLAIM = """
      if redis.call('GET', KEYS[3]) ~= ARGV[2] then
        return redis.error_reply('NOTOWNER this worker lost its heartbeat')
      end
      local items = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
      if #items == 0 then return items end
      redis.call('LTRIM', KEYS[1], #items, -1)
      for i = 1, #items, 1000 do
        redis.call('RPUSH', KEYS[2], unpack(items, i, math.min(i + 999, #items)))
      end
      redis.call('SADD', KEYS[4], KEYS[2])
      return items""";

  /** After the commit: dead letters appended and the processing list dropped, in one step. */
  private static final String RELEASE = """
      for i = 1, #ARGV, 1000 do
        redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
      end
      redis.call('DEL', KEYS[1])
      return #ARGV""";

  /** Keeps the heartbeat only if it is still ours (a paused worker may have been declared dead). */
  private static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0""";

  /**
   * Moves a processing list back to the head of the queue, in its order, unless its owner's heartbeat
   * is alive (ARGV[1] = 'force' skips that check for our own unused lists).
   */
  private static final String RECOVER = """
      if ARGV[1] ~= 'force' and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
      local moved = 0
      while redis.call('LMOVE', KEYS[1], KEYS[3], 'RIGHT', 'LEFT') do moved = moved + 1 end
      redis.call('SREM', KEYS[4], KEYS[1])
      return moved""";

  private final Redis redis;
  private final String queue;
  private final String workerId;
  private final String token = UUID.randomUUID().toString();

  WorkQueue(Vertx vertx, RedisConfig config, String workerId, int lanes) {
    // One pooled connection per lane for claims and releases, plus the heartbeat, reaper and probes.
    this.redis = Redis.createClient(vertx, config.options(lanes + 4));
    this.queue = config.queueKey();
    this.workerId = workerId;
  }

  String processingList(int lane) {
    return processingList(workerId, lane);
  }

  private String processingList(String worker, int lane) {
    return queue + ":processing:" + worker + ":" + lane;
  }

  private String heartbeatKey(String worker) {
    return queue + ":worker:" + worker;
  }

  private String registry() {
    return queue + ":processing";
  }

  String deadLetters() {
    return queue + ":dead";
  }

  /** True when the heartbeat is ours now; false while another live process holds this worker id. */
  Future<Boolean> acquireHeartbeat() {
    return redis.send(Request.cmd(Command.SET).arg(heartbeatKey(workerId)).arg(token)
            .arg("NX").arg("PX").arg(HEARTBEAT_TTL_MS))
        .map(reply -> reply != null && "OK".equals(reply.toString()));
  }

  /** False when the heartbeat is no longer ours. */
  Future<Boolean> renewHeartbeat() {
    return eval(RENEW, List.of(heartbeatKey(workerId)), List.of(token, String.valueOf(HEARTBEAT_TTL_MS)))
        .map(reply -> reply.toLong() == 1L);
  }

  /** On a clean stop, so live workers recover anything left at once instead of after the TTL. */
  Future<Void> dropHeartbeat() {
    return eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
        List.of(heartbeatKey(workerId)), List.of(token)).mapEmpty();
  }

  /** What a lane's processing list holds: a batch claimed before a crash or a failed commit. */
  Future<List<String>> leftovers(int lane) {
    return redis.send(Request.cmd(Command.LRANGE).arg(processingList(lane)).arg(0).arg(-1)).map(WorkQueue::strings);
  }

  Future<List<String>> claim(int lane, int max) {
    return eval(CLAIM, List.of(queue, processingList(lane), heartbeatKey(workerId), registry()),
        List.of(String.valueOf(max), token)).map(WorkQueue::strings);
  }

  /**
   * Waits up to a second for a vote on an otherwise empty queue, on the lane's own connection (a
   * blocking command holds its connection), instead of polling. Null when none came.
   */
  Future<String> awaitOne(RedisConnection connection, int lane) {
    return connection.send(Request.cmd(Command.BLMOVE).arg(queue).arg(processingList(lane))
            .arg("LEFT").arg("RIGHT").arg(1))
        .map(reply -> reply == null ? null : reply.toString());
  }

  Future<RedisConnection> connect() {
    return redis.connect();
  }

  Future<Void> release(int lane, List<String> deadLetters) {
    return eval(RELEASE, List.of(processingList(lane), deadLetters()), deadLetters).mapEmpty();
  }

  /**
   * Sends back to the queue every processing list whose owner is dead, and our own lists of lanes we do
   * not run. Returns how many votes were moved.
   */
  Future<Long> recoverAbandoned(int lanes) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(registry())).compose(members -> {
      List<Future<Long>> moves = new ArrayList<>();
      String prefix = queue + ":processing:";
      for (String list : strings(members)) {
        int laneAt = list.lastIndexOf(':');
        if (!list.startsWith(prefix) || laneAt <= prefix.length()) {
          continue;
        }
        String owner = list.substring(prefix.length(), laneAt);
        boolean mine = owner.equals(workerId);
        if (mine && isActiveLane(list.substring(laneAt + 1), lanes)) {
          continue;
        }
        moves.add(eval(RECOVER, List.of(list, heartbeatKey(owner), queue, registry()),
            List.of(mine ? "force" : "check")).map(moved -> Math.max(0L, moved.toLong())));
      }
      return Future.all(moves).map(done -> moves.stream().mapToLong(Future::result).sum());
    });
  }

  private static boolean isActiveLane(String lane, int lanes) {
    try {
      return Integer.parseInt(lane) < lanes;
    } catch (NumberFormatException notALane) {
      return false;
    }
  }

  Future<Long> depth() {
    return redis.send(Request.cmd(Command.LLEN).arg(queue)).map(Response::toLong);
  }

  Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
  }

  Future<Void> close() {
    return redis.close();
  }

  private Future<Response> eval(String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return redis.send(request);
  }

  private static List<String> strings(Response reply) {
    if (reply == null) {
      return List.of();
    }
    List<String> items = new ArrayList<>(reply.size());
    for (Response item : reply) {
      items.add(item.toString());
    }
    return items;
  }

  /** The claim script's refusal: this worker's heartbeat expired or was taken over. */
  static boolean isLostHeartbeat(Throwable failure) {
    return failure != null && String.valueOf(failure.getMessage()).startsWith("NOTOWNER");
  }
}
