#!/usr/bin/env bash
# Benchmark of the result service: vote-to-screen latency and WebSocket fan-out, with the whole stack
# (vote, worker and result as three processes, a private Redis, a fresh database of the machine's
# PostgreSQL server) on this machine and on loopback only.
#
#   bash loadtest/bench/result.sh
#
# The client is dev.votingapp.loadtest.ResultBench (loadtest/target/loadtest.jar, built when missing):
#   1. latency: one WebSocket client on the result service's /ws; each trial POSTs vote=a to the vote
#      service without a cookie (a new voter, so the total rises by one) and times from the client's
#      event loop sending the POST to the first WebSocket message whose total reaches the new total
#      (not the hop from the client's main thread: its own time); trials run one after the
#      other, BENCH_PAUSE_MS apart, after BENCH_WARMUP untimed ones;
#   2. fan-out: BENCH_CLIENTS WebSocket clients connected BENCH_BATCH at a time (each waits for its first
#      tally), then BENCH_ROUNDS votes one at a time: the delay from each POST to every client's message
#      with the new total, and to the last client's; and the result process's VmRSS before and after the
#      clients connected.
#
# Environment:
#   BENCH_TRIALS        timed latency trials (default 300, at least 200)
#   BENCH_WARMUP        untimed trials before them (default 30)
#   BENCH_PAUSE_MS      pause between trials (default 20)
#   BENCH_CLIENTS       WebSocket clients of the fan-out test (default 5000; 0 skips it)
#   BENCH_BATCH         clients connected at a time (default 200)
#   BENCH_ROUNDS        votes cast with every client connected (default 20)
#   BENCH_EVENT_LOOPS   event loops of the client JVM (default 4)
#   BENCH_RESULT_MEMORY the result process sized as in a container with this memory limit (default 512m):
#                       the image's heap flags with -XX:MaxRAM; its peak RSS is printed against the limit
#   BENCH_PGHOST        PostgreSQL server (default 127.0.0.1); BENCH_PGPORT (5432), BENCH_PGUSER (postgres)
#   BENCH_REDIS_PORT    first port tried for the private Redis (default 6393)
#   BENCH_VOTE_PORT     first port tried for the vote service (default 5620); BENCH_RESULT_PORT (5660)
#   BENCH_WORKER_PORT   first port tried for the worker's management port (default 5640); the vote and
#                       result services' management ports: BENCH_VOTE_MANAGEMENT_PORT (5680),
#                       BENCH_RESULT_MANAGEMENT_PORT (5700). /ready and /metrics are read there.
#   BENCH_JAVA         the java that runs the services (default: java on PATH); BENCH_AOT=1 with an AOT
#                      cache trained first by the train command, as in the images (Java 25 or later)
#   BUILD=1             rebuild both jars even when they exist
#
# It starts everything it needs, stops it all again on exit (also on failure or Ctrl-C) and touches
# nothing else: its Redis is a fresh one with no persistence, in a temp dir removed at the end, and its
# database bench_result_<random> is created for the run and dropped at the end. Exit status 1 when the
# client fails or a check (every vote seen by every client, no client dropped) fails; missing a latency
# target is reported, not an error.
set -euo pipefail

cd "$(dirname "$0")/../.."
# shellcheck source=loadtest/lib/servers.sh
source loadtest/lib/servers.sh

readonly TOOLS=loadtest/target/loadtest.jar
readonly CLIENT_CLASS=dev.votingapp.loadtest.ResultBench
readonly QUEUE=votes
readonly WANT_FDS=65536
readonly READY_TIMEOUT=60
TRIALS=${BENCH_TRIALS:-300}
WARMUP=${BENCH_WARMUP:-30}
PAUSE_MS=${BENCH_PAUSE_MS:-20}
CLIENTS=${BENCH_CLIENTS:-5000}
BATCH=${BENCH_BATCH:-200}
ROUNDS=${BENCH_ROUNDS:-20}
EVENT_LOOPS=${BENCH_EVENT_LOOPS:-4}
RESULT_MEMORY=${BENCH_RESULT_MEMORY:-512m}
# What figure prints for a figure the client did not print.
FIGURE_ABSENT='?'

CLIENT_PID=""

stop_client() {
  stop_process "bench client" "$CLIENT_PID" 5
  CLIENT_PID=""
}

show_logs() {
  local role
  for role in vote worker result; do
    show_log_tail "$role service" "$WORK/$role.log" 10
  done
}

stop_services() {
  stop_client
  stop_role result
  stop_role worker
  stop_role vote
}
trap_cleanup

# Upper bound in ms of the histogram bucket of Prometheus histogram $1 (seconds, no labels besides le)
# in file $3 that holds quantile $2 (0..1): "<= X ms"; "-" when the histogram is empty or absent.
bucket_quantile() {
  awk -v name="$1_bucket" -v q="$2" '
    index($0, name "{") == 1 {
      match($0, /le="[^"]*"/)
      le = substr($0, RSTART + 4, RLENGTH - 5)
      n++; bound[n] = le; count[n] = $NF
    }
    END {
      if (n == 0 || count[n] == 0) { print "-"; exit }
      want = q * count[n]
      for (i = 1; i <= n; i++) {
        if (count[i] >= want) {
          if (bound[i] == "+Inf") print "> " bound[i - 1] * 1000 " ms"
          else printf "<= %g ms\n", bound[i] * 1000
          exit
        }
      }
    }' "$3"
}

# Mean in ms of Prometheus summary/histogram $1 (seconds) in file $2; "-" without samples.
mean_ms() {
  local sum count
  sum=$(metric "$1_sum" "$2")
  count=$(metric "$1_count" "$2")
  awk -v s="$sum" -v c="$count" 'BEGIN { if (c > 0) printf "%.1f ms (%d samples)", s / c * 1000, c; else printf "-" }'
}

# "met" when $1 < $2 (numbers, ms), else "NOT met".
verdict() {
  awk -v v="$1" -v limit="$2" 'BEGIN { if (v != "?" && v + 0 < limit + 0) print "met"; else print "NOT met" }'
}

# $1 KiB in MiB, one decimal; "?" when $1 is not a number.
kib_to_mib() {
  awk -v k="$1" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.1f", k / 1024; else printf "?" }'
}

# Starts role $1 with management port $2 (servers.sh's start_role); the result process as the image
# starts it (docker/Dockerfile), under a container limit of RESULT_MEMORY.
start_bench_role() {
  local role=$1
  ROLE_JVM=()
  if [[ $role == result ]]; then
    ROLE_JVM=("-XX:MaxRAM=$RESULT_MEMORY" -XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError)
  fi
  start_role "$@"
}

# --- arguments -----------------------------------------------------------------------------------
for name in BENCH_TRIALS BENCH_WARMUP BENCH_PAUSE_MS BENCH_CLIENTS BENCH_BATCH BENCH_ROUNDS BENCH_EVENT_LOOPS; do
  if [[ -n ${!name:-} && ! ${!name} =~ ^[0-9]+$ ]]; then
    fail "$name must be a non-negative integer, not '${!name}'"
  fi
done
((TRIALS >= 200)) || fail "BENCH_TRIALS must be at least 200, not $TRIALS"
((BATCH >= 1 && ROUNDS >= 1 && EVENT_LOOPS >= 1)) || fail "BENCH_BATCH, BENCH_ROUNDS and BENCH_EVENT_LOOPS must be positive"

# --- file descriptors: every WebSocket client is a socket in the client and one in the result service
if ! ulimit -n "$WANT_FDS" 2>/dev/null; then
  hard=$(ulimit -Hn)
  if [[ $hard != unlimited ]] && ((hard < WANT_FDS)); then
    ulimit -n "$hard" || true
  fi
fi
fds=$(ulimit -n)
if [[ $fds != unlimited ]] && ((fds < CLIENTS + 1000)); then
  log "WARNING: open files limited to $fds, less than $CLIENTS clients need (ulimit -Hn: $(ulimit -Hn))"
fi

# --- tools, machine facts and jars ---------------------------------------------------------------
need_commands java redis-server redis-cli psql curl awk
connect_postgres

machine_facts memory java postgresql redis open-files

# The client class may be missing from a bench-tools jar built before it existed.
tools_current() {
  [[ -f $TOOLS ]] || return 1
  if command -v unzip >/dev/null 2>&1; then
    unzip -l "$TOOLS" "${CLIENT_CLASS//.//}.class" >/dev/null 2>&1 || return 1
  fi
}
if build_wanted; then
  build_jars "$JAR"
fi
if [[ ${BUILD:-} == 1 ]] || ! tools_current; then
  log "building $TOOLS"
  ./mvnw -q -B -P loadtest -pl loadtest package -DskipTests
fi
tools_current || fail "$TOOLS (with $CLIENT_CLASS) missing after the build"
warn_if_jar_older loadtest || true

WORK=$(mktemp -d -t result-bench.XXXXXX)
setup_java

# --- private Redis -------------------------------------------------------------------------------
start_redis "${BENCH_REDIS_PORT:-6393}"

# --- fresh database ------------------------------------------------------------------------------
create_database bench_result

# --- the stack: three processes ------------------------------------------------------------------
ROLE_ENV=(
  -u REDIS_PASSWORD -u REDIS_PASSWORD_FILE -u PGPASSWORD -u PGPASSWORD_FILE -u WORKER_BATCH_SIZE
  -u WORKER_CONCURRENCY -u RESULT_POLL_MS -u LOG_LEVEL -u OPTION_A -u OPTION_B
  "REDIS_URL=redis://$HOST:$REDIS_PORT" "REDIS_QUEUE=$QUEUE"
  "PGHOST=$PGH" "PGPORT=$PGP" "PGDATABASE=$DB" "PGUSER=$PGU"
)
# The worker first: it creates the schema the result service waits for. Each process gets its own
# management port (/ready, /metrics); the worker has no other.
WORKER_MANAGEMENT_PORT=$(free_port "${BENCH_WORKER_PORT:-5640}")
start_bench_role worker "$WORKER_MANAGEMENT_PORT" "WORKER_ID=bench-result-$$"
VOTE_PORT=$(free_port "${BENCH_VOTE_PORT:-5620}")
VOTE_MANAGEMENT_PORT=$(free_port "${BENCH_VOTE_MANAGEMENT_PORT:-5680}" "$VOTE_PORT")
start_bench_role vote "$VOTE_MANAGEMENT_PORT" "VOTE_PORT=$VOTE_PORT"
RESULT_PORT=$(free_port "${BENCH_RESULT_PORT:-5660}" "$VOTE_PORT" "$VOTE_MANAGEMENT_PORT")
RESULT_MANAGEMENT_PORT=$(free_port "${BENCH_RESULT_MANAGEMENT_PORT:-5700}" "$VOTE_PORT" "$VOTE_MANAGEMENT_PORT" "$RESULT_PORT")
start_bench_role result "$RESULT_MANAGEMENT_PORT" "RESULT_PORT=$RESULT_PORT" "RESULT_MAX_CLIENTS=$((CLIENTS > 10000 ? CLIENTS : 10000))"
RESULT_PID=${PIDS[result]}

initial=$(curl -fsS --noproxy '*' --max-time 5 "http://$HOST:$RESULT_PORT/api/results" || echo 'not available yet')
log "initial tally: $initial"

# --- the client ----------------------------------------------------------------------------------
echo
log "running $CLIENT_CLASS ($TRIALS trials, $CLIENTS clients)"
java -cp "$TOOLS" "$CLIENT_CLASS" --host "$HOST" --vote-port "$VOTE_PORT" --result-port "$RESULT_PORT" \
  --management-port "$RESULT_MANAGEMENT_PORT" \
  --trials "$TRIALS" --warmup "$WARMUP" --pause-ms "$PAUSE_MS" --clients "$CLIENTS" --batch "$BATCH" \
  --rounds "$ROUNDS" --event-loops "$EVENT_LOOPS" --result-pid "$RESULT_PID" >"$WORK/figures.txt" &
CLIENT_PID=$!
client_status=0
wait "$CLIENT_PID" || client_status=$?
CLIENT_PID=""
F=$WORK/figures.txt

# --- what the services say -----------------------------------------------------------------------
scrape "$RESULT_MANAGEMENT_PORT" "$WORK/result.metrics" || log "WARNING: the result service's /metrics did not answer"
scrape "$WORKER_MANAGEMENT_PORT" "$WORK/worker.metrics" || log "WARNING: the worker's /metrics did not answer"
scrape "$VOTE_MANAGEMENT_PORT" "$WORK/vote.metrics" || log "WARNING: the vote service's /metrics did not answer"
touch "$WORK/result.metrics" "$WORK/worker.metrics" "$WORK/vote.metrics"
final=$(curl -fsS --noproxy '*' --max-time 5 "http://$HOST:$RESULT_PORT/api/results" || echo '?')
rows=$(PSQL_DB=$DB pg -c 'SELECT count(*) FROM votes' || echo '?')
accepted=$(metric votes_accepted_total "$WORK/vote.metrics")
expected_votes=$((WARMUP + TRIALS + (CLIENTS > 0 ? ROUNDS : 0)))

if ((client_status != 0)); then
  log "the client failed; HTTP counters of the vote service (POST):"
  grep -E '^vertx_http_server_(requests|responses)_total\{.*POST' "$WORK/vote.metrics" >&2 || true
  log "HTTP counters of the result service (/ws):"
  grep -E '^vertx_http_server_(requests|responses|active_requests|active_ws).*' "$WORK/result.metrics" \
    | grep -E 'ws|websocket' >&2 || true
fi

result_peak_kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$RESULT_PID/status" 2>/dev/null || echo '?')
log "stopping the services"
stop_role result
stop_role worker
stop_role vote

# --- figures -------------------------------------------------------------------------------------
echo
echo "== result service: vote-to-screen latency, $(figure latency_trials "$F") trials =="
echo "median $(figure latency_p50_ms "$F") ms  p90 $(figure latency_p90_ms "$F") ms" \
  " p99 $(figure latency_p99_ms "$F") ms  max $(figure latency_max_ms "$F") ms" \
  " (min $(figure latency_min_ms "$F") ms, mean $(figure latency_mean_ms "$F") ms;" \
  "$(figure latency_over_50ms "$F") over 50 ms, $(figure latency_over_200ms "$F") over 200 ms;" \
  "$WARMUP warm-up trials before, $PAUSE_MS ms between trials)"
p50=$(figure latency_p50_ms "$F")
p99=$(figure latency_p99_ms "$F")
echo "target median < 50 ms: $(verdict "$p50" 50); p99 < 200 ms: $(verdict "$p99" 200)"
if ((PAUSE_MS < 10)); then
  echo "note: with up to 1,000 viewers the service pushes at most once per 10 ms, and each trial starts ${PAUSE_MS} ms" \
    "after the previous tally arrived, so a trial waits out the rest of that gap; BENCH_PAUSE_MS=20 measures the pipeline alone"
fi
if ((CLIENTS > 0)); then
  connected=$(figure fanout_connected "$F")
  echo "== $connected WebSocket clients, $(figure fanout_rounds "$F") votes =="
  echo "delivery p50 $(figure delivery_p50_ms "$F") ms  p99 $(figure delivery_p99_ms "$F") ms" \
    " max $(figure delivery_max_ms "$F") ms; last client per vote p50 $(figure last_p50_ms "$F") ms" \
    " p99 $(figure last_p99_ms "$F") ms (first client per vote p50 $(figure first_p50_ms "$F") ms)"
  echo "result process RSS: idle $(kib_to_mib "$(figure rss_idle_kib "$F")") MiB," \
    "with $connected clients $(kib_to_mib "$(figure rss_connected_kib "$F")") MiB" \
    "(after the votes: $(kib_to_mib "$(figure rss_after_votes_kib "$F")") MiB); peak $(kib_to_mib "$result_peak_kib") MiB" \
    "against a container limit of $RESULT_MEMORY (heap at most 75% of it, as in the image)"
  echo "target delivery p99 < 500 ms: $(verdict "$(figure delivery_p99_ms "$F")" 500)"
  echo "last client per vote, ms: $(figure fanout_last_per_round_ms "$F")"
  echo "connected $connected of $CLIENTS in $(figure fanout_connect_s "$F") s ($BATCH at a time," \
    "$EVENT_LOOPS client event loops); result_clients then: $(figure server_result_clients "$F")"
  echo "result_commit_to_push_seconds over these votes (recorded after the write to every client):" \
    "mean $(figure fanout_server_commit_to_push_mean_ms "$F") ms over $(figure fanout_server_pushes "$F") pushes"
fi
echo "== as the services measured it =="
echo "result_commit_to_push_seconds: mean $(mean_ms result_commit_to_push_seconds "$WORK/result.metrics")," \
  "p50 $(bucket_quantile result_commit_to_push_seconds 0.5 "$WORK/result.metrics")," \
  "p99 $(bucket_quantile result_commit_to_push_seconds 0.99 "$WORK/result.metrics")"
echo "worker_vote_age_seconds (vote's timestamp to commit): mean $(mean_ms worker_vote_age_seconds "$WORK/worker.metrics")," \
  "p50 $(bucket_quantile worker_vote_age_seconds 0.5 "$WORK/worker.metrics")," \
  "p99 $(bucket_quantile worker_vote_age_seconds 0.99 "$WORK/worker.metrics")"
echo "result_messages_sent_total $(metric result_messages_sent_total "$WORK/result.metrics")," \
  "result_notifications_total $(metric result_notifications_total "$WORK/result.metrics")," \
  "result_tally_reads_total $(metric result_tally_reads_total "$WORK/result.metrics")," \
  "result_clients_dropped_total $(metric result_clients_dropped_total "$WORK/result.metrics")," \
  "result_clients $(metric result_clients "$WORK/result.metrics") (after the client closed)"
echo "final tally: $final"

# --- checks --------------------------------------------------------------------------------------
echo
echo "== checks =="
check "bench client exit status" "$client_status" 0
check "votes accepted by the vote service" "$accepted" "$expected_votes"
check "rows in votes" "$rows" "$expected_votes"
if ((CLIENTS > 0)); then
  check "clients connected" "$(figure fanout_connected "$F")" "$CLIENTS"
  check "deliveries missed (a client without a vote's tally within the timeout)" "$(figure fanout_missing "$F")" 0
  check "clients closed by the server" "$(figure fanout_clients_closed_by_server "$F")" 0
  check "result_clients_dropped_total" "$(metric result_clients_dropped_total "$WORK/result.metrics")" 0
fi
# Warnings and errors the services logged during the whole run.
for role in vote worker result; do
  log_problems "$role service log" "$WORK/$role.log" 5
done

check_result
