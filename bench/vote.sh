#!/usr/bin/env bash
# Benchmark of the vote service: POST / vote=a with wrk, against the service and a private Redis,
# all three on this machine and on loopback only.
#
#   bash bench/vote.sh
#
# Environment:
#   BENCH_DURATION     measured run, wrk syntax (default 20s); the warm-up is always 10s
#   BENCH_CONNECTIONS  open connections (default 50); wrk uses 2 threads
#   BENCH_REDIS_PORT   first port tried for the private Redis (default 6390)
#   BENCH_VOTE_PORT    first port tried for the vote service (default 5600)
#   BUILD=1            rebuild launcher/target/voting-app.jar even when it exists
#
# It starts everything it needs, stops it all again on exit (also on failure or Ctrl-C) and touches
# nothing else: its Redis is a fresh one with no persistence, in a temp dir removed at the end.
set -euo pipefail

cd "$(dirname "$0")/.."

readonly JAR=launcher/target/voting-app.jar
readonly LUA=bench/post-vote.lua
readonly HOST=127.0.0.1
readonly THREADS=2
readonly WARMUP=10s
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-50}

WORK=""
REDIS_PID=""
VOTE_PID=""
REDIS_PORT=""

log() {
  printf '[bench] %s\n' "$*" >&2
}

die() {
  log "ERROR: $*"
  exit 1
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (: <>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# The first port from $1 on that nobody listens on (tries 20).
free_port() {
  local port=$1 last=$(($1 + 19))
  while ((port <= last)); do
    if ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
    port=$((port + 1))
  done
  die "no free port in $1..$last"
}

alive() {
  [[ -n $1 ]] && kill -0 "$1" 2>/dev/null
}

# Waits up to $2 seconds for process $1 to exit; false if it is still running then.
wait_exit() {
  local pid=$1 deadline=$((SECONDS + $2))
  while alive "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# SIGTERM, wait up to $3 seconds, then SIGKILL. $1 names the process for the log.
stop_process() {
  local name=$1 pid=$2 grace=$3
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_exit "$pid" "$grace"; then
    log "$name (pid $pid) still running after ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

stop_vote() {
  if [[ -n $VOTE_PID ]]; then
    stop_process "vote service" "$VOTE_PID" 20
    VOTE_PID=""
  fi
}

stop_redis() {
  if [[ -n $REDIS_PID ]]; then
    if alive "$REDIS_PID"; then
      redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
      wait_exit "$REDIS_PID" 5 || true
    fi
    stop_process "redis-server" "$REDIS_PID" 5
    REDIS_PID=""
  fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((status != 0)) && [[ -n $WORK && -s $WORK/vote.log ]]; then
    log "last lines of the vote service log:"
    tail -n 20 "$WORK/vote.log" >&2 || true
  fi
  stop_vote
  stop_redis
  if [[ -n $WORK ]]; then
    rm -rf -- "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# key=value line $1 from file $2, as printed by post-vote.lua.
figure() {
  sed -n "s/^$1=//p" "$2" | tail -n 1
}

run_wrk() {
  local duration=$1 out=$2
  shift 2
  if ! wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "$@" -s "$LUA" "http://$HOST:$VOTE_PORT/" >"$out"; then
    cat "$out" >&2
    die "wrk failed"
  fi
}

# --- machine facts -------------------------------------------------------------------------------
echo "== machine =="
echo "nproc: $(nproc)"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "java: $(java -version 2>&1 | head -n 1)"
echo "load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"

# --- tools and jar -------------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
command -v redis-server >/dev/null 2>&1 || die "redis-server not found (apt-get install redis-server)"
command -v redis-cli >/dev/null 2>&1 || die "redis-cli not found (apt-get install redis-tools)"
echo "wrk: $(wrk --version 2>&1 | head -n 1)"
echo "redis: $(redis-server --version)"

if [[ ${BUILD:-} == 1 || ! -f $JAR ]]; then
  log "building $JAR"
  ./mvnw -q -B package -DskipTests
fi
[[ -f $JAR ]] || die "$JAR missing after the build"
newer=$(find pom.xml ./*/pom.xml ./*/src/main -newer "$JAR" -type f -print -quit 2>/dev/null || true)
if [[ -n $newer ]]; then
  log "WARNING: $JAR is older than $newer (and maybe more): it may not be the current code; BUILD=1 rebuilds it"
fi

WORK=$(mktemp -d -t vote-bench.XXXXXX)
mkdir "$WORK/redis"

# --- private Redis -------------------------------------------------------------------------------
REDIS_PORT=$(free_port "${BENCH_REDIS_PORT:-6390}")
log "starting redis-server on $HOST:$REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind "$HOST" --save "" --appendonly no --daemonize no \
  --dir "$WORK/redis" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
deadline=$((SECONDS + 10))
until [[ $(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; do
  alive "$REDIS_PID" || { cat "$WORK/redis.log" >&2; die "redis-server exited"; }
  ((SECONDS < deadline)) || die "redis-server did not answer PING within 10 s"
  sleep 0.1
done

# --- vote service --------------------------------------------------------------------------------
VOTE_PORT=$(free_port "${BENCH_VOTE_PORT:-5600}")
log "starting the vote service on $HOST:$VOTE_PORT"
VOTE_PORT=$VOTE_PORT REDIS_URL="redis://$HOST:$REDIS_PORT" java -jar "$JAR" vote >"$WORK/vote.log" 2>&1 &
VOTE_PID=$!
deadline=$((SECONDS + 30))
until curl -fsS --noproxy '*' --max-time 2 "http://$HOST:$VOTE_PORT/ready" >/dev/null 2>&1; do
  alive "$VOTE_PID" || die "the vote service exited"
  ((SECONDS < deadline)) || die "the vote service was not ready within 30 s"
  sleep 0.2
done
log "vote service ready (pid $VOTE_PID)"

# --- warm-up and measured run --------------------------------------------------------------------
log "warm-up: $WARMUP, $CONNECTIONS connections"
run_wrk "$WARMUP" "$WORK/warmup.txt"

log "measured run: $DURATION, $CONNECTIONS connections"
run_wrk "$DURATION" "$WORK/measured.txt" --latency
echo
echo "== wrk output (measured run) =="
cat "$WORK/measured.txt"
echo

# Graceful stop first: the service finishes the requests still in flight when wrk stopped, so the
# queue length read afterwards is final.
stop_vote
queued=$(redis-cli -h "$HOST" -p "$REDIS_PORT" llen votes)

warm_ok=$(figure ok_2xx "$WORK/warmup.txt")
warm_bad=$(figure non_2xx "$WORK/warmup.txt")
ok=$(figure ok_2xx "$WORK/measured.txt")
bad=$(figure non_2xx "$WORK/measured.txt")
rps=$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$WORK/measured.txt")
socket_errors=$(grep -m 1 '^  Socket errors:' "$WORK/measured.txt" || true)
expected=$((warm_ok + ok))

# Warnings and errors the service logged during the whole run (JSON lines, field "level").
problems=$(grep -cE '"level":"(WARN|ERROR)"' "$WORK/vote.log" || true)

echo "== vote service: POST / vote=a, $CONNECTIONS connections, $DURATION, wrk on the same machine =="
echo "requests/s: ${rps:-?}"
echo "latency p50: $(figure p50_ms "$WORK/measured.txt") ms  p90: $(figure p90_ms "$WORK/measured.txt") ms" \
  " p99: $(figure p99_ms "$WORK/measured.txt") ms  p99.9: $(figure p99_9_ms "$WORK/measured.txt") ms"
echo "non-2xx responses: $bad (warm-up: $warm_bad)"
if [[ -n $socket_errors ]]; then
  echo "socket errors:${socket_errors#*:}"
fi
echo "votes in the queue: $queued (expected: every 2xx answer, warm-up $warm_ok + measured $ok = $expected;" \
  "up to $((2 * CONNECTIONS)) more are normal: requests in flight when wrk stopped)"
echo "vote service log: $problems WARN/ERROR lines"
if ((problems > 0)); then
  grep -E '"level":"(WARN|ERROR)"' "$WORK/vote.log" | head -n 5
fi
