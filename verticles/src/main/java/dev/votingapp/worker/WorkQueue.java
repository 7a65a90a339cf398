package dev.votingapp.worker;

import dev.votingapp.config.RedisConfig;
import dev.votingapp.link.RedisLink;
import dev.votingapp.link.RedisScript;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer side of the Redis queue, built so that no vote is ever lost:
 * <ul>
 *   <li>a batch moves from {@code votes} into a processing list of this worker in one atomic step
 *       (a Lua script, {@link LaneQueue}) that also names the list in the registry set, and is deleted
 *       from there only after PostgreSQL committed it; nothing else ever fills a processing list;</li>
 *   <li>a heartbeat key with a short TTL says the worker is alive and which process holds the worker
 *       id; claims, leftover reads and releases are refused to any other process;</li>
 *   <li>every processing list named in the registry whose owner's heartbeat expired is moved back to
 *       the head of the queue by any live worker;</li>
 *   <li>messages that cannot be processed go to {@code votes:dead} with the reason.</li>
 * </ul>
 * The key names are in {@link WorkerKeys}.
 *
 * <p>This class holds what the worker does as a whole (heartbeat, recovery, depth) on a connection of
 * its own; each lane has its own {@link LaneQueue}.
 */
final class WorkQueue {

  static final long HEARTBEAT_TTL_MS = 10_000;

  /** Keeps the heartbeat only if it is still ours (a paused worker may have been declared dead). */
  private static final RedisScript RENEW = new RedisScript("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0""");

  private static final RedisScript DROP = new RedisScript("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0""");

  /**
   * Moves a processing list back to the head of the queue, in its order, and drops it from the registry,
   * unless its owner's heartbeat is alive (ARGV[1] = 'force' skips that check for our own unused lists).
   * SREM comes first: a full Redis refuses a script's first write if it may grow memory (LMOVE may), and
   * allows the rest once the script has written.
   */
  private static final RedisScript RECOVER = new RedisScript("""
      if ARGV[1] ~= 'force' and redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
      redis.call('SREM', KEYS[4], KEYS[1])
      local moved = 0
      while redis.call('LMOVE', KEYS[1], KEYS[3], 'RIGHT', 'LEFT') do moved = moved + 1 end
      return moved""");

  /**
   * Takes the heartbeat if it is free. The DEL of the free key writes nothing, but makes the SET after
   * it the script's second write, which a full Redis (maxmemory, noeviction) allows: a worker must be
   * able to start and drain a full queue.
   */
  private static final RedisScript ACQUIRE = new RedisScript("""
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1""");

  private final Vertx vertx;
  private final RedisConfig config;
  private final RedisLink control;
  private final WorkerKeys keys;
  private final long timeoutMs;

  WorkQueue(Vertx vertx, RedisConfig config, String workerId, long timeoutMs) {
    this.vertx = vertx;
    this.config = config;
    // Heartbeat, recovery, depth and readiness; lanes have connections of their own.
    this.control = new RedisLink(vertx, config, 2, timeoutMs);
    this.keys = new WorkerKeys(config.queueKey(), workerId);
    this.timeoutMs = timeoutMs;
  }

  /** The handle of one lane, with a connection of its own. */
  LaneQueue lane(int index) {
    return new LaneQueue(new RedisLink(vertx, config, 1, timeoutMs), keys, index);
  }

  String heartbeatKey() {
    return keys.heartbeat();
  }

  /** True when the heartbeat is ours now; false while another live process holds this worker id. */
  Future<Boolean> acquireHeartbeat() {
    return control.run(ACQUIRE, List.of(keys.heartbeat()), List.of(keys.token(), String.valueOf(HEARTBEAT_TTL_MS)))
        .map(reply -> reply.toLong() == 1L);
  }

  /** False when the heartbeat is no longer ours. */
  Future<Boolean> renewHeartbeat() {
    return control.run(RENEW, List.of(keys.heartbeat()), List.of(keys.token(), String.valueOf(HEARTBEAT_TTL_MS)))
        .map(reply -> reply.toLong() == 1L);
  }

  /** On a clean stop, so live workers recover anything left at once instead of after the TTL. */
  Future<Void> dropHeartbeat() {
    return control.run(DROP, List.of(keys.heartbeat()), List.of(keys.token())).mapEmpty();
  }

  /**
   * Sends back to the queue every registered processing list whose owner is dead, and our own lists of
   * lanes we do not run. Returns how many votes were moved.
   */
  Future<Long> recoverAbandoned(int lanes) {
    return control.send(Request.cmd(Command.SMEMBERS).arg(keys.registry())).compose(members -> {
      List<Future<Long>> moves = new ArrayList<>();
      String prefix = keys.processingPrefix();
      for (String list : RedisScript.strings(members)) {
        int laneAt = list.lastIndexOf(':');
        if (!list.startsWith(prefix) || laneAt <= prefix.length()) {
          continue;
        }
        String owner = list.substring(prefix.length(), laneAt);
        boolean mine = owner.equals(keys.workerId());
        if (mine && isActiveLane(list.substring(laneAt + 1), lanes)) {
          continue;
        }
        moves.add(control.run(RECOVER, List.of(list, keys.heartbeatOf(owner), keys.queue(), keys.registry()),
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

  /**
   * KEYS: queue, registry, dead letters. The lists' lengths and the oldest queued vote's age, read in one
   * step, by the vote clock (Redis's time). A vote without "ts" at the head (the reference format) has no
   * age yet: 0. It only reads, so it works while Redis is full.
   */
  private static final RedisScript SAMPLE = new RedisScript("""
      local processing = 0
      for _, list in ipairs(redis.call('SMEMBERS', KEYS[2])) do
        processing = processing + redis.call('LLEN', list)
      end
      local head = redis.call('LINDEX', KEYS[1], 0)
      local t = redis.call('TIME')
      return {redis.call('LLEN', KEYS[1]), processing, redis.call('LLEN', KEYS[3]),
              head and string.match(head, '"ts":(%d+)') or '', t[1] .. string.format('%06d', tonumber(t[2]))}""");

  QueueSample.Values sample(Response reply) {
    long depth = reply.get(0).toLong();
    String headTs = reply.get(3).toString();
    double age = headTs.isEmpty() ? 0
        : Math.max(0, Long.parseLong(reply.get(4).toString()) - Long.parseLong(headTs)) / 1e6;
    return new QueueSample.Values(depth, reply.get(1).toLong(), reply.get(2).toLong(), depth == 0 ? 0 : age);
  }

  Future<QueueSample.Values> sample() {
    return control.run(SAMPLE, List.of(keys.queue(), keys.registry(), keys.deadLetters()), List.of()).map(this::sample);
  }

  String queueKey() {
    return keys.queue();
  }

  /** Votes waiting in the queue (not those claimed). */
  Future<Long> depth() {
    return control.send(Request.cmd(Command.LLEN).arg(keys.queue())).map(Response::toLong);
  }

  /**
   * Deletes every key of this worker id under this queue: for a queue nothing else uses (the warm-up's),
   * once its lanes have stopped.
   */
  Future<Void> forget(int lanes) {
    Request del = Request.cmd(Command.DEL).arg(keys.queue()).arg(keys.clock()).arg(keys.registry())
        .arg(keys.deadLetters()).arg(keys.heartbeat());
    for (int i = 0; i < lanes; i++) {
      del.arg(keys.processingList(i));
    }
    return control.send(del).mapEmpty();
  }

  Future<Void> ping() {
    return control.send(Request.cmd(Command.PING)).mapEmpty();
  }

  Future<Void> close() {
    return control.close();
  }
}
