#!/usr/bin/env bash
# Runs one scenario of the load-test kit: loadtest/run.sh smoke|steady|ramp|chaos [extra Maven arguments].
# Targets and thresholds come from LOADTEST_* variables (or -Dloadtest.*=… after the scenario); see
# loadtest/README.md. Exit status: 0 when the verdict is PASS, non-zero otherwise (Gatling's assertions
# or the correctness check failed, or the run could not start). The one-page summary is
# loadtest/target/loadtest/<scenario>-latest.md; Gatling's HTML report is under loadtest/target/gatling/.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[loadtest] %s\n' "$*"; }

scenario=${1:-}
case "$scenario" in
  smoke) class=SmokeSimulation ;;
  steady) class=SteadySimulation ;;
  ramp) class=RampSimulation ;;
  chaos) class=ChaosSimulation ;;
  *)
    echo "usage: loadtest/run.sh smoke|steady|ramp|chaos [extra Maven arguments]" >&2
    exit 2
    ;;
esac
shift

verdict=loadtest/target/loadtest/verdict
rm -f "$verdict"
log "scenario $scenario: vote ${LOADTEST_VOTE_URL:-http://127.0.0.1:5000}, result ${LOADTEST_RESULT_URL:-http://127.0.0.1:5001}"
status=0
./mvnw -B -P loadtest -pl loadtest gatling:test -Dgatling.simulationClass="dev.votingapp.loadtest.$class" "$@" || status=$?

if [[ ! -s $verdict ]]; then
  log "no verdict: the run did not get as far as the check (Maven exit $status); see the output above"
  exit $((status == 0 ? 1 : status))
fi
read -r _ result summary <"$verdict"
# Gatling names a report <simulation in lower case>-<timestamp>: the newest one is this run's.
report=$(find loadtest/target/gatling -maxdepth 1 -name "${class,,}-*" -printf '%T@ %p\n' 2>/dev/null | sort -n | tail -n 1 | cut -d' ' -f2-)
log "verdict: $result; summary: $summary${report:+; Gatling report: $report/index.html}"
if [[ $result != PASS || $status -ne 0 ]]; then
  exit $((status == 0 ? 1 : status))
fi
