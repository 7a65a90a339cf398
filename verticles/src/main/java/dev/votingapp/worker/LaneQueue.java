package dev.votingapp.worker;

import dev.votingapp.link.RedisLink;
import dev.votingapp.link.RedisScript;
import dev.votingapp.store.VoteClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * One lane's side of the queue, on a Redis connection of its own (a blocking wait holds its connection):
 * its processing list, claimed into, read back and released only by the process that holds the worker
 * id's heartbeat.
 *
 * @param link its connection
 * @param keys the worker's keys, shared by its lanes
 * @param lane its index, which names its processing list
 */
record LaneQueue(RedisLink link, WorkerKeys keys, int lane) {

  /** How long one wait for a vote on an empty queue blocks before the lane looks around again. */
  static final int WAIT_SECONDS = 1;
  private static final long FULL_REDIS_RETRY_MS = 100;

  private static final String OWNER_CHECK = """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('%s this worker lost its heartbeat')
      end
      """.formatted(LostHeartbeat.CODE);

  /**
   * KEYS: heartbeat, queue, processing list, registry, clock. ARGV: token, max. Moves up to max messages
   * from the queue to the processing list and names the list in the registry, so a reaper always finds
   * it. A message without "ts" (the reference vote app's) gets the next instant of the vote clock,
   * stored with it: a redelivered message keeps the time of its first claim. Returns the clock's
   * instant of the claim, then the messages. Its first write, LTRIM, shrinks the queue: a full Redis
   * allows it, and then the writes after it.
   */
  private static final RedisScript CLAIM = new RedisScript(VoteClock.LUA + OWNER_CHECK + """
      local items = redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1)
      if #items == 0 then return {micros(now(KEYS[5]))} end
      redis.call('LTRIM', KEYS[2], #items, -1)
      local unstamped = {}
      for i = 1, #items do
        local item = items[i]
        if not string.find(item, '"ts"', 1, true) and string.sub(item, -1) == '}' then
          local ok, message = pcall(cjson.decode, item)
          if ok and type(message) == 'table' and type(message.voter_id) == 'string' and type(message.vote) == 'string' then
            unstamped[#unstamped + 1] = i
          end
        end
      end
      local first = tick(KEYS[5], #unstamped + 1)
      for j, i in ipairs(unstamped) do
        items[i] = string.sub(items[i], 1, -2) .. ',"ts":' .. micros(first + j - 1) .. '}'
      end
      for i = 1, #items, 1000 do
        redis.call('RPUSH', KEYS[3], unpack(items, i, math.min(i + 999, #items)))
      end
      redis.call('SADD', KEYS[4], KEYS[3])
      table.insert(items, 1, micros(first + #unstamped))
      return items""");

  /**
   * KEYS: heartbeat, processing list, clock. ARGV: token. What the list holds, after the clock's instant.
   * It only reads, so it works while Redis is full.
   */
  private static final RedisScript LEFTOVERS = new RedisScript(VoteClock.LUA + OWNER_CHECK + """
      local items = redis.call('LRANGE', KEYS[2], 0, -1)
      table.insert(items, 1, micros(now(KEYS[3])))
      return items""");

  /**
   * KEYS: heartbeat, processing list, dead letters. ARGV: token, dead letters. After the commit, in one
   * step. The DEL comes first: a full Redis (maxmemory, noeviction) refuses a script's first write if it
   * may grow memory, and allows the rest once the script has written.
   */
  private static final RedisScript RELEASE = new RedisScript(OWNER_CHECK + """
      redis.call('DEL', KEYS[2])
      for i = 2, #ARGV, 1000 do
        redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, #ARGV)))
      end
      return #ARGV - 1""");

  String processingList() {
    return keys.processingList(lane);
  }

  /** What this lane's processing list holds: a batch claimed before a crash or a failed commit. */
  Future<Claim> leftovers() {
    return owned(link.run(LEFTOVERS, List.of(keys.heartbeat(), processingList(), keys.clock()),
        List.of(keys.token())).map(LaneQueue::claim));
  }

  Future<Claim> claim(int max) {
    return owned(link.run(CLAIM, List.of(keys.heartbeat(), keys.queue(), processingList(), keys.registry(),
        keys.clock()), List.of(keys.token(), String.valueOf(max))).map(LaneQueue::claim));
  }

  /**
   * Waits up to {@link #WAIT_SECONDS} for a vote on an empty queue instead of polling. It moves the head of
   * the queue to the head of the queue (a rotation that changes nothing), so the wait fills no list: only
   * a claim ever does. True when a vote is waiting.
   */
  Future<Boolean> awaitVote(Vertx vertx, long timeoutMs) {
    return link.send(Request.cmd(Command.BLMOVE).arg(keys.queue()).arg(keys.queue()).arg("LEFT").arg("LEFT")
            .arg(WAIT_SECONDS), WAIT_SECONDS * 1_000L + timeoutMs)
        .map(reply -> reply != null)
        // A full Redis refuses BLMOVE (it may grow memory): look again shortly instead, by claiming.
        .recover(failure -> RedisScript.isError(failure, "OOM")
            ? vertx.timer(FULL_REDIS_RETRY_MS).map(true)
            : Future.failedFuture(failure))
        .recover(DependencyFailure.of(Dependency.REDIS));
  }

  Future<Void> release(List<String> deadLetters) {
    List<String> args = new java.util.ArrayList<>(deadLetters.size() + 1);
    args.add(keys.token());
    args.addAll(deadLetters);
    return owned(link.run(RELEASE, List.of(keys.heartbeat(), processingList(), keys.deadLetters()), args).mapEmpty());
  }

  Future<Void> close() {
    return link.close();
  }

  /** A refusal of the owner check becomes a {@link LostHeartbeat}; any other failure is Redis's. */
  private <T> Future<T> owned(Future<T> reply) {
    return reply.recover(failure -> Future.failedFuture(RedisScript.isError(failure, LostHeartbeat.CODE)
        ? new LostHeartbeat(keys.workerId()) : failure))
        .recover(DependencyFailure.of(Dependency.REDIS));
  }

  /**
   * The scripts answer the clock's instant first, then the messages; a reply of another shape (another
   * command's, after a broken connection) fails, and the lane reads its list again.
   */
  private static Claim claim(Response reply) {
    List<String> items = RedisScript.strings(reply);
    if (items.isEmpty() || !items.get(0).matches("\\d{1,19}")) {
      throw new IllegalStateException("not a claim reply: " + (items.isEmpty() ? "empty" : items.get(0)));
    }
    return new Claim(Long.parseLong(items.get(0)), items.subList(1, items.size()));
  }
}
