#!/usr/bin/env bash
# Runs one benchmark of this folder several times in a row and prints each of its headline figures as
# minimum, median and maximum over the runs, with every run's value, the goal it is held to, and how
# many runs met it. A goal counts as held only when every run meets it (README, "Performance").
#
#   bash loadtest/bench/repeat.sh [RUNS] vote|fanout|freshness|worker
#
#   vote       bench/vote.sh: warm POSTs/s, the first 10 s after ready as a share of warm, POST/GET
#   fanout     bench/result.sh with BENCH_CLIENTS (default 19000): delivery p99, peak RSS
#   freshness  bench/result.sh with BENCH_PAUSE_MS (default 100): vote to screen median and p99
#   worker     bench/worker.sh with BENCH_VOTES (default 909091: 1,000,000 queued): votes/s from start, from
#              ready, and from ready against PostgreSQL alone (the same upserts with pgbench)
#
# RUNS defaults to 5. Each run's whole output is kept in loadtest/target/repeat/<bench>-<n>.log; the
# table is printed at the end and written to loadtest/target/repeat/<bench>.md. Any BENCH_* setting
# passes through to the benchmark. Exit status: 0 when every run finished and met every goal, 1 when a
# goal was missed in some run, 2 when a run failed or a figure is missing from its output.
set -euo pipefail
cd "$(dirname "$0")/../.."
LOG_TAG=repeat
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

runs=5
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  runs=$1
  shift
fi
bench=${1:-}

case "$bench" in
  vote) script=loadtest/bench/vote.sh ;;
  fanout) script=loadtest/bench/result.sh && export BENCH_CLIENTS=${BENCH_CLIENTS:-19000} ;;
  freshness) script=loadtest/bench/result.sh && export BENCH_PAUSE_MS=${BENCH_PAUSE_MS:-100} ;;
  # 909,091 voters and every 10th of them twice: 1,000,000 queued.
  worker) script=loadtest/bench/worker.sh && export BENCH_VOTES=${BENCH_VOTES:-909091} ;;
  *)
    sed -n '2,17p' "$0" >&2
    exit 2
    ;;
esac

# The figures, one line each: bench | name | regex whose first group is the number | goal as "<= N"
# or ">= N" (empty: shown, not held to anything).
figures=()
while IFS= read -r line; do
  [[ $line == "$bench|"* ]] && figures+=("${line#*|}")
done <<TABLE
vote|warm POSTs/s|^requests/s: ([0-9.]+)|
vote|first 10 s after ready, share of warm|of the warm rate: ([0-9.]+)|>= 0.6
vote|vote POST / ballot GET|vote POST / ballot GET: ([0-9.]+)|>= 0.8
fanout|clients connected|^== ([0-9]+) WebSocket clients|>= ${BENCH_CLIENTS:-}
fanout|delivery p99 ms|^delivery p50 [0-9.]+ ms  p99 ([0-9.]+) ms|<= 250
fanout|peak RSS MiB|peak ([0-9.]+) MiB|<= 512
fanout|clients dropped|result_clients_dropped_total ([0-9]+)|<= 0
freshness|vote to screen median ms|^median ([0-9.]+) ms|<= 10
freshness|vote to screen p99 ms|^median [0-9.]+ ms  p90 [0-9.]+ ms  p99 ([0-9.]+) ms|<= 25
worker|votes/s from process start|^votes/s from process start: ([0-9.]+)|>= 100000
worker|votes/s from ready|^votes/s from ready: ([0-9.]+)|
worker|PostgreSQL alone, votes/s|^PostgreSQL alone votes/s: ([0-9.]+)|
worker|worker from ready / PostgreSQL alone|^worker from ready / PostgreSQL alone: ([0-9.]+)|>= 0.8
TABLE

dir=loadtest/target/repeat
mkdir -p "$dir"
declare -A values
status=0
for ((run = 1; run <= runs; run++)); do
  out="$dir/$bench-$run.log"
  log "$bench run $run of $runs (load average $(cut -d' ' -f1-3 /proc/loadavg)): bash $script > $out"
  if ! bash "$script" >"$out" 2>&1; then
    log "run $run failed; its output: $out"
    status=2
  fi
  for figure in "${figures[@]}"; do
    IFS='|' read -r name regex goal <<<"$figure"
    value=$(REGEX=$regex perl -ne 'if (/$ENV{REGEX}/) { print $1; exit }' "$out")
    if [[ -z $value ]]; then
      log "run $run: no figure '$name' in $out"
      value="?"
      status=2
    fi
    values[$name]+="$value "
  done
done

table="$dir/$bench.md"
missed=0
{
  echo "| $bench: figure | goal | min | median | max | runs meeting the goal | every run |"
  echo "|---|---|---:|---:|---:|---:|---|"
  for figure in "${figures[@]}"; do
    IFS='|' read -r name regex goal <<<"$figure"
    # shellcheck disable=SC2086 # the values are one word each
    read -r low median high met < <(printf '%s\n' ${values[$name]} | awk -v goal="$goal" '
      $1 != "?" { v[++n] = $1 + 0; if (goal == "" ||
        (goal ~ /^<=/ && $1 + 0 <= substr(goal, 4) + 0) || (goal ~ /^>=/ && $1 + 0 >= substr(goal, 4) + 0)) met++ }
      END {
        if (n == 0) { print "- - - 0"; exit }
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
        printf "%g %g %g %d\n", v[1], n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2, v[n], met + 0 }')
    if [[ -n $goal ]] && ((met < runs)); then
      missed=1
    fi
    echo "| $name | ${goal:--} | $low | $median | $high | $met of $runs | ${values[$name]% } |"
  done
} >"$table"
echo
cat "$table"
echo
echo "command: bash loadtest/bench/repeat.sh $runs $bench$(env | grep -E '^BENCH_' | sort | sed 's/^/ /' | tr -d '\n');" \
  "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
if ((status == 2)); then
  exit 2
fi
exit "$missed"
