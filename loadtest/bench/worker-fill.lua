-- Fills the worker's queue for bench/worker.sh, inside Redis in one EVAL (a couple of seconds at most):
--
--   redis-cli --eval bench/worker-fill.lua votes , <voters> <first ts in microseconds since the epoch>
--
-- Voter i (1..voters) is "bench-voter-<i>". Its first vote is "b" when i is a multiple of 3, else "a".
-- Every 10th voter votes a second time, for the other option:
--   i % 20 == 10: right after its first vote (usually the same batch: the worker keeps the newer one);
--   i % 20 == 0:  after all first votes, at the tail of the queue (a later batch updates the row).
-- "ts" grows by one microsecond per message in queue order, so a second vote is always the newer one.
-- Final vote of voter i: "b" exactly when (i % 3 == 0) differs from (i % 10 == 0), else "a".
--
-- Returns the number of messages pushed: voters + floor(voters / 10).

local queue = KEYS[1]
local voters = tonumber(ARGV[1])
local ts = tonumber(ARGV[2])
-- Lua's unpack() has a stack limit, so the messages go out in RPUSH calls of at most CHUNK each.
local CHUNK = 1000
local buffer, buffered, pushed = {}, 0, 0

local function flush()
  if buffered > 0 then
    redis.call('RPUSH', queue, unpack(buffer, 1, buffered))
    pushed = pushed + buffered
    buffered = 0
  end
end

local function push(i, vote)
  ts = ts + 1
  buffered = buffered + 1
  -- %d: ts is a double, exact up to 2^53 (microseconds since the epoch are about 1.8e15).
  buffer[buffered] = string.format('{"voter_id":"bench-voter-%d","vote":"%s","ts":%d}', i, vote, ts)
  if buffered == CHUNK then
    flush()
  end
end

local function first(i)
  if i % 3 == 0 then return 'b' end
  return 'a'
end

local function other(vote)
  if vote == 'a' then return 'b' end
  return 'a'
end

for i = 1, voters do
  local vote = first(i)
  push(i, vote)
  if i % 20 == 10 then
    push(i, other(vote))
  end
end
for i = 20, voters, 20 do
  push(i, other(first(i)))
end
flush()
return pushed
