#!/usr/bin/env bash
# Runs one scenario of the load-test kit: loadtest/run.sh smoke|steady|ramp|chaos|merge.
# Targets and thresholds come from LOADTEST_* variables (or -Dloadtest.*=… in LOADTEST_JAVA_OPTS); see
# loadtest/README.md. Builds loadtest/target/loadtest.jar when it is missing or older than its sources
# (BUILD=1 always). Exit status: 0 when the verdict is PASS, 1 when it is not, 2 for a usage or settings
# error. The one-page summary is loadtest/target/loadtest/<scenario>-latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=loadtest
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

scenario=${1:-}
case "$scenario" in
  smoke | steady | ramp | chaos | merge) ;;
  *)
    echo "usage: loadtest/run.sh smoke|steady|ramp|chaos|merge" >&2
    exit 2
    ;;
esac

jar=loadtest/target/loadtest.jar
if [[ ${BUILD:-} == 1 || ! -f $jar || -n $(find loadtest/pom.xml loadtest/src/main -newer "$jar" -type f -print -quit) ]]; then
  log "building $jar"
  ./mvnw -q -B -P loadtest -pl loadtest package -DskipTests
fi

verdict=loadtest/target/loadtest/verdict
rm -f "$verdict"
log "scenario $scenario: vote ${LOADTEST_VOTE_URL:-http://127.0.0.1:5000}, result ${LOADTEST_RESULT_URL:-http://127.0.0.1:5001}"
# The heap is sized for thousands of open voters and watchers; class loading would otherwise stop the
# kit for a full GC (Metadata GC Threshold) in its first seconds. ParallelGC costs the kit the least
# CPU; its young pauses copied the open voters' connections again and again (72 ms at 1,500 voters/s
# here) and showed as arrival lag: promoted after two collections they are copied twice at most (26 ms
# at 1,500, the kit's lag p99 11 ms; loadtest/results/ramp.md). LOADTEST_GC=-XX:+UseZGC trades pauses
# for concurrent work (tried once here: no better). The kit's GC shows in its summary.
# shellcheck disable=SC2086 # LOADTEST_JAVA_OPTS holds several options
exec java -Xms1g -Xmx1g ${LOADTEST_GC:--XX:+UseParallelGC -XX:MaxTenuringThreshold=2} -XX:MetaspaceSize=128m ${LOADTEST_JAVA_OPTS:-} -Dloadtest.moduleDir=loadtest \
  -Dloadtest.command="${LOADTEST_COMMAND:-loadtest/run.sh $scenario}" -jar "$jar" "$scenario"
