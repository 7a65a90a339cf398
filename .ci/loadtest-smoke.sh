#!/usr/bin/env bash
# The load-test kit's smoke scenario against the `dev` role: 30 s of voters (own connections and
# cookies, changed and repeated votes) and WebSocket watchers, then every acknowledged vote must be in
# /api/results and in PostgreSQL exactly once, last vote wins (loadtest/README.md); then the same from
# two injector processes of one run, whose ledgers merge into one exact verdict. Starts `java -jar
# <jar> dev` on ports of its own, waits for /ready, runs both, stops the app; fails on a FAIL verdict.
# Needs the jar the build made (launcher/target/voting-app.jar, or VOTING_APP_JAR). About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[loadtest-smoke] %s\n' "$*"; }

jar=${VOTING_APP_JAR:-launcher/target/voting-app.jar}
vote_port=${LOADTEST_SMOKE_VOTE_PORT:-15500}
result_port=${LOADTEST_SMOKE_RESULT_PORT:-15501}
management_port=${LOADTEST_SMOKE_MANAGEMENT_PORT:-15502}
ready_deadline=${LOADTEST_SMOKE_READY_SECONDS:-120}

if [[ ! -f $jar ]]; then
  log "FAIL: $jar is missing: build it first (./mvnw package) or set VOTING_APP_JAR"
  exit 1
fi
for port in "$vote_port" "$result_port" "$management_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "FAIL: port $port is already in use (set LOADTEST_SMOKE_*_PORT)"
    exit 1
  fi
done

log "the kit's own tests (the comparison and the merge, without a stack)"
./mvnw -B -q -P loadtest -pl loadtest test

work=$(mktemp -d /tmp/loadtest-smoke.XXXXXX)
app_pid=
stop_app() {
  if [[ -n $app_pid ]] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$app_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  app_pid=
}
trap 'stop_app; rm -rf "$work"' EXIT

log "starting the dev role from $jar (vote :$vote_port, result :$result_port, management :$management_port)"
# The dev role starts embedded Redis and PostgreSQL and removes them at exit; its log names their folder,
# which is how the kit finds the embedded PostgreSQL (LOADTEST_PG_DEVLOG).
VOTE_PORT=$vote_port RESULT_PORT=$result_port MANAGEMENT_PORT=$management_port \
  timeout 600 java -jar "$jar" dev >"$work/dev.log" 2>&1 &
app_pid=$!

end=$((SECONDS + ready_deadline))
until curl -fsS -o /dev/null "http://127.0.0.1:$management_port/ready" 2>/dev/null; do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    log "FAIL: the dev role exited before it was ready; its log:"
    tail -n 40 "$work/dev.log"
    exit 1
  fi
  if ((SECONDS >= end)); then
    log "FAIL: the dev role was not ready within ${ready_deadline}s; its log:"
    tail -n 40 "$work/dev.log"
    exit 1
  fi
  sleep 1
done
log "dev is ready"

export LOADTEST_VOTE_URL=http://127.0.0.1:$vote_port
export LOADTEST_RESULT_URL=http://127.0.0.1:$result_port
export LOADTEST_METRICS_WORKER=http://127.0.0.1:$management_port/metrics
export LOADTEST_PG_DEVLOG=$work/dev.log
export MAVEN_ARGS="${MAVEN_ARGS:-} -B"
status=0
bash loadtest/run.sh smoke || status=$?
if ((status != 0)); then
  stop_app
  log "FAIL: the smoke scenario's verdict is not PASS (exit $status); the summary above names the difference"
  exit "$status"
fi
log "PASS: every acknowledged vote counted exactly once (summary: loadtest/target/loadtest/smoke-latest.md)"

log "two injectors of one run (3 voters/s each for 15 s), then the merge of their ledgers"
LOADTEST_RATE=6 LOADTEST_DURATION=15 bash loadtest/injectors.sh 2 smoke || status=$?
stop_app
if ((status != 0)); then
  log "FAIL: the two-injector run or its merge is not PASS (exit $status); see loadtest/target/loadtest/merge-latest.md"
  exit "$status"
fi
log "PASS: two injectors' ledgers merged, every acknowledged vote counted exactly once (loadtest/target/loadtest/merge-latest.md)"
