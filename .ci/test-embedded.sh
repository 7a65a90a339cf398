#!/usr/bin/env bash
# Stage `test-embedded` of .ci/run: the README promises that `./mvnw verify` passes on a machine with
# only a JDK: no TEST_* servers and no Docker, so the tests start embedded Redis and PostgreSQL. This
# runs the launcher's process-level tests (the jar, its roles, a worker killed with SIGKILL) that way, so
# that promise stays tested. (Where a Docker engine answers on its default socket, as on GitHub's runner,
# Testcontainers is found first.)
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=ci
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

log "launcher integration tests with embedded servers only (no TEST_* variables)"
export MAVEN_ARGS="${MAVEN_ARGS:-} -B"
env -u TEST_REDIS_URL -u TEST_PGHOST -u TEST_PGPORT -u TEST_PGUSER -u TEST_PGDATABASE -u DOCKER_HOST \
  ./mvnw verify -pl launcher -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dverticles.skipITs -Dit.test='!RolesIT, !SeedIT, !DevLeftoversIT'
