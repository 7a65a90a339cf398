#!/usr/bin/env bash
# Benchmark of the worker: one worker process drains a pre-filled Redis queue into PostgreSQL, from a
# private Redis into a fresh database of the machine's PostgreSQL server, all on loopback.
#
#   bash loadtest/bench/worker.sh
#
# What is queued (loadtest/bench/worker-fill.lua, one EVAL inside Redis): BENCH_VOTES distinct voters vote once,
# and every 10th of them votes a second time, later, for the other option; so the queue holds
# BENCH_VOTES + BENCH_VOTES/10 messages and the table must end with one row per voter, holding the
# second vote of every twice-voter.
#
# Environment:
#   BENCH_VOTES        distinct voters (default 200000); messages = voters + voters/10
#   BENCH_BATCH_SIZE   passed to the worker as WORKER_BATCH_SIZE (default: unset, the worker's default)
#   BENCH_CONCURRENCY  passed to the worker as WORKER_CONCURRENCY (default: unset, the worker's default)
#   BENCH_TIMEOUT      seconds allowed for draining the queue (default 300)
#   BENCH_PGHOST       PostgreSQL server (default 127.0.0.1); BENCH_PGPORT (5432), BENCH_PGUSER (postgres)
#   BENCH_REDIS_PORT   first port tried for the private Redis (default 6391)
#   BENCH_WORKER_PORT  first port tried for the worker's management port: /health, /ready, /metrics
#                      (MANAGEMENT_PORT; default 5602)
#   BENCH_JAVA         the java that runs the services (default: java on PATH); BENCH_AOT=1 with an AOT
#                      cache trained first by the train command, as in the images (Java 25 or later)
#   BUILD=1            rebuild launcher/target/voting-app.jar even when it exists
#
# It starts everything it needs, stops it all again on exit (also on failure or Ctrl-C) and touches
# nothing else: its Redis is a fresh one with no persistence, in a temp dir removed at the end, and its
# database bench_worker_<random> is created for the run and dropped at the end. Exit status 1 when a
# check of the table (or anything else) fails.
set -euo pipefail

cd "$(dirname "$0")/../.."
# shellcheck source=loadtest/lib/servers.sh
source loadtest/lib/servers.sh

readonly FILL=loadtest/bench/worker-fill.lua
readonly QUEUE=votes
readonly POLL=0.1
readonly TARGET_RATE=100000
VOTERS=${BENCH_VOTES:-200000}
TIMEOUT=${BENCH_TIMEOUT:-300}

WORKER_PID=""

stop_worker() {
  stop_process "worker" "$WORKER_PID" 30
  WORKER_PID=""
}

show_logs() {
  show_log_tail worker "$WORK/worker.log" 20
}

stop_services() {
  stop_worker
}
trap_cleanup

now() {
  date +%s.%N
}

# $1 - $2 (seconds, with fractions), 3 decimals.
elapsed() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'
}

# $1 / $2, no decimals ("-" when $2 is not positive).
per_second() {
  awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else printf "-" }'
}

# Scrapes the worker's metrics into $1; false when the worker does not answer.
scrape_worker() {
  scrape "$MANAGEMENT_PORT" "$1" 2
}

# --- arguments -----------------------------------------------------------------------------------
[[ $VOTERS =~ ^[1-9][0-9]*$ ]] || fail "BENCH_VOTES must be a positive integer, not '$VOTERS'"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || fail "BENCH_TIMEOUT must be a positive integer, not '$TIMEOUT'"
for name in BENCH_BATCH_SIZE BENCH_CONCURRENCY; do
  if [[ -n ${!name:-} && ! ${!name} =~ ^[1-9][0-9]*$ ]]; then
    fail "$name must be a positive integer, not '${!name}'"
  fi
done

# --- tools, machine facts and jar ----------------------------------------------------------------
need_commands java redis-server redis-cli psql curl awk
connect_postgres

machine_facts java postgresql redis

if build_wanted; then
  build_jars "$JAR"
fi
if ! warn_if_jar_older && command -v unzip >/dev/null 2>&1; then
  # A jar file can be new and still hold old classes (a module packaged from an older build of
  # another): compare the newest of the app's classes in it with the newest source file.
  stamp=$(unzip -Z -T "$JAR" 'dev/votingapp/*' 2>/dev/null | awk '{ print $(NF - 1) }' | sort | tail -n 1 || true)
  if [[ $stamp =~ ^([0-9]{8})\.([0-9]{2})([0-9]{2})([0-9]{2})$ ]]; then
    classes=$(date -d "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}:${BASH_REMATCH[3]}:${BASH_REMATCH[4]}" +%s)
    sources=$(find ./*/src/main -type f -printf '%T@\n' 2>/dev/null | sort -n | tail -n 1 || true)
    # Zip times have a 2 s resolution.
    if [[ -n $sources ]] && ((${sources%.*} > classes + 2)); then
      log "WARNING: the classes in $JAR are older than the newest source file: it may not be the" \
        "current code; BUILD=1 rebuilds it"
    fi
  fi
fi

WORK=$(mktemp -d -t worker-bench.XXXXXX)
setup_java

# --- private Redis -------------------------------------------------------------------------------
start_redis "${BENCH_REDIS_PORT:-6391}"

# --- fresh database ------------------------------------------------------------------------------
create_database bench_worker

# --- the queue -----------------------------------------------------------------------------------
TWICE=$((VOTERS / 10))
MESSAGES=$((VOTERS + TWICE))
# Final "b": first vote b (i % 3 == 0) and no second vote, or first vote a and a second one (i % 10 == 0).
EXPECT_B=$(((VOTERS / 3 - VOTERS / 30) + (VOTERS / 10 - VOTERS / 30)))
EXPECT_A=$((VOTERS - EXPECT_B))
# The votes were cast in the last second (the worker refuses timestamps from the future).
first_ts=$(($(date +%s%6N) - 1000000))
log "filling the queue"
fill_start=$(now)
pushed=$(rcli --eval "$FILL" "$QUEUE" , "$VOTERS" "$first_ts")
fill_end=$(now)
[[ $pushed == "$MESSAGES" ]] || fail "the fill script pushed '$pushed' messages, expected $MESSAGES"
queued=$(rcli llen "$QUEUE")
[[ $queued == "$MESSAGES" ]] || fail "the queue holds $queued messages, expected $MESSAGES"

echo
echo "== queued in $QUEUE (in $(elapsed "$fill_end" "$fill_start") s, one EVAL) =="
echo "messages: $MESSAGES ($VOTERS first votes + $TWICE second votes)"
echo "distinct voters: $VOTERS, of which $TWICE vote twice (the second vote, for the other option, is newer;"
echo "  $((VOTERS / 20)) right after the first vote, $((VOTERS / 20)) at the tail of the queue)"
echo "expected rows: $VOTERS (a: $EXPECT_A, b: $EXPECT_B)"
echo "sample: $(rcli lindex "$QUEUE" 0)"

# --- the worker ----------------------------------------------------------------------------------
MANAGEMENT_PORT=$(free_port "${BENCH_WORKER_PORT:-5602}")
worker_env=(
  -u REDIS_PASSWORD -u WORKER_BATCH_SIZE -u WORKER_CONCURRENCY
  "REDIS_URL=redis://$HOST:$REDIS_PORT" "REDIS_QUEUE=$QUEUE"
  "PGHOST=$PGH" "PGPORT=$PGP" "PGDATABASE=$DB" "PGUSER=$PGU"
  "MANAGEMENT_PORT=$MANAGEMENT_PORT" "WORKER_ID=bench-worker-$$"
)
if [[ -n ${BENCH_BATCH_SIZE:-} ]]; then
  worker_env+=("WORKER_BATCH_SIZE=$BENCH_BATCH_SIZE")
fi
if [[ -n ${BENCH_CONCURRENCY:-} ]]; then
  worker_env+=("WORKER_CONCURRENCY=$BENCH_CONCURRENCY")
fi
echo
log "starting the worker, management on $HOST:$MANAGEMENT_PORT (batch size ${BENCH_BATCH_SIZE:-default}," \
  "concurrency ${BENCH_CONCURRENCY:-default})"
started=$(now)
env "${worker_env[@]}" java -jar "$JAR" worker >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

# Every 100 ms until the deadline: /ready until it first answers 200; the queue length; and once the
# queue is empty, the metrics, until every message counts as written. Scraping only at the end keeps
# the polling from taking CPU away from the worker while it drains.
ready_at=""
done_at=""
deadline=$((SECONDS + TIMEOUT))
while true; do
  if [[ -z $ready_at ]] && curl -fsS --noproxy '*' --max-time 1 -o /dev/null \
    "http://$HOST:$MANAGEMENT_PORT/ready" 2>/dev/null; then
    ready_at=$(now)
    log "worker ready after $(elapsed "$ready_at" "$started") s"
  fi
  depth=$(rcli llen "$QUEUE" 2>/dev/null) || fail "the private Redis does not answer"
  if [[ $depth == 0 ]] && scrape_worker "$WORK/metrics.txt" \
    && [[ $(metric worker_votes_written_total "$WORK/metrics.txt") == "$MESSAGES" ]]; then
    done_at=$(now)
    break
  fi
  alive "$WORKER_PID" || fail "the worker exited"
  if ((SECONDS >= deadline)); then
    written="?"
    if scrape_worker "$WORK/metrics.txt"; then
      written=$(metric worker_votes_written_total "$WORK/metrics.txt")
    fi
    fail "not drained within ${TIMEOUT}s: $depth messages still queued, $written of $MESSAGES written"
  fi
  sleep "$POLL"
done
[[ -n $ready_at ]] || ready_at=$done_at

batches=$(metric worker_batches_total "$WORK/metrics.txt")
dead=$(metric worker_dead_letters_total "$WORK/metrics.txt")
failures=$(metric worker_failures_total "$WORK/metrics.txt")
total_s=$(elapsed "$done_at" "$started")
ready_s=$(elapsed "$ready_at" "$started")
drain_s=$(elapsed "$done_at" "$ready_at")
lanes=$(grep -m 1 -o 'with [0-9]* lanes of up to [0-9]* votes' "$WORK/worker.log" || true)

# Graceful stop: the worker gives up its heartbeat and closes; its shutdown is part of the check.
log "stopping the worker"
stop_worker

# --- figures -------------------------------------------------------------------------------------
rate_start=$(per_second "$MESSAGES" "$total_s")
rate_ready=$(per_second "$MESSAGES" "$drain_s")
echo
echo "== worker: one process, ${lanes:-? lanes}, $MESSAGES messages, Redis and PostgreSQL on this machine =="
echo "messages queued: $MESSAGES"
echo "ready (JVM start + schema): $ready_s s after the process start"
echo "last commit: $total_s s after the process start ($drain_s s after ready; polled every ${POLL}s)"
echo "votes/s from process start: $rate_start"
echo "votes/s from ready: $rate_ready"
echo "batches: $batches, average batch size: $(per_second "$MESSAGES" "$batches") messages"
echo "dead letters: $dead, failed batches (retried): $failures"
if [[ $rate_start != - ]] && ((rate_start >= TARGET_RATE)); then
  echo "target >= $TARGET_RATE votes/s from process start: reached"
else
  echo "target >= $TARGET_RATE votes/s from process start: NOT reached"
fi

# --- checks --------------------------------------------------------------------------------------
echo
echo "== checks =="
# Voter i's final vote is "b" exactly when (i % 3 = 0) differs from (i % 10 = 0); see worker-fill.lua.
counts=$(PSQL_DB=$DB pg -F ' ' <<SQL
WITH v AS (
  SELECT vote, voted_at,
         CASE WHEN id ~ '^bench-voter-[0-9]{1,9}\$' THEN substr(id, 13)::bigint END AS i
    FROM votes)
SELECT count(*),
       count(*) FILTER (WHERE vote = 'a'),
       count(*) FILTER (WHERE vote = 'b'),
       count(*) FILTER (WHERE vote <> CASE WHEN (i % 3 = 0) <> (i % 10 = 0) THEN 'b' ELSE 'a' END),
       count(*) FILTER (WHERE i % 10 = 0
                          AND vote <> CASE WHEN (i % 3 = 0) <> (i % 10 = 0) THEN 'b' ELSE 'a' END),
       count(*) FILTER (WHERE i IS NULL OR i < 1 OR i > $VOTERS),
       count(*) FILTER (WHERE voted_at IS NULL)
  FROM v;
SQL
)
read -r rows count_a count_b wrong wrong_twice bad_ids no_time <<<"$counts"
check "rows in votes (one per distinct voter)" "$rows" "$VOTERS"
check "rows with vote a" "$count_a" "$EXPECT_A"
check "rows with vote b" "$count_b" "$EXPECT_B"
check "rows whose vote is not the voter's last one" "$wrong" 0
check "twice-voters without their second vote (of $TWICE)" "$wrong_twice" 0
check "rows of unknown voter ids" "$bad_ids" 0
check "rows without voted_at" "$no_time" 0
check "worker_votes_written_total" "$(metric worker_votes_written_total "$WORK/metrics.txt")" "$MESSAGES"
check "messages left in $QUEUE" "$(rcli llen "$QUEUE")" 0
check "dead letters in $QUEUE:dead" "$(rcli llen "$QUEUE:dead")" 0
check "processing lists left in Redis" "$(rcli --scan --pattern "$QUEUE:processing:*" | wc -l)" 0

# --- PostgreSQL alone ----------------------------------------------------------------------------
# The limit to compare the worker with: the same upsert (the worker's statement, its tally trigger
# included) in the same batch sizes, on as many connections as the worker has lanes, into the same
# emptied table, with nothing else in the way: pgbench, the rows made by the server itself.
if [[ $lanes =~ with\ ([0-9]+)\ lanes\ of\ up\ to\ ([0-9]+)\ votes ]]; then
  clients=${BASH_REMATCH[1]}
  batch=${BASH_REMATCH[2]}
  txns=$(((MESSAGES + batch * clients - 1) / (batch * clients)))
  PSQL_DB=$DB pg -c 'TRUNCATE votes' -c 'CREATE SEQUENCE bench_batch START 0 MINVALUE 0'
  cat >"$WORK/upsert.sql" <<SQL
SELECT nextval('bench_batch') AS b \\gset
WITH trace AS (SELECT set_config('$(grep -o 'TRACE_SETTING = "[^"]*"' verticles/src/main/java/dev/votingapp/store/TallyNotice.java | cut -d'"' -f2)', '', true))
INSERT INTO votes (id, vote, voted_at)
SELECT 'bench-voter-' || (g % $VOTERS + 1), CASE WHEN g % 3 = 0 THEN 'b' ELSE 'a' END, now() + g * INTERVAL '1 microsecond'
  FROM generate_series(:b * $batch, :b * $batch + $batch - 1) AS g, trace
ON CONFLICT (id) DO UPDATE SET vote = EXCLUDED.vote, voted_at = EXCLUDED.voted_at
 WHERE votes.voted_at IS NULL OR votes.voted_at < EXCLUDED.voted_at;
SQL
  log "PostgreSQL alone: pgbench, $clients connections, $txns batches of $batch each"
  pg_start=$(now)
  PGCONNECT_TIMEOUT=5 pgbench -n -h "$PGH" -p "$PGP" -U "$PGU" -c "$clients" -j "$clients" -t "$txns" \
    -f "$WORK/upsert.sql" "$DB" >"$WORK/pgbench.txt" 2>&1 || fail "pgbench failed: $(tail -n 5 "$WORK/pgbench.txt")"
  pg_end=$(now)
  pg_rows=$((txns * clients * batch))
  pg_rate=$(per_second "$pg_rows" "$(elapsed "$pg_end" "$pg_start")")
  echo
  echo "== PostgreSQL alone: the same upserts, $clients connections, batches of $batch, pgbench =="
  echo "rows upserted: $pg_rows in $(elapsed "$pg_end" "$pg_start") s"
  echo "PostgreSQL alone votes/s: $pg_rate"
  echo "worker from ready / PostgreSQL alone: $(awk -v w="$rate_ready" -v p="$pg_rate" 'BEGIN { if (p > 0) printf "%.2f", w / p; else print "?" }')"
  echo "worker from process start / PostgreSQL alone: $(awk -v w="$rate_start" -v p="$pg_rate" 'BEGIN { if (p > 0) printf "%.2f", w / p; else print "?" }')"
else
  log "the worker's log does not say its lanes: no PostgreSQL-alone baseline"
fi

# Warnings and errors the worker logged during the whole run.
log_problems "worker log" "$WORK/worker.log" 10

check_result
