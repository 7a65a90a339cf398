package dev.votingapp.store;

/**
 * The one clock every vote is timed by: Redis's own time, in microseconds, made strictly increasing by
 * a key that holds the last instant handed out. The vote service's push and the worker's claim read it
 * inside their Lua scripts, in the same atomic step as the write, so vote instances whose clocks
 * disagree cannot reorder a voter's votes, and no two votes of a queue share an instant.
 */
public final class VoteClock {

  private VoteClock() {
  }

  /** The key holding the last instant handed out, next to the queue. */
  public static String key(String queue) {
    return queue + ":clock";
  }

  /**
   * Lua: {@code tick(clockKey, count)} reserves {@code count} consecutive instants and returns the first;
   * {@code now(clockKey)} reads the clock without advancing it. Instants are numbers; {@code micros()}
   * formats one exactly (Lua's default number format would round it).
   */
  public static final String LUA = """
      local function now(clock)
        local t = redis.call('TIME')
        local instant = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local last = tonumber(redis.call('GET', clock) or 0)
        if instant <= last then instant = last + 1 end
        return instant
      end
      local function tick(clock, count)
        local first = now(clock)
        redis.call('SET', clock, string.format('%d', first + count - 1))
        return first
      end
      local function micros(instant)
        return string.format('%d', instant)
      end
      """;
}
