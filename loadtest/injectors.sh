#!/usr/bin/env bash
# Runs one scenario from N injector processes at once, then merges their ledgers into one verdict:
#
#   loadtest/injectors.sh N SCENARIO
#
# The targets come from LOADTEST_* as for loadtest/run.sh. Each injector gets LOADTEST_INJECTOR_INDEX
# (0..N-1), LOADTEST_INJECTOR_COUNT=N, the same LOADTEST_RUN_ID and LOADTEST_START_AT (so every one reads
# the tally before any of them votes), sends 1/N of the scenario's rate and of its watchers, and writes
# its ledger to LOADTEST_LEDGER_DIR; its summary goes to loadtest/target/loadtest/injector-<i>/. Then
# `loadtest/run.sh merge` checks every acknowledged vote of all of them, exactly, against /api/results
# and PostgreSQL. On other machines (a Kubernetes Job, compose) the same variables do the same: see
# loadtest/README.md, "Past one injector". Exit status 0 only when every injector and the merge pass.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=injectors
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

count=${1:-}
scenario=${2:-}
if [[ ! $count =~ ^[1-9][0-9]*$ || -z $scenario || $scenario == merge ]]; then
  echo "usage: loadtest/injectors.sh N smoke|steady|ramp" >&2
  exit 2
fi

jar=loadtest/target/loadtest.jar
if [[ ${BUILD:-} == 1 || ! -f $jar || -n $(find loadtest/pom.xml loadtest/src/main -newer "$jar" -type f -print -quit) ]]; then
  log "building $jar"
  ./mvnw -q -B -P loadtest -pl loadtest package -DskipTests
fi

export LOADTEST_RUN_ID=${LOADTEST_RUN_ID:-$(date -u +%y%m%d%H%M%S)}
export LOADTEST_INJECTOR_COUNT=$count
export LOADTEST_LEDGER_DIR=${LOADTEST_LEDGER_DIR:-$PWD/loadtest/target/loadtest/ledgers-$LOADTEST_RUN_ID}
# Time for every JVM to start and read its baseline before the first voter of any of them arrives.
export LOADTEST_START_AT=${LOADTEST_START_AT:-$(($(date +%s) + 20))}
mkdir -p "$LOADTEST_LEDGER_DIR"
log "run $LOADTEST_RUN_ID: $count injectors of $scenario, starting at $(date -u -d "@$LOADTEST_START_AT" +%H:%M:%S), ledgers in $LOADTEST_LEDGER_DIR"

pids=()
for ((i = 0; i < count; i++)); do
  LOADTEST_INJECTOR_INDEX=$i LOADTEST_OUTPUT_DIR=loadtest/target/loadtest/injector-$i \
    bash loadtest/run.sh "$scenario" >"loadtest/target/loadtest/injector-$i.log" 2>&1 &
  pids+=($!)
done
status=0
for ((i = 0; i < count; i++)); do
  if wait "${pids[$i]}"; then
    log "injector $i: PASS ($(grep -m 1 -o 'Arrivals: [0-9]* voters started[^;]*' "loadtest/target/loadtest/injector-$i.log" || true))"
  else
    log "injector $i: FAIL (exit $?); its output: loadtest/target/loadtest/injector-$i.log"
    tail -n 30 "loadtest/target/loadtest/injector-$i.log"
    status=1
  fi
done

log "merging the $count ledgers"
bash loadtest/run.sh merge || status=1
exit "$status"
