#!/usr/bin/env bash
# The chaos scenario against separate local processes, no Docker: a private redis-server (AOF on), a
# private PostgreSQL cluster (initdb/pg_ctl as user postgres), and vote, result and two workers as
# separate java processes from the launcher jar, each on its own ports.
#
#   loadtest/chaos-native.sh run [JAR] [extra loadtest/run.sh arguments]
#       starts all of it, runs `loadtest/run.sh chaos` with the commands below, stops all of it.
#   loadtest/chaos-native.sh kill-worker | start-worker | restart-redis | restart-postgres
#       what the scenario calls during the load (worker 1 is the one killed with SIGKILL).
#
# Ports: CHAOS_VOTE_PORT (15600), CHAOS_RESULT_PORT (15601), management ports CHAOS_MANAGEMENT_BASE
# (15602..15605: vote, result, worker 1, worker 2), CHAOS_REDIS_PORT (15608), CHAOS_PG_PORT (15609).
# State, data and logs: CHAOS_DIR (/tmp/loadtest-chaos). Runs as root (PostgreSQL runs as postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=chaos-native
# shellcheck source=loadtest/lib/servers.sh
source loadtest/lib/servers.sh

dir=${CHAOS_DIR:-/tmp/loadtest-chaos}
vote_port=${CHAOS_VOTE_PORT:-15600}
result_port=${CHAOS_RESULT_PORT:-15601}
mbase=${CHAOS_MANAGEMENT_BASE:-15602}
redis_port=${CHAOS_REDIS_PORT:-15608}
pg_port=${CHAOS_PG_PORT:-15609}
PG_BIN=${CHAOS_PG_BIN:-$(pg_bin)}
jar_file=$dir/jar
# Every process ends by itself at the latest after this many seconds, whatever happens to this script.
role_lifetime=${CHAOS_LIFETIME_SECONDS:-1800}
# The subcommands run as separate processes during the load: everything they need is in $dir.
WORK=$dir

# A graceful stop writes and fsyncs the AOF before Redis exits: every vote Redis acknowledged is in it.
stop_redis_server() { stop_private_redis "$dir/redis"; }

# One role as its own JVM; its management port is the base plus its index.
chaos_role() {
  local name=$1 role=$2 index=$3
  shift 3
  JAR=$(cat "$jar_file")
  ROLE_ENV=(VOTE_PORT="$vote_port" RESULT_PORT="$result_port" REDIS_URL="redis://$HOST:$redis_port" PGHOST="$HOST"
    PGPORT="$pg_port" PGUSER=postgres PGDATABASE=postgres SHUTDOWN_DRAIN_SECONDS=0)
  ROLE_JVM=(-Xmx256m)
  NAME=$name ROLE_LIFETIME=$role_lifetime NO_WAIT=1 start_role "$role" $((mbase + index)) "$@"
}

chaos_ready() {
  local index=$1
  wait_ready "management port $((mbase + index))" $((mbase + index)) "$(cat "$dir/$2.pid")" 90
}

# True when the pid file names a process this script started (a stale file may name someone else's).
ours() {
  local pid
  pid=$(cat "$dir/$1.pid" 2>/dev/null) || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-jar $(cat "$jar_file")"
}

# timeout(1) is the process started; the JVM is its child: SIGKILL goes to the JVM itself.
kill_role() {
  local pid
  ours "$1" || return 0
  pid=$(cat "$dir/$1.pid")
  pkill -KILL -P "$pid" java 2>/dev/null || true
  kill -KILL "$pid" 2>/dev/null || true
}

stop_all() {
  for name in vote result worker-1 worker-2; do
    if ours "$name"; then kill -TERM "$(cat "$dir/$name.pid")" 2>/dev/null || true; fi
  done
  sleep 2
  for name in vote result worker-1 worker-2; do
    kill_role "$name"
  done
  stop_redis_server
  if [[ -f $dir/pg/data/postmaster.pid ]]; then private_pg_ctl "$dir/pg" stop -m fast >/dev/null 2>&1 || true; fi
}

case "${1:-}" in
  kill-worker) kill_role worker-1 ;;
  start-worker) chaos_role worker-1 worker 2 WORKER_ID=chaos-worker-1; chaos_ready 2 worker-1 ;;
  restart-redis) stop_redis_server; sleep 1; start_private_redis "$dir/redis" "$redis_port" --appendonly yes ;;
  restart-postgres) private_pg_ctl "$dir/pg" restart -m fast >/dev/null ;;
  run)
    shift
    jar=${1:-launcher/target/voting-app.jar}
    [[ $# -gt 0 ]] && shift
    [[ -f $jar ]] || fail "no jar at $jar (./mvnw package, or pass its path)"
    if [[ -d $dir ]]; then
      log "$dir exists: stopping what it may still run and starting afresh"
      stop_all || true
      rm -rf "$dir"
    fi
    mkdir -p "$dir"
    readlink -f "$jar" >"$jar_file"
    trap stop_all EXIT
    log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on :$pg_port, Redis on :$redis_port (AOF on), data in $dir"
    start_private_postgres "$dir/pg" "$pg_port"
    start_private_redis "$dir/redis" "$redis_port" --appendonly yes
    chaos_role worker-1 worker 2 WORKER_ID=chaos-worker-1
    chaos_role worker-2 worker 3 WORKER_ID=chaos-worker-2
    chaos_role vote vote 0
    chaos_role result result 1
    index=0
    for name in vote result worker-1 worker-2; do chaos_ready "$index" "$name"; index=$((index + 1)); done
    log "vote :$vote_port, result :$result_port, workers chaos-worker-1 and chaos-worker-2 are ready"
    self="bash $PWD/loadtest/chaos-native.sh"
    export CHAOS_DIR=$dir CHAOS_VOTE_PORT=$vote_port CHAOS_RESULT_PORT=$result_port CHAOS_MANAGEMENT_BASE=$mbase \
      CHAOS_REDIS_PORT=$redis_port CHAOS_PG_PORT=$pg_port CHAOS_PG_BIN=$PG_BIN CHAOS_LIFETIME_SECONDS=$role_lifetime
    export LOADTEST_VOTE_URL=http://127.0.0.1:$vote_port LOADTEST_RESULT_URL=http://127.0.0.1:$result_port
    export LOADTEST_REDIS_URL=redis://127.0.0.1:$redis_port
    export LOADTEST_PG_HOST=127.0.0.1 LOADTEST_PG_PORT=$pg_port LOADTEST_PG_USER=postgres LOADTEST_PG_DATABASE=postgres
    export LOADTEST_METRICS_VOTE=http://127.0.0.1:$mbase/metrics LOADTEST_METRICS_RESULT=http://127.0.0.1:$((mbase + 1))/metrics
    export LOADTEST_METRICS_WORKER=http://127.0.0.1:$((mbase + 2))/metrics,http://127.0.0.1:$((mbase + 3))/metrics
    export LOADTEST_CHAOS_KILL_WORKER="$self kill-worker" LOADTEST_CHAOS_START_WORKER="$self start-worker"
    export LOADTEST_CHAOS_RESTART_REDIS="$self restart-redis" LOADTEST_CHAOS_RESTART_POSTGRES="$self restart-postgres"
    export LOADTEST_STACK="native: separate vote, result and 2 worker JVMs, redis-server, PostgreSQL"
    status=0
    bash loadtest/run.sh chaos "$@" || status=$?
    exit "$status"
    ;;
  *)
    sed -n '2,15p' "$0" >&2
    exit 2
    ;;
esac
