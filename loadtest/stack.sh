#!/usr/bin/env bash
# Runs a scenario against the app as a load tester would run it here: vote, worker and result as
# separate `java -jar` processes, a private Redis and a fresh database on the machine's PostgreSQL,
# all on loopback and on free ports; then stops everything (also on failure or Ctrl-C).
#
#   loadtest/stack.sh SCENARIO            smoke, steady, ramp or chaos-free scenarios: loadtest/run.sh SCENARIO
#   loadtest/stack.sh injectors N SCENARIO  N injectors of one run and their merge: loadtest/injectors.sh
#   loadtest/stack.sh up                  starts the stack, prints its LOADTEST_* variables, waits for Ctrl-C
#
# Every LOADTEST_* target is set (URLs, Redis for the drain, PostgreSQL, every role's /metrics); any
# other LOADTEST_* setting passes through. Environment: STACK_WORKERS (1), STACK_ROLE_HEAP (the roles'
# -Xmx, default the JVM's), BENCH_PGHOST/BENCH_PGPORT/BENCH_PGUSER (the PostgreSQL server, default
# postgres@127.0.0.1:5432), BUILD=1 (rebuild the app's jar). Exit status: the scenario's.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=stack
# shellcheck source=loadtest/lib/servers.sh
source loadtest/lib/servers.sh

# shellcheck disable=SC2317 # both called by cleanup, the EXIT trap
show_logs() {
  local name
  for name in "${!PIDS[@]}"; do
    show_log_tail "$name" "$WORK/$name.log" 10
  done
}

# shellcheck disable=SC2317
stop_services() {
  local name
  for name in vote result "${!PIDS[@]}"; do
    stop_role "$name"
  done
}

case "${1:-}" in
  up | smoke | steady | ramp) ;;
  injectors) [[ ${2:-} =~ ^[1-9][0-9]*$ && -n ${3:-} ]] || { sed -n '2,14p' "$0" >&2; exit 2; } ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
trap_cleanup

need_commands java redis-server redis-cli psql curl
connect_postgres
if build_wanted; then
  build_jars "$JAR"
fi
warn_if_jar_older loadtest || true

WORK=$(mktemp -d -t loadtest-stack.XXXXXX)
start_redis 15790
create_database loadtest
ROLE_ENV=(
  -u REDIS_PASSWORD -u REDIS_PASSWORD_FILE -u PGPASSWORD -u PGPASSWORD_FILE -u LOG_LEVEL -u OPTION_A -u OPTION_B
  "REDIS_URL=redis://$HOST:$REDIS_PORT" "PGHOST=$PGH" "PGPORT=$PGP" "PGDATABASE=$DB" "PGUSER=$PGU"
)
if [[ -n ${STACK_ROLE_HEAP:-} ]]; then
  ROLE_JVM=("-Xmx$STACK_ROLE_HEAP")
fi

# The worker first: it makes the schema the others wait for.
workers=${STACK_WORKERS:-1}
worker_metrics=()
taken=()
for ((i = 1; i <= workers; i++)); do
  port=$(free_port 15780 "${taken[@]}")
  taken+=("$port")
  NAME=worker-$i start_role worker "$port" "WORKER_ID=loadtest-worker-$i-$$"
  worker_metrics+=("http://$HOST:$port/metrics")
done
vote_port=$(free_port 15700 "${taken[@]}")
vote_management=$(free_port 15770 "${taken[@]}" "$vote_port")
start_role vote "$vote_management" "VOTE_PORT=$vote_port"
result_port=$(free_port 15701 "${taken[@]}" "$vote_port" "$vote_management")
result_management=$(free_port 15775 "${taken[@]}" "$vote_port" "$vote_management" "$result_port")
start_role result "$result_management" "RESULT_PORT=$result_port"

export LOADTEST_VOTE_URL=http://$HOST:$vote_port LOADTEST_RESULT_URL=http://$HOST:$result_port
export LOADTEST_REDIS_URL=redis://$HOST:$REDIS_PORT
export LOADTEST_PG_HOST=$PGH LOADTEST_PG_PORT=$PGP LOADTEST_PG_USER=$PGU LOADTEST_PG_DATABASE=$DB
export LOADTEST_METRICS_VOTE=http://$HOST:$vote_management/metrics
export LOADTEST_METRICS_RESULT=http://$HOST:$result_management/metrics
LOADTEST_METRICS_WORKER=$(IFS=,; echo "${worker_metrics[*]}")
export LOADTEST_METRICS_WORKER
export LOADTEST_STACK=${LOADTEST_STACK:-"separate processes on this machine: vote, result and $workers worker(s) (java -jar launcher/target/voting-app.jar ROLE), a private redis-server, a fresh database on PostgreSQL $PG_VERSION; the kit on the same 2 cores"}
export LOADTEST_COMMAND=${LOADTEST_COMMAND:-"loadtest/stack.sh $*"}

status=0
case "$1" in
  up)
    env | grep '^LOADTEST_' | sort
    log "the stack is up; Ctrl-C stops it"
    while sleep 3600; do :; done
    ;;
  injectors) bash loadtest/injectors.sh "$2" "$3" || status=$? ;;
  *) bash loadtest/run.sh "$1" || status=$? ;;
esac
exit "$status"
