#!/usr/bin/env bash
# The containers, checked for real on every CI run: builds the three images with a real Docker engine
# (from stand-in base images, this machine cannot pull any), brings the compose stack up on the host
# network, waits until every service is healthy, casts 3,000 votes through the vote service (the seed
# profile) and sees them in /api/results, scales the worker to 3, kills one worker with SIGKILL while
# 6,000 more votes flow, and checks that every vote is counted exactly once. Also prints the image sizes
# against a plain one-stage JDK image. Cleans up everything it started.
# It also checks what the compose file promises: /ready served on the management ports only, Redis
# refusing commands without its password and capped (maxmemory, noeviction), the roles and schema made
# by the one-shots db-roles and migrate, the worker logged in as `worker` (which cannot change the
# schema) and the result service as the read-only role `result` (which cannot INSERT), no password in
# `docker inspect`, and the
# networks: which service can reach which (on the host network, statically: .ci/compose_networks.py).
#
# SMOKE_NATIVE=1 (GitHub Actions, any machine with a normal Docker engine and Compose v2, or v1
# docker-compose where v2 is missing): the real docker-compose.yml as it is, with its own networks, real
# base images and `--scale worker=3`; VOTE_HOST_PORT and RESULT_HOST_PORT move the published ports.
# There the networks are also checked from inside: vote cannot resolve or reach db, result cannot
# resolve or reach redis (from their network namespaces, with the redis image's tools).
# SMOKE_IP_ISOLATION=0 skips the "reach" half, on an engine that does not isolate its networks at the
# IP level (dockerd --iptables=false, as on the CI machines here: the host routes between bridges).
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=compose
# shellcheck source=.ci/lib.sh
source .ci/lib.sh
# Polled once a second: each poll asks the engine about every container.
WAIT_INTERVAL=1
# Waits as wait_for does, then says what it waited for.
waited() { wait_for "$@"; log "$1"; }

ENGINE_DIR=${CI_DOCKER_DIR:-/var/tmp/voting-ci-docker}
PROJECT=voting-ci
NATIVE=${SMOKE_NATIVE:-}
COMPOSE_FILE_CI=$(mktemp --suffix=.yml)
export IMAGE_PREFIX=voting-app TAG=ci
# The third-party images as the Dockerfiles and docker-compose.yml name them (and their stand-ins' names).
# shellcheck source=.ci/standins/images.sh
. .ci/standins/images.sh

# The passwords the stack is started with (the compose file's secrets), for the checks below.
PG_SECRET=${PG_PASSWORD_FILE:-docker/dev-pg-password.txt}
OWNER_SECRET=${OWNER_DB_PASSWORD_FILE:-docker/dev-owner-db-password.txt}
WORKER_SECRET=${WORKER_DB_PASSWORD_FILE:-docker/dev-worker-db-password.txt}
RESULT_SECRET=${RESULT_DB_PASSWORD_FILE:-docker/dev-result-db-password.txt}
MONITOR_SECRET=${MONITOR_DB_PASSWORD_FILE:-docker/dev-monitor-db-password.txt}
REDIS_SECRET=${REDIS_PASSWORD_FILE:-docker/dev-redis-password.txt}
if [ -n "$NATIVE" ]; then
  VOTE_PORT=${VOTE_HOST_PORT:-5000}
  RESULT_PORT=${RESULT_HOST_PORT:-5001}
  PG_PORT=5432
  REDIS_PORT=6379
  if docker compose version >/dev/null 2>&1; then
    compose() { docker compose -p "$PROJECT" -f docker-compose.yml "$@"; }
  else
    compose() { docker-compose -p "$PROJECT" -f docker-compose.yml "$@"; }
  fi
else
  export DOCKER_BUILDKIT=0
  # As .ci/compose_hostnet.py sets them: public ports, then the management ports (/health, /ready, /metrics).
  VOTE_PORT=15000
  RESULT_PORT=15001
  MANAGEMENT_PORTS=(vote:15080 result:15081 worker:15082)
  PG_PORT=15432
  REDIS_PORT=16379
  compose() { docker-compose -p "$PROJECT" -f "$COMPOSE_FILE_CI" "$@"; }
fi
RESULTS_URL=http://127.0.0.1:$RESULT_PORT/api/results

# redis-cli in the Redis container, logged in with the secret (REDISCLI_AUTH, not on a command line).
# shellcheck disable=SC2016 # expanded by the container's shell
redis_cli() {
  compose exec -T redis sh -c 'export REDISCLI_AUTH="$(cat /run/secrets/redis_password)"; exec redis-cli -p "$0" "$@"' \
    "$REDIS_PORT" "$@" | tr -d '\r'
}
# psql in the db container as the superuser, over the socket.
psql_admin() {
  compose exec -T db psql -h /var/run/postgresql -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atc "$1" | tr -d '\r'
}
# psql in the db container as an app login role, over TCP with its password, as the service logs in. The
# db container does not hold the app's secrets: the password goes in on stdin, never on a command line.
# shellcheck disable=SC2016 # expanded by the container's shell
psql_as() {
  compose exec -T db sh -c 'IFS= read -r PGPASSWORD; export PGPASSWORD; exec psql -h 127.0.0.1 -p "$0" -U "$1" -d postgres -v ON_ERROR_STOP=1 -Atc "$2"' \
    "$PG_PORT" "$1" "$3" <"$2" 2>&1 | tr -d '\r'
}
psql_result() { psql_as result "$RESULT_SECRET" "$1"; }
psql_worker() { psql_as worker "$WORKER_SECRET" "$1"; }

cleanup() {
  local status=$?
  if { [ -n "$NATIVE" ] || [ -s "$COMPOSE_FILE_CI" ]; } && docker info >/dev/null 2>&1; then
    if [ "$status" -ne 0 ]; then
      log "results: $(curl -sS --max-time 5 "$RESULTS_URL" 2>&1 || true)"
      log "redis: $(redis_cli --scan 2>/dev/null | tr '\n' ' ' || true)"
      log "votes: $(psql_admin 'SELECT vote, count(*) FROM votes GROUP BY vote' 2>/dev/null | tr '\n' ' ' || true)"
      log "last logs:"
      compose --profile seed --profile scale logs --tail 20 2>/dev/null | tail -n 80 || true
    fi
    compose --profile seed --profile scale down -v --remove-orphans --timeout 30 >/dev/null 2>&1 || true
  fi
  rm -f "$COMPOSE_FILE_CI"
  stop_private_docker "$ENGINE_DIR"
  exit "$status"
}
trap cleanup EXIT

# ---- a Docker engine of our own (none runs on these machines) ----
if [ -z "$NATIVE" ]; then
command -v docker-compose >/dev/null || need_packages docker-compose
start_private_docker "$ENGINE_DIR"

bash .ci/standins/build.sh
fi
# Here the bases are the stand-ins, named without the digest a real base may carry.
base_args=()
[ -n "$NATIVE" ] || base_args=(--build-arg JDK_IMAGE="$JDK_STANDIN" --build-arg RUNTIME_IMAGE="$RUNTIME_STANDIN")

# ---- the three images (SMOKE_SKIP_BUILD=1 when they were built before, as GitHub Actions does) ----
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
for role in vote worker result; do
  [ -n "${SMOKE_SKIP_BUILD:-}" ] && break
  log "building $IMAGE_PREFIX/$role:$TAG"
  docker_build -q --network host -f docker/Dockerfile --target "$role" "${base_args[@]}" \
    --build-arg VERSION="$TAG" --build-arg REVISION="$revision" -t "$IMAGE_PREFIX/$role:$TAG" . >/dev/null
done
docker image inspect "$IMAGE_PREFIX/vote:$TAG" --format '{{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.Healthcheck.Test}}' \
  | grep -q '^65532:65532 \["/opt/java/bin/java"' || fail "vote image: not the non-root exec-form entrypoint"
# The AOT cache is used, not only there: with -XX:AOTMode=on the JVM stops (exit 1) when it cannot use
# the cache (a jar of another size or modification time than the training run's, another JVM), else
# the app starts and stops at once with its usage (exit 2). 512 MiB: the heap stays far under 32 GB,
# where compressed pointers, and the cache, would be off whatever the image.
for role in vote worker result; do
  code=0
  out=$(docker run --rm --network none --memory 512m -e JAVA_TOOL_OPTIONS=-XX:AOTMode=on "$IMAGE_PREFIX/$role:$TAG" aot-check 2>&1) || code=$?
  { [ "$code" = 2 ] && grep -q 'unknown role: aot-check' <<<"$out"; } \
    || fail "$role image: the AOT cache cannot be used (exit $code): $(grep -i -m 4 -e aot -e error <<<"$out" | tr '\n' ' ')"
done
log "PASS: the AOT cache (/app/voting-app.aot) loads in the vote, worker and result images (-XX:AOTMode=on)"

# Size against a plain one-stage JDK image of the same jar (here: stand-in bases; see the README).
if [ -f launcher/target/voting-app-slim.jar ]; then
plain=$(mktemp -d)
cp launcher/target/voting-app-slim.jar "$plain/voting-app.jar"
printf 'FROM %s\nCOPY voting-app.jar /app/voting-app.jar\nENTRYPOINT ["java", "-jar", "/app/voting-app.jar"]\n' "$JDK_STANDIN" >"$plain/Dockerfile"
docker_build -q -t voting-app/plain-jdk:ci "$plain" >/dev/null
rm -rf "$plain"
size() { docker image inspect "$1" --format '{{.Size}}' | awk '{printf "%.0f", $1 / 1048576}'; }
base=$(size "$RUNTIME_STANDIN")
jdk=$(size "$JDK_STANDIN")
ours=$(size "$IMAGE_PREFIX/vote:$TAG")
one_stage=$(size voting-app/plain-jdk:ci)
log "image sizes (MiB): ours $ours = base $base + $((ours - base)) added; plain JDK image $one_stage = JDK base $jdk + $((one_stage - jdk)) added"
log "added to the base: ours $((ours - base)) MiB vs $((one_stage - base)) MiB for the JDK and jar on the same base ($(( (100 * (one_stage - ours)) / (one_stage - base + 1) ))% less)"
fi

# ---- the stack ----
if [ -n "$NATIVE" ]; then
  compose up -d
else
  docker-compose -f docker-compose.yml config | .ci/compose_hostnet.py >"$COMPOSE_FILE_CI"
  compose up -d
fi
healthy() {
  local service id
  for service in "$@"; do
    id=$(compose ps -q "$service")
    [ -n "$id" ] && [ "$(docker inspect --format '{{.State.Health.Status}}' "$id")" = healthy ] || return 1
  done
}
waited "every service healthy" 240 healthy db redis vote worker result

# ---- what the compose file promises ----
# /health, /ready and /metrics on the management ports only, never on the public ones.
http_code() { curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true; }
if [ -z "$NATIVE" ]; then
  for entry in "${MANAGEMENT_PORTS[@]}"; do
    role=${entry%%:*} port=${entry##*:}
    ready_up() { curl -fsS --max-time 5 "http://127.0.0.1:$1/ready" | grep -q '"status" *: *"UP"'; }
    waited "$role: /ready on management port $port answers 200, status UP" 60 ready_up "$port"
    [ "$(http_code "http://127.0.0.1:$port/metrics")" = 200 ] || fail "$role: /metrics on management port $port does not answer 200"
  done
fi
for entry in vote:$VOTE_PORT result:$RESULT_PORT; do
  role=${entry%%:*} port=${entry##*:}
  for path in /ready /health /metrics; do
    code=$(http_code "http://127.0.0.1:$port$path")
    [ "$code" = 404 ] || fail "$role: $path on public port $port answers $code, expected 404 (management port only)"
  done
done
log "PASS: /ready, /health and /metrics answer 404 on the public ports $VOTE_PORT and $RESULT_PORT"
if [ -n "$NATIVE" ]; then
  for service in vote result worker redis db; do
    for id in $(compose ps -q "$service"); do
      published=$(docker port "$id" | tr '\n' ' ')
      case $service:$published in
        vote:|result:) fail "$service publishes no port" ;;
        vote:*|result:*) ! echo "$published" | grep -q '^8081/\| 8081/' || fail "$service publishes its management port: $published" ;;
        *:) ;;
        *) fail "$service publishes $published: only vote and result may" ;;
      esac
    done
  done
  log "PASS: only the two pages are published (no management port, no Redis, no PostgreSQL)"
fi

# Redis: the password is required, memory is capped and a full queue is refused, not evicted.
unauthenticated=$(compose exec -T redis redis-cli -p "$REDIS_PORT" ping 2>&1 | tr -d '\r' || true)
echo "$unauthenticated" | grep -q NOAUTH || fail "Redis answered a command without the password: $unauthenticated"
policy=$(redis_cli config get maxmemory-policy | sed -n 2p)
[ "$policy" = noeviction ] || fail "Redis maxmemory-policy is '$policy', expected noeviction"
maxmemory=$(redis_cli config get maxmemory | sed -n 2p)
limit=$(docker inspect --format '{{.HostConfig.Memory}}' "$(compose ps -q redis)")
{ [ "${maxmemory:-0}" -gt 0 ] && { [ "$limit" = 0 ] || [ "$maxmemory" -lt "$limit" ]; }; } \
  || fail "Redis maxmemory $maxmemory is not set below the container limit $limit"
log "PASS: Redis refuses commands without its password (NOAUTH); maxmemory $((maxmemory / 1048576)) MiB under a $((limit / 1048576)) MiB limit, maxmemory-policy noeviction"

# No password in the containers' configuration (environment, command, labels): only secret files.
for secret in "$PG_SECRET" "$OWNER_SECRET" "$WORKER_SECRET" "$RESULT_SECRET" "$MONITOR_SECRET" "$REDIS_SECRET"; do
  password=$(cat "$secret")
  # shellcheck disable=SC2046 # one id per word
  if docker inspect $(compose ps -q) | grep -qF -- "$password"; then fail "the password of $secret shows in docker inspect"; fi
done
log "PASS: no password in docker inspect of any container"

# Networks: vote reaches Redis only, result PostgreSQL only, the worker both.
if [ -n "$NATIVE" ]; then
  # From each service's own network namespace (and DNS), with the tools of the redis image.
  probe() {
    docker run --rm --network "container:$(compose ps -q "$1" | head -n 1)" --entrypoint sh "$REDIS_IMAGE" -c "$2" 2>&1
  }
  db_ip=$(docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$(compose ps -q db)")
  redis_ip=$(docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$(compose ps -q redis)")
  # redis-cli as a TCP probe: it says "Could not connect" when refused or unroutable, and nothing when
  # the packets are dropped (timeout stops it); anything else means it got a connection.
  if [ "${SMOKE_IP_ISOLATION:-1}" = 1 ]; then
    reaches() {
      echo "o=\$(timeout 5 redis-cli -h $1 -p $2 ping 2>&1); case \$o in ''|*'Could not connect'*) echo unreachable ;; *) echo \"reached: \$o\" ;; esac"
    }
    reach_note=""
  else
    reaches() { echo "echo unreachable"; }
    reach_note=" (reach by IP not checked: SMOKE_IP_ISOLATION=0)"
  fi
  # True when text $1 has every word after it.
  says() {
    local text=$1 word
    shift
    for word in "$@"; do grep -q -- "$word" <<<"$text" || return 1; done
  }
  out=$(probe vote "getent hosts db || echo unresolved; $(reaches "${db_ip%% *}" 5432); getent hosts redis >/dev/null && echo redis-resolved")
  says "$out" unresolved unreachable redis-resolved || fail "vote can resolve or reach db, or not resolve redis: $(echo "$out" | tr '\n' ' ')"
  out=$(probe result "getent hosts redis || echo unresolved; $(reaches "${redis_ip%% *}" 6379); getent hosts db >/dev/null && echo db-resolved")
  says "$out" unresolved unreachable db-resolved || fail "result can resolve or reach redis, or not resolve db: $(echo "$out" | tr '\n' ' ')"
  out=$(probe worker "getent hosts redis >/dev/null && getent hosts db >/dev/null && echo both")
  [ "$out" = both ] || fail "the worker cannot resolve redis and db: $out"
  log "PASS: vote cannot resolve or reach db, result cannot resolve or reach redis, the worker resolves both$reach_note"
else
  networks=$(docker-compose -f docker-compose.yml config | .ci/compose_networks.py) || fail "$networks"
  log "PASS: (host network here: the compose file's networks are checked statically) $networks"
fi

results() { curl -fsS --max-time 5 "$RESULTS_URL"; }
tally_is() { results | python3 -c "import json,sys; t=json.load(sys.stdin); sys.exit(0 if [o['votes'] for o in t['options']] == [$1, $2] and t['total'] == $1 + $2 else 1)"; }

log "casting 3,000 votes through the vote service (seed profile)"
compose --profile seed run --rm seed
waited "3,000 votes in /api/results: a 2000, b 1000" 60 tally_is 2000 1000

# The result service reads as `result`, a member of voting_reader, which may read but not write.
[ "$(psql_admin "SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = 'result'")" = t ] \
  || fail "the result service is not connected as the role result"
[ "$(psql_admin "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = 'result'")" = f ] \
  || fail "the role result has more than it needs"
[ "$(psql_admin "SELECT pg_has_role('result', 'voting_reader', 'MEMBER')")" = t ] || fail "result is not in voting_reader"
[ "$(psql_result 'SELECT count(*) FROM votes')" = 3000 ] || fail "the role result cannot read votes: $(psql_result 'SELECT count(*) FROM votes')"
denied=$(psql_result "INSERT INTO votes (id, vote) VALUES ('smoke-intruder', 'a')" || true)
echo "$denied" | grep -q 'permission denied for table votes' || fail "the role result could write to votes: $denied"
denied=$(psql_result "UPDATE vote_tally SET votes = 0" || true)
echo "$denied" | grep -q 'permission denied for table vote_tally' || fail "the role result could write to vote_tally: $denied"
log "PASS: the result service is connected as 'result' (in voting_reader): it reads votes, INSERT and UPDATE are denied"

# The one-shots ran first and succeeded; the worker writes as `worker` (in voting_writer), which may not
# change the schema, and the schema belongs to voting_owner.
for one_shot in db-roles migrate; do
  code=$(docker inspect --format '{{.State.ExitCode}}' "$(compose ps -q "$one_shot")")
  [ "$code" = 0 ] || fail "$one_shot exited $code"
done
[ "$(psql_admin "SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = 'worker'")" = t ] \
  || fail "the worker is not connected as the role worker"
[ "$(psql_admin "SELECT count(*) FROM pg_stat_activity WHERE usename = 'postgres' AND application_name LIKE 'voting-%'")" = 0 ] \
  || fail "an app process is connected as the superuser"
[ "$(psql_admin "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE tablename IN ('votes', 'vote_tally', 'voting_schema')")" = voting_owner ] \
  || fail "the schema does not belong to voting_owner"
[ "$(psql_admin "SELECT count(*) FROM pg_roles WHERE rolname IN ('voting_owner', 'worker', 'result', 'voting_monitor') AND NOT (rolsuper OR rolcreaterole OR rolcreatedb)")" = 4 ] \
  || fail "the app's login roles are missing or have more than they need"
denied=$(psql_worker "CREATE TABLE smoke_intruder (id INT)" || true)
echo "$denied" | grep -q 'permission denied for schema public' || fail "the role worker could create a table: $denied"
denied=$(psql_worker "DELETE FROM votes" || true)
echo "$denied" | grep -q 'permission denied for table votes' || fail "the role worker could delete votes: $denied"
log "PASS: db-roles and migrate exited 0; the worker writes as 'worker' (CREATE and DELETE denied), no app process is the superuser, voting_owner owns the schema"

# ---- scale to 3 workers, kill one with SIGKILL while votes flow ----
workers() {
  if [ -n "$NATIVE" ]; then compose ps -q worker; else for w in worker worker2 worker3; do compose ps -q "$w"; done; fi
}
all_workers_healthy() {
  local ids
  ids=$(workers)
  [ "$(echo "$ids" | grep -c .)" = 3 ] || return 1
  for id in $ids; do [ "$(docker inspect --format '{{.State.Health.Status}}' "$id")" = healthy ] || return 1; done
}
if [ -n "$NATIVE" ]; then
  compose up -d --no-recreate --scale worker=3 worker
else
  compose --profile scale up -d worker2 worker3
fi
waited "three workers healthy" 120 all_workers_healthy
log "casting 6,000 more votes while one worker is killed"
# A few votes at a time, so the kill below lands while votes still flow.
compose --profile seed run --rm -e SEED_A=3000 -e SEED_B=3000 -e SEED_CONCURRENCY=2 seed &
seeding=$!
total() { results | python3 -c "import json,sys; print(json.load(sys.stdin)['total'])"; }
flowing() { [ "$(total)" -gt 3000 ]; }
waited "votes flowing" 60 flowing
victim=$(workers | sed -n 2p)
docker kill --signal KILL "$victim" >/dev/null
counted_at_kill=$(total)
log "a worker killed with SIGKILL at $counted_at_kill votes counted"
[ "$counted_at_kill" -lt 9000 ] || log "WARNING: every vote was already counted when the worker died"

wait "$seeding" || fail "the vote service refused votes while a worker died"
waited "every vote counted exactly once: a 5000, b 4000" 120 tally_is 5000 4000
rows=$(psql_admin "SELECT count(*) || ' ' || count(DISTINCT id) FROM votes")
[ "$rows" = "9000 9000" ] || fail "votes table: $rows rows/distinct voters, expected 9000 9000"
queued=$(redis_cli eval "return redis.call('LLEN', 'votes') + redis.call('LLEN', 'votes:dead')" 0)
[ "$queued" = 0 ] || fail "$queued votes left in the queue or dead letters"
log "PASS: 9,000 votes cast, 9,000 rows, tally a 5000 b 4000, queue empty, with a worker killed mid-stream"

# ---- graceful stop: every app container exits 0 on SIGTERM ----
survivors=$(compose ps -q vote; compose ps -q result; workers | grep -v "^$victim")
for id in $survivors; do docker stop --time 30 "$id" >/dev/null; done
for id in $survivors; do
  code=$(docker inspect --format '{{.Name}} {{.State.ExitCode}}' "$id")
  [ "${code##* }" = 0 ] || fail "$code on SIGTERM"
done
log "PASS: vote, result and the live workers stopped gracefully (exit 0)"
