#!/usr/bin/env bash
# Benchmark of the vote service: POST / vote=a with wrk, against the service and a private Redis,
# all three on this machine and on loopback only; then the same process's GET of the ballot, and the
# ratio of the two (a vote's cost against a page view's).
#
#   bash loadtest/bench/vote.sh
#
# Environment:
#   BENCH_DURATION     measured run, wrk syntax (default 20s); the warm-up is always 10s
#   BENCH_CONNECTIONS  open connections (default 50); wrk uses 2 threads
#   BENCH_REDIS_PORT   first port tried for the private Redis (default 6390)
#   BENCH_VOTE_PORT    first port tried for the vote service (default 5600)
#   BENCH_MANAGEMENT_PORT  first port tried for its management port: /ready, /metrics (default 5680)
#   BENCH_WAIT_REPLICAS=1  with a replica of the private Redis and REDIS_WAIT_REPLICAS=1: every vote is
#                      acknowledged only once the replica has it (the cost of surviving a failover)
#   BENCH_TRACING=1    with tracing on: every request sampled, spans exported over OTLP/HTTP to a sink
#                      this script starts on loopback (it answers 200 and keeps nothing)
#   BENCH_JAVA         the java that runs the services (default: java on PATH); BENCH_AOT=1 with an AOT
#                      cache trained first by the train command, as in the images (Java 25 or later)
#   BUILD=1            rebuild launcher/target/voting-app.jar even when it exists
#
# It starts everything it needs, stops it all again on exit (also on failure or Ctrl-C) and touches
# nothing else: its Redis is a fresh one with no persistence, in a temp dir removed at the end.
set -euo pipefail

cd "$(dirname "$0")/../.."
# shellcheck source=loadtest/lib/servers.sh
source loadtest/lib/servers.sh

readonly LUA=loadtest/bench/post-vote.lua
readonly THREADS=2
readonly WARMUP=10s
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-50}

show_logs() {
  show_log_tail "vote service" "$WORK/vote.log" 20
}

stop_services() {
  stop_role vote
  stop_role sink
  stop_role replica
}
trap_cleanup

run_wrk() {
  local duration=$1 out=$2
  shift 2
  if ! wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "$@" -s "$LUA" "http://$HOST:$VOTE_PORT/" >"$out"; then
    cat "$out" >&2
    fail "wrk failed"
  fi
}

# The same process's GET of the ballot, the yardstick a vote's cost is judged against (a POST costs the
# page plus one Redis append).
run_wrk_get() {
  local duration=$1 out=$2
  if ! wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "http://$HOST:$VOTE_PORT/" >"$out"; then
    cat "$out" >&2
    fail "wrk failed"
  fi
}

# --- machine facts -------------------------------------------------------------------------------
machine_facts java

# --- tools and jar -------------------------------------------------------------------------------
command -v wrk >/dev/null 2>&1 || need_packages wrk
need_commands redis-server redis-cli
echo "wrk: $(wrk --version 2>&1 | head -n 1)"
echo "redis: $(redis-server --version)"

if build_wanted; then
  build_jars "$JAR"
fi
warn_if_jar_older || true

WORK=$(mktemp -d -t vote-bench.XXXXXX)
setup_java

# --- private Redis -------------------------------------------------------------------------------
start_redis "${BENCH_REDIS_PORT:-6390}"

wait_replicas=()
if [[ -n ${BENCH_WAIT_REPLICAS:-} ]]; then
  REPLICA_PORT=$(free_port $((REDIS_PORT + 1)) "$REDIS_PORT")
  mkdir "$WORK/replica"
  log "starting a replica on $HOST:$REPLICA_PORT; votes wait for it (REDIS_WAIT_REPLICAS=1)"
  redis-server --port "$REPLICA_PORT" --bind "$HOST" --save "" --appendonly no --daemonize no \
    --replicaof "$HOST" "$REDIS_PORT" --dir "$WORK/replica" >"$WORK/replica.log" 2>&1 &
  PIDS[replica]=$!
  replica_synced() { redis-cli -h "$HOST" -p "$REPLICA_PORT" info replication | grep -q "master_link_status:up"; }
  WAIT_INTERVAL=0.1 wait_for "the replica's sync" 10 replica_synced
  wait_replicas=("REDIS_WAIT_REPLICAS=1")
fi

# --- vote service --------------------------------------------------------------------------------
VOTE_PORT=$(free_port "${BENCH_VOTE_PORT:-5600}")
MANAGEMENT_PORT=$(free_port "${BENCH_MANAGEMENT_PORT:-5680}" "$VOTE_PORT")
tracing=()
if [[ -n ${BENCH_TRACING:-} ]]; then
  SINK_PORT=$(free_port 4318 "$VOTE_PORT" "$MANAGEMENT_PORT")
  log "tracing on: spans to an OTLP/HTTP sink on $HOST:$SINK_PORT"
  python3 -c 'import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Sink).serve_forever()' "$HOST" "$SINK_PORT" &
  PIDS[sink]=$!
  tracing=("OTEL_EXPORTER_OTLP_ENDPOINT=http://$HOST:$SINK_PORT" "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
    "OTEL_TRACES_SAMPLER=always_on")
fi
log "starting the vote service on $HOST:$VOTE_PORT (management on $MANAGEMENT_PORT), WARMUP_SECONDS=${WARMUP_SECONDS:-5 (default)}"
start_ns=$(date +%s%N)
env "${tracing[@]}" "${wait_replicas[@]}" VOTE_PORT="$VOTE_PORT" MANAGEMENT_PORT="$MANAGEMENT_PORT" REDIS_URL="redis://$HOST:$REDIS_PORT" \
  java -jar "$JAR" vote >"$WORK/vote.log" 2>&1 &
PIDS[vote]=$!
wait_ready "vote service" "$MANAGEMENT_PORT" "${PIDS[vote]}" 30
ready_ms=$((($(date +%s%N) - start_ns) / 1000000))

# --- warm-up and measured run --------------------------------------------------------------------
# The first 10 s right after /ready turned 200 are also the figure of a new instance added under load.
log "warm-up (the first $WARMUP after ready): $CONNECTIONS connections"
run_wrk "$WARMUP" "$WORK/warmup.txt"

log "measured run: $DURATION, $CONNECTIONS connections"
run_wrk "$DURATION" "$WORK/measured.txt" --latency
echo
echo "== wrk output (measured run) =="
cat "$WORK/measured.txt"
echo

log "the ballot's GET in the same process: $DURATION, $CONNECTIONS connections"
run_wrk_get "$DURATION" "$WORK/get.txt"

# Graceful stop first: the service finishes the requests still in flight when wrk stopped, so the
# queue length read afterwards is final.
stop_role vote
queued=$(rcli llen votes)

warm_ok=$(figure ok_2xx "$WORK/warmup.txt")
warm_bad=$(figure non_2xx "$WORK/warmup.txt")
ok=$(figure ok_2xx "$WORK/measured.txt")
bad=$(figure non_2xx "$WORK/measured.txt")
rps=$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$WORK/measured.txt")
socket_errors=$(grep -m 1 '^  Socket errors:' "$WORK/measured.txt" || true)
expected=$((warm_ok + ok))

echo "== vote service: POST / vote=a, $CONNECTIONS connections, $DURATION, wrk on the same machine =="
echo "requests/s: ${rps:-?}"
echo "latency p50: $(figure p50_ms "$WORK/measured.txt") ms  p90: $(figure p90_ms "$WORK/measured.txt") ms" \
  " p99: $(figure p99_ms "$WORK/measured.txt") ms  p99.9: $(figure p99_9_ms "$WORK/measured.txt") ms"
echo "non-2xx responses: $bad (warm-up: $warm_bad)"
first_rps=$(awk -v n="$warm_ok" -v d="$(figure duration_s "$WORK/warmup.txt")" 'BEGIN { if (d > 0) printf "%.0f", n / d; else print "?" }')
echo "new instance: ready $ready_ms ms after the process started; first ${WARMUP} after ready: $first_rps 2xx/s," \
  "of the warm rate: $(awk -v f="$first_rps" -v w="${rps:-0}" 'BEGIN { if (w > 0 && f != "?") printf "%.2f", f / w; else print "?" }')"
get_rps=$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$WORK/get.txt")
echo "ballot GET, same process, after the votes: ${get_rps:-?} requests/s;" \
  "vote POST / ballot GET: $(awk -v p="${rps:-0}" -v g="${get_rps:-0}" 'BEGIN { if (g > 0) printf "%.2f", p / g; else print "?" }')"

if [[ -n $socket_errors ]]; then
  echo "socket errors:${socket_errors#*:}"
fi
echo "votes in the queue: $queued (expected: every 2xx answer, warm-up $warm_ok + measured $ok = $expected;" \
  "up to $((2 * CONNECTIONS)) more are normal: requests in flight when wrk stopped)"
# Warnings and errors the service logged during the whole run.
log_problems "vote service log" "$WORK/vote.log" 5
