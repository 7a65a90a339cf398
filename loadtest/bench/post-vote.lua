-- wrk script for the vote service: every request is POST / with the form body vote=a.
--
--   wrk -t2 -c50 -d20s --latency -s bench/post-vote.lua http://127.0.0.1:5000/
--
-- At the end it prints one key=value line per figure, for bench/vote.sh to parse:
--   requests, duration_s, requests_per_s, ok_2xx, non_2xx,
--   errors_connect, errors_read, errors_write, errors_timeout,
--   mean_ms, p50_ms, p90_ms, p99_ms, p99_9_ms, max_ms
-- ok_2xx + non_2xx counts the responses seen; wrk's own "Non-2xx or 3xx" line counts 3xx as fine.

wrk.method = "POST"
wrk.body = "vote=a"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

-- wrk runs one Lua state per thread, plus the main one that calls setup() and done().
-- Each thread counts in its own globals; done() collects them through thread:get().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Per-thread counters: globals, because thread:get() reads globals only.
ok_2xx = 0
non_2xx = 0

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok_2xx = ok_2xx + 1
  else
    non_2xx = non_2xx + 1
  end
end

local function ms(microseconds)
  return string.format("%.3f", microseconds / 1000)
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("ok_2xx") or 0)
    bad = bad + (thread:get("non_2xx") or 0)
  end
  local seconds = summary.duration / 1e6
  local lines = {
    "requests=" .. summary.requests,
    string.format("duration_s=%.3f", seconds),
    string.format("requests_per_s=%.2f", seconds > 0 and summary.requests / seconds or 0),
    "ok_2xx=" .. ok,
    "non_2xx=" .. bad,
    "errors_connect=" .. summary.errors.connect,
    "errors_read=" .. summary.errors.read,
    "errors_write=" .. summary.errors.write,
    "errors_timeout=" .. summary.errors.timeout,
    "mean_ms=" .. ms(latency.mean),
    "p50_ms=" .. ms(latency:percentile(50)),
    "p90_ms=" .. ms(latency:percentile(90)),
    "p99_ms=" .. ms(latency:percentile(99)),
    "p99_9_ms=" .. ms(latency:percentile(99.9)),
    "max_ms=" .. ms(latency.max),
  }
  io.write(table.concat(lines, "\n"), "\n")
end
