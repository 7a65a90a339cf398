-- wrk script for the vote service: every request is POST / with the form body vote=a.
--
--   wrk -t2 -c50 -d20s --latency -s bench/post-vote.lua http://127.0.0.1:5000/
--
-- At the end it prints one key=value line per figure, for bench/vote.sh to parse:
--   requests, duration_s, requests_per_s, ok_2xx, non_2xx,
--   errors_connect, errors_read, errors_write, errors_timeout,
--   mean_ms, p50_ms, p90_ms, p99_ms, p99_9_ms, max_ms
-- ok_2xx + non_2xx counts the responses seen, from wrk's own summary: non_2xx is its count of answers
-- with a status of 400 or more (the vote service never redirects a POST; were it to, the bench's check
-- of the queue against ok_2xx would fail). No response() function: wrk then copies every answer's
-- headers and body into Lua, a cost the GET run without a script does not pay, and on these 2 cores
-- that made POSTs look slower next to GETs than the service is.

wrk.method = "POST"
wrk.body = "vote=a"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local function ms(microseconds)
  return string.format("%.3f", microseconds / 1000)
end

function done(summary, latency, requests)
  local bad = summary.errors.status
  local ok = summary.requests - bad
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
