#!/usr/bin/env bash
# The containers, checked for real on every CI run: builds the three images with a real Docker engine
# (from stand-in base images, this machine cannot pull any), brings the compose stack up on the host
# network, waits until every service is healthy, casts 3,000 votes through the vote service (the seed
# profile) and sees them in /api/results, scales the worker to 3, kills one worker with SIGKILL while
# 6,000 more votes flow, and checks that every vote is counted exactly once. Also prints the image sizes
# against a plain one-stage JDK image. Cleans up everything it started.
#
# SMOKE_NATIVE=1 (GitHub Actions, any machine with a normal Docker engine and Compose v2): the real
# docker-compose.yml as it is, with its own networks, real base images and `--scale worker=3`.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[compose] %s\n' "$*"; }
# The classic builder prints a deprecation notice on every build; keep everything else it says.
build() {
  docker build "$@" 2> >(grep -v -e DEPRECATED -e 'BuildKit is currently disabled' -e 'environment-variable' -e '^$' >&2)
}
fail() { log "FAIL: $*"; exit 1; }

# Waits until a command succeeds, up to a deadline in seconds.
wait_for() {
  local what=$1 deadline=$2
  shift 2
  local end=$((SECONDS + deadline))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < end)) || fail "$what: not within ${deadline}s"
    sleep 1
  done
  log "$what"
}

ENGINE_DIR=${CI_DOCKER_DIR:-/var/tmp/voting-ci-docker}
PROJECT=voting-ci
NATIVE=${SMOKE_NATIVE:-}
COMPOSE_FILE_CI=$(mktemp --suffix=.yml)
STARTED_DOCKERD=""
export IMAGE_PREFIX=voting-app TAG=ci

if [ -n "$NATIVE" ]; then
  RESULTS_URL=http://127.0.0.1:5001/api/results
  PG_PORT=5432
  REDIS_PORT=6379
  compose() { docker compose -p "$PROJECT" -f docker-compose.yml "$@"; }
else
  export DOCKER_BUILDKIT=0
  RESULTS_URL=http://127.0.0.1:15001/api/results
  PG_PORT=15432
  REDIS_PORT=16379
  compose() { docker-compose -p "$PROJECT" -f "$COMPOSE_FILE_CI" "$@"; }
fi

cleanup() {
  local status=$?
  if { [ -n "$NATIVE" ] || [ -s "$COMPOSE_FILE_CI" ]; } && docker info >/dev/null 2>&1; then
    if [ "$status" -ne 0 ]; then
      log "results: $(curl -sS --max-time 5 "$RESULTS_URL" 2>&1 || true)"
      log "redis: $(compose exec -T redis redis-cli -p "$REDIS_PORT" --scan 2>/dev/null | tr '\r\n' '  ' || true)"
      log "votes: $(compose exec -T db psql -h /var/run/postgresql -p "$PG_PORT" -U postgres -Atc 'SELECT vote, count(*) FROM votes GROUP BY vote' 2>/dev/null | tr '\n' ' ' || true)"
      log "last logs:"
      compose --profile seed --profile scale logs --tail 20 2>/dev/null | tail -n 80 || true
    fi
    compose --profile seed --profile scale down -v --remove-orphans --timeout 30 >/dev/null 2>&1 || true
  fi
  rm -f "$COMPOSE_FILE_CI"
  if [ -n "$STARTED_DOCKERD" ]; then
    kill "$(cat "$ENGINE_DIR/dockerd.pid")" 2>/dev/null || true
    for _ in $(seq 1 30); do [ -e "$ENGINE_DIR/dockerd.pid" ] || break; sleep 1; done
    umount "$ENGINE_DIR/exec/netns/default" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT

# ---- a Docker engine of our own (none runs on these machines) ----
if [ -z "$NATIVE" ]; then
if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null || ! command -v debootstrap >/dev/null; then
  log "installing docker.io, docker-compose and debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io docker-compose debootstrap >/dev/null
fi
export DOCKER_HOST="unix://$ENGINE_DIR/docker.sock"
if ! docker info >/dev/null 2>&1; then
  log "starting a private Docker engine in $ENGINE_DIR"
  mkdir -p "$ENGINE_DIR"
  dockerd --host "$DOCKER_HOST" --data-root "$ENGINE_DIR/data" --exec-root "$ENGINE_DIR/exec" \
    --pidfile "$ENGINE_DIR/dockerd.pid" --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --default-ulimit nofile=4096:4096 --default-ulimit nproc=4096:4096 >"$ENGINE_DIR/dockerd.log" 2>&1 &
  STARTED_DOCKERD=1
  wait_for "Docker engine up" 60 docker info
fi

bash .ci/standins/build.sh
fi

# ---- the three images (SMOKE_SKIP_BUILD=1 when they were built before, as GitHub Actions does) ----
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
for role in vote worker result; do
  [ -n "${SMOKE_SKIP_BUILD:-}" ] && break
  log "building $IMAGE_PREFIX/$role:$TAG"
  build -q --network host -f docker/Dockerfile --target "$role" \
    --build-arg VERSION="$TAG" --build-arg REVISION="$revision" -t "$IMAGE_PREFIX/$role:$TAG" . >/dev/null
done
docker image inspect "$IMAGE_PREFIX/vote:$TAG" --format '{{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.Healthcheck.Test}}' \
  | grep -q '^65532:65532 \["/opt/java/bin/java"' || fail "vote image: not the non-root exec-form entrypoint"

# Size against a plain one-stage JDK image of the same jar (here: stand-in bases; see the README).
if [ -f launcher/target/voting-app-slim.jar ]; then
plain=$(mktemp -d)
cp launcher/target/voting-app-slim.jar "$plain/voting-app.jar"
printf 'FROM eclipse-temurin:17-jdk\nCOPY voting-app.jar /app/voting-app.jar\nENTRYPOINT ["java", "-jar", "/app/voting-app.jar"]\n' >"$plain/Dockerfile"
build -q -t voting-app/plain-jdk:ci "$plain" >/dev/null
rm -rf "$plain"
size() { docker image inspect "$1" --format '{{.Size}}' | awk '{printf "%.0f", $1 / 1048576}'; }
base=$(size gcr.io/distroless/base-debian12:nonroot)
jdk=$(size eclipse-temurin:17-jdk)
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
wait_for "every service healthy" 240 healthy db redis vote worker result

results() { curl -fsS --max-time 5 "$RESULTS_URL"; }
tally_is() { results | python3 -c "import json,sys; t=json.load(sys.stdin); sys.exit(0 if [o['votes'] for o in t['options']] == [$1, $2] and t['total'] == $1 + $2 else 1)"; }

log "casting 3,000 votes through the vote service (seed profile)"
compose --profile seed run --rm seed
wait_for "3,000 votes in /api/results: a 2000, b 1000" 60 tally_is 2000 1000

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
wait_for "three workers healthy" 120 all_workers_healthy
log "casting 6,000 more votes while one worker is killed"
compose --profile seed run --rm -e SEED_A=3000 -e SEED_B=3000 seed &
seeding=$!
total() { results | python3 -c "import json,sys; print(json.load(sys.stdin)['total'])"; }
flowing() { [ "$(total)" -ge 4000 ]; }
wait_for "votes flowing" 60 flowing
victim=$(workers | sed -n 2p)
docker kill --signal KILL "$victim" >/dev/null
log "a worker killed with SIGKILL at $(total) votes counted"
wait "$seeding" || fail "the vote service refused votes while a worker died"
wait_for "every vote counted exactly once: a 5000, b 4000" 120 tally_is 5000 4000
rows=$(compose exec -T db psql -h /var/run/postgresql -p "$PG_PORT" -U postgres -Atc "SELECT count(*) || ' ' || count(DISTINCT id) FROM votes")
[ "$rows" = "9000 9000" ] || fail "votes table: $rows rows/distinct voters, expected 9000 9000"
queued=$(compose exec -T redis redis-cli -p "$REDIS_PORT" eval "return redis.call('LLEN', 'votes') + redis.call('LLEN', 'votes:dead')" 0 | tr -d '\r')
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
