#!/usr/bin/env bash
# The load-test kit's smoke scenario against the `dev` role: 30 s of voters (own connections and
# cookies, changed and repeated votes) and WebSocket watchers, then every acknowledged vote must be in
# /api/results and in PostgreSQL exactly once, last vote wins (loadtest/README.md); then the same from
# two injector processes of one run, whose ledgers merge into one exact verdict. Starts `java -jar
# <jar> dev` on ports of its own, waits for /ready, runs both, stops the app; fails on a FAIL verdict.
# Needs the app's jar (launcher/target/voting-app.jar, built when missing, or VOTING_APP_JAR). About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=loadtest-smoke
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

vote_port=${LOADTEST_SMOKE_VOTE_PORT:-15500}
result_port=${LOADTEST_SMOKE_RESULT_PORT:-15501}
management_port=${LOADTEST_SMOKE_MANAGEMENT_PORT:-15502}
ready_deadline=${LOADTEST_SMOKE_READY_SECONDS:-120}

for port in "$vote_port" "$result_port" "$management_port"; do
  ! port_in_use "$port" || fail "port $port is already in use (set LOADTEST_SMOKE_*_PORT)"
done
jar=$(app_jar)

log "the kit's own tests (the comparison and the merge, without a stack)"
./mvnw -B -q -P loadtest -pl loadtest test

work=$(mktemp -d /tmp/loadtest-smoke.XXXXXX)
app_pid=
stop_app() {
  stop_process "the dev role" "$app_pid" 15
  app_pid=
}
trap 'stop_app; rm -rf "$work"' EXIT

log "starting the dev role from $jar (vote :$vote_port, result :$result_port, management :$management_port)"
# The dev role starts embedded Redis and PostgreSQL and removes them at exit; its log names their folder,
# which is how the kit finds the embedded PostgreSQL (LOADTEST_PG_DEVLOG).
VOTE_PORT=$vote_port RESULT_PORT=$result_port MANAGEMENT_PORT=$management_port \
  timeout 600 java -jar "$jar" dev >"$work/dev.log" 2>&1 &
app_pid=$!

WAIT_PID=$app_pid WAIT_LOG=$work/dev.log WAIT_INTERVAL=1 \
  wait_for "the dev role" "$ready_deadline" curl -fsS -o /dev/null "http://127.0.0.1:$management_port/ready"
log "dev is ready"

export LOADTEST_VOTE_URL=http://127.0.0.1:$vote_port
export LOADTEST_RESULT_URL=http://127.0.0.1:$result_port
export LOADTEST_METRICS_WORKER=http://127.0.0.1:$management_port/metrics
export LOADTEST_PG_DEVLOG=$work/dev.log
export MAVEN_ARGS="${MAVEN_ARGS:-} -B"
status=0
bash loadtest/run.sh smoke || status=$?
((status == 0)) || fail "the smoke scenario's verdict is not PASS (exit $status); the summary above names the difference"
log "PASS: every acknowledged vote counted exactly once (summary: loadtest/target/loadtest/smoke-latest.md)"

log "two injectors of one run (3 voters/s each for 15 s), then the merge of their ledgers"
LOADTEST_RATE=6 LOADTEST_DURATION=15 bash loadtest/injectors.sh 2 smoke || status=$?
stop_app
((status == 0)) || fail "the two-injector run or its merge is not PASS (exit $status); see loadtest/target/loadtest/merge-latest.md"
log "PASS: two injectors' ledgers merged, every acknowledged vote counted exactly once (loadtest/target/loadtest/merge-latest.md)"
