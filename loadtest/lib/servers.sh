# shellcheck shell=bash
# What the load tests and benchmarks share: a fresh Redis without persistence (or with AOF), a fresh
# database on a PostgreSQL server, the app's roles as separate processes from the launcher jar, on free
# ports, all stopped again by the EXIT trap; figures and checks. Sourced, after `set -euo pipefail` and a
# cd to the repository root, by loadtest/stack.sh, loadtest/chaos-native.sh and loadtest/bench/*.sh.
# Logging, failing, waiting, ports, processes and the private servers themselves are the CI library's
# (.ci/lib.sh, sourced here): one way to start them for the whole repository. Logs go to stderr, so a
# benchmark's standard output holds its figures only.
#
# The sourcing script provides:
#   show_logs, stop_services  functions cleanup calls: the tail of its own logs when it fails, and
#                             stopping its own processes (before the private Redis)
#   FIGURE_ABSENT             (optional) what figure prints for a key that is absent (default: nothing)

# shellcheck source=.ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../.ci/lib.sh"
LOG_TAG=${LOG_TAG:-bench}
LOG_FD=2

JAR=${JAR:-launcher/target/voting-app.jar}
readonly HOST=127.0.0.1
# The PostgreSQL server the fresh databases are made on.
PGH=${BENCH_PGHOST:-127.0.0.1}
PGP=${BENCH_PGPORT:-5432}
PGU=${BENCH_PGUSER:-postgres}

WORK=""
REDIS_PID=""
REDIS_PORT=""
DB=""
DB_CREATED=""
# Role name (vote, worker, result) -> pid of the running service.
declare -A PIDS=()
# What start_role passes to every role: environment variables and JVM options.
ROLE_ENV=()
ROLE_JVM=()
FAILURES=0
FIGURE_ABSENT=""

# --- processes -----------------------------------------------------------------------------------

# Stops the $1 service started by the script (PIDS[$1]): SIGTERM, then SIGKILL after 20 s.
stop_role() {
  local role=$1
  if [[ -n ${PIDS[$role]:-} ]]; then
    stop_process "$role service" "${PIDS[$role]}" 20
    unset "PIDS[$role]"
  fi
}

# Waits up to $4 seconds for the $1 (management port $2, process $3) to answer /ready; fails when the
# process exits or at the deadline.
wait_ready() {
  local name=$1 port=$2 pid=$3
  WAIT_PID=$pid WAIT_INTERVAL=0.2 wait_for "the $name" "$4" \
    curl -fsS --noproxy '*' --max-time 2 -o /dev/null "http://$HOST:$port/ready"
  log "$name ready (pid $pid)"
}

# --- cleanup -------------------------------------------------------------------------------------

# The EXIT trap: on failure the tail of the script's logs (show_logs); then the script's processes
# (stop_services), the private Redis, the database and the temp dir go. Keeps the exit status.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((status != 0)) && [[ -n $WORK ]]; then
    show_logs
  fi
  stop_services
  stop_redis
  drop_database
  if [[ -n $WORK ]]; then
    rm -rf -- "$WORK"
  fi
  exit "$status"
}

# Sets the traps: cleanup on exit, and exit status 130 on Ctrl-C, 143 on SIGTERM.
trap_cleanup() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# When log file $2 is not empty: its last $3 lines on stderr, under a line naming it "the $1 log".
show_log_tail() {
  if [[ -s $2 ]]; then
    log "last lines of the $1 log:"
    tail -n "$3" "$2" >&2 || true
  fi
}

# --- machine facts, tools and jar ----------------------------------------------------------------

# "== machine ==", nproc, cpu, then the facts named as arguments (memory, java, postgresql, redis,
# open-files) in that order, then the load average.
machine_facts() {
  local fact
  echo "== machine =="
  echo "nproc: $(nproc)"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  for fact in "$@"; do
    case $fact in
      memory) echo "memory: $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)" ;;
      java) echo "java: $(java -version 2>&1 | head -n 1)" ;;
      postgresql) echo "postgresql: $PG_VERSION ($PGU@$PGH:$PGP)" ;;
      redis) echo "redis: $(redis-server --version)" ;;
      open-files) echo "open files limit: $(ulimit -n)" ;;
      *) fail "machine_facts: unknown fact '$fact'" ;;
    esac
  done
  echo "load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The java that runs the services: BENCH_JAVA (default: the one on PATH), put first on PATH through a
# wrapper in $WORK/bin. BENCH_AOT=1 (Java 25 or later): first trains an AOT cache with the jar's train
# command, as the image build does, and runs every service with it. Call after WORK exists.
setup_java() {
  local java=${BENCH_JAVA:-$(command -v java)} aot=""
  [[ -x $java ]] || fail "BENCH_JAVA: $java is not an executable java"
  mkdir -p "$WORK/bin"
  if [[ ${BENCH_AOT:-} == 1 ]]; then
    log "training an AOT cache with $java (the image build's step: the train command, ${WARMUP_SECONDS:-5} s)"
    REDIS_URL=redis://127.0.0.1:1 PGHOST=127.0.0.1 PGPORT=1 "$java" -XX:AOTCacheOutput="$WORK/app.aot" \
      -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -Xlog:aot=error -jar "$JAR" train >"$WORK/train.log" 2>&1 \
      || { cat "$WORK/train.log" >&2; fail "the AOT training run failed"; }
    aot="-XX:AOTCache=$WORK/app.aot"
  fi
  printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$java" "$aot" >"$WORK/bin/java"
  chmod +x "$WORK/bin/java"
  PATH="$WORK/bin:$PATH"
  echo "services' java: $("$java" -version 2>&1 | head -n 1)${aot:+, with an AOT cache trained by the train command}"
}

# True when the jars are to be built: BUILD=1, or $JAR is missing.
build_wanted() {
  [[ ${BUILD:-} == 1 || ! -f $JAR ]]
}

# Builds every module with Maven (the log line names $1 as what is built); dies when $JAR is still missing.
build_jars() {
  log "building $1"
  ./mvnw -q -B package -DskipTests
  [[ -f $JAR ]] || fail "$JAR missing after the build"
}

# Warns when a pom or a main source file (not counting those under folder $1, when given) is newer
# than $JAR; false when none is.
# shellcheck disable=SC2120 # vote.sh and worker.sh pass no folder
warn_if_jar_older() {
  local newer not_under=${1:-} skip=()
  if [[ -n $not_under ]]; then
    skip=(-not -path "./$not_under/*")
  fi
  newer=$(find pom.xml ./*/pom.xml ./*/src/main -newer "$JAR" -type f "${skip[@]}" -print -quit 2>/dev/null || true)
  [[ -n $newer ]] || return 1
  log "WARNING: $JAR is older than $newer (and maybe more): it may not be the current code; BUILD=1 rebuilds it"
}

# --- private Redis -------------------------------------------------------------------------------

rcli() {
  redis-cli -h "$HOST" -p "$REDIS_PORT" "$@"
}

# A fresh Redis for this run in $WORK/redis, on the first free port from $1 (REDIS_PORT, REDIS_PID);
# stop_redis (in cleanup) stops it.
start_redis() {
  REDIS_PORT=$(free_port "$1")
  log "starting redis-server on $HOST:$REDIS_PORT (AOF ${REDIS_AOF:-no})"
  start_private_redis "$WORK/redis" "$REDIS_PORT" --appendonly "${REDIS_AOF:-no}"
  REDIS_PID=$(cat "$WORK/redis/redis.pid")
}

stop_redis() {
  if [[ -n $REDIS_PID ]]; then
    stop_private_redis "$WORK/redis"
    REDIS_PID=""
  fi
}

# --- PostgreSQL ----------------------------------------------------------------------------------

# psql on the server's maintenance database, or on database $PSQL_DB when set; unaligned, tuples only.
pg() {
  PGCONNECT_TIMEOUT=5 psql -X -q -At -v ON_ERROR_STOP=1 -h "$PGH" -p "$PGP" -U "$PGU" \
    -d "${PSQL_DB:-postgres}" "$@"
}

# Dies when the server does not answer; PG_VERSION is its version.
connect_postgres() {
  PG_VERSION=$(pg -c 'show server_version') || fail "cannot connect to PostgreSQL at $PGU@$PGH:$PGP"
}

# Creates the database DB, named $1_<random>, for the run; drop_database (in cleanup) drops it.
create_database() {
  DB="$1_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  log "creating database $DB on $PGH:$PGP"
  pg -c "CREATE DATABASE \"$DB\"" >/dev/null
  DB_CREATED=1
}

drop_database() {
  if [[ -n $DB_CREATED ]]; then
    if ! pg -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null; then
      log "WARNING: could not drop database $DB on $PGH:$PGP; drop it by hand"
    fi
    DB_CREATED=""
  fi
}

# --- the app's roles -----------------------------------------------------------------------------

# Starts role $1 (vote, worker, result) from $JAR with management port $2 (/ready, /metrics) and the
# environment in the array ROLE_ENV; the variables after $2 too (e.g. VOTE_PORT=…); JVM options from
# the array ROLE_JVM. Its log is $WORK/$1.log (or $WORK/$NAME.log with NAME set), its pid PIDS[$1 or
# NAME] and $WORK/<name>.pid. With ROLE_LIFETIME (seconds) it ends by itself then, whatever happens to
# the script (timeout(1) is then the process the pid names; the JVM is its child). Waits for /ready
# unless NO_WAIT=1.
start_role() {
  local role=$1 management=$2 name=${NAME:-$1} pid lifetime=()
  shift 2
  if [[ -n ${ROLE_LIFETIME:-} ]]; then
    lifetime=(timeout "$ROLE_LIFETIME")
  fi
  log "starting the $name service ($role), management on $HOST:$management${*:+, $*}"
  env "${ROLE_ENV[@]}" "MANAGEMENT_PORT=$management" "$@" "${lifetime[@]}" java "${ROLE_JVM[@]}" -jar "$JAR" "$role" \
    >>"$WORK/$name.log" 2>&1 &
  pid=$!
  PIDS[$name]=$pid
  echo "$pid" >"$WORK/$name.pid"
  if [[ ${NO_WAIT:-} != 1 ]]; then
    wait_ready "$name service" "$management" "$pid" "${READY_TIMEOUT:-60}"
  fi
}

# --- figures and checks --------------------------------------------------------------------------

# key=value line $1 from file $2, as printed by post-vote.lua or the bench client; $FIGURE_ABSENT
# when absent.
figure() {
  local value
  value=$(sed -n "s/^$1=//p" "$2" | tail -n 1)
  echo "${value:-$FIGURE_ABSENT}"
}

# Sum of all series of Prometheus metric $1 (any labels) in file $2, with up to 3 decimals (none when
# it is a whole number); 0 when absent.
metric() {
  awk -v name="$1" '
    index($0, name) == 1 {
      rest = substr($0, length(name) + 1)
      if (rest ~ /^(\{[^}]*\})? /) { sum += $NF; found = 1 }
    }
    END { v = found ? sum : 0; if (v == int(v)) printf "%d\n", v; else printf "%.3f\n", v }' "$2"
}

# Scrapes /metrics of the service whose management port is $1 into $2, allowing $3 seconds (default 5);
# false when it does not answer.
scrape() {
  curl -fsS --noproxy '*' --max-time "${3:-5}" -o "$2" "http://$HOST:$1/metrics" 2>/dev/null
}

# Counts the warnings and errors in JSON log $2 (field "level") on a line "$1: N WARN/ERROR lines",
# followed by the first $3 of them.
log_problems() {
  local problems
  problems=$(grep -cE '"level":"(WARN|ERROR)"' "$2" || true)
  echo "$1: $problems WARN/ERROR lines"
  if ((problems > 0)); then
    grep -E '"level":"(WARN|ERROR)"' "$2" | head -n "$3"
  fi
}

check() {
  local what=$1 got=$2 want=$3
  if [[ $got == "$want" ]]; then
    echo "PASS  $what: $got"
  else
    echo "FAIL  $what: $got, expected $want"
    FAILURES=$((FAILURES + 1))
  fi
}

# The verdict of the checks: RESULT: PASS, or RESULT: FAIL and exit status 1 when one failed.
check_result() {
  if ((FAILURES > 0)); then
    echo "RESULT: FAIL ($FAILURES checks failed)"
    exit 1
  fi
  echo "RESULT: PASS"
}
