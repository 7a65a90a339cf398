#!/usr/bin/env bash
# Stage `test` of .ci/run: the README's test command, `./mvnw verify`, against the machine's Redis and
# PostgreSQL (started when installed but down) and a real browser. Without TEST_* servers the tests
# fall back to Testcontainers, then to embedded servers, so the same command passes on a machine with
# only a JDK; on a CI machine (Debian, root), the machine's servers are used first, and the tests that
# start Debian's redis-server or a PostgreSQL 15 of their own are required.
# On GitHub's runner (GITHUB_ACTIONS, not root): Testcontainers for Redis and PostgreSQL, the runner's
# Chrome (CHROMIUM_BINARY, CHROMEDRIVER_BINARY), and those tests skip (Ubuntu has no postgresql-15).
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=ci
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG; }
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q; }

on_github=${GITHUB_ACTIONS:-}
if [ -z "$on_github" ] && command -v redis-server >/dev/null && ! redis_up; then
  log "starting Redis on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis 30 redis_up
  log "Redis is up"
fi
if [ -z "$on_github" ] && command -v pg_ctlcluster >/dev/null && ! pg_up; then
  log "starting PostgreSQL on 127.0.0.1:5432"
  pg_version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf "%f\n" | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
  wait_for PostgreSQL 60 pg_up
  log "PostgreSQL is up"
fi

# The end-to-end test drives a real browser: Debian's Chromium and its chromedriver, unless named.
if [ -z "${CHROMIUM_BINARY:-}" ] || [ -z "${CHROMEDRIVER_BINARY:-}" ]; then
  need_packages chromium chromium-driver
fi
export REQUIRE_BROWSER=1

# Servers named here are used first; without them the tests fall back to Testcontainers, then to
# embedded servers.
if redis_up 2>/dev/null; then
  export TEST_REDIS_URL=redis://127.0.0.1:6379
fi
if pg_up 2>/dev/null; then
  export TEST_PGHOST=127.0.0.1 TEST_PGPORT=5432 TEST_PGUSER=postgres TEST_PGDATABASE=postgres
fi
log "TEST_REDIS_URL=${TEST_REDIS_URL:-<unset: Testcontainers or embedded>} TEST_PGHOST=${TEST_PGHOST:-<unset: Testcontainers or embedded>}"

if [ -z "$on_github" ]; then
  # TLS tests start Debian's redis-server (built with TLS) on a port of their own; the failover tests
  # start a primary and replicas of their own with it.
  export REQUIRE_TLS_REDIS=1 REQUIRE_REDIS_SERVER=1
  export REQUIRE_SCRAM_POSTGRES=1 # rotation and roles tests: a password-checking PostgreSQL 15 of their own (initdb)
fi

# The README's test command.
export MAVEN_ARGS="${MAVEN_ARGS:-} -B"
./mvnw verify
