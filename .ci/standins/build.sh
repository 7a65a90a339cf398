#!/usr/bin/env bash
# Builds the stand-ins for the base images the Dockerfile and docker-compose.yml name, because this
# machine cannot pull images: a Debian root filesystem (debootstrap) standing in for distroless, this
# machine's JDK for Temurin, and Debian's Redis and PostgreSQL for the official images.
# Needs DOCKER_HOST pointing at a running engine. Idempotent: the base images already there are kept;
# the Redis and PostgreSQL stand-ins are rebuilt from the layer cache.
set -euo pipefail
cd "$(dirname "$0")"

ROOTFS=${CI_ROOTFS:-/var/tmp/voting-ci-rootfs}
log() { printf '[standins] %s\n' "$*"; }
# The classic builder prints a deprecation notice on every build; keep everything else it says.
build() {
  docker build "$@" 2> >(grep -v -e DEPRECATED -e 'BuildKit is currently disabled' -e 'environment-variable' -e '^$' >&2)
}
has() { docker image inspect "$1" >/dev/null 2>&1; }

if ! has voting-ci/debian-minbase:bookworm; then
  if [ ! -x "$ROOTFS/bin/sh" ]; then
    log "debootstrap of Debian bookworm (minbase) into $ROOTFS"
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >/dev/null
  fi
  log "importing the root filesystem"
  tar -C "$ROOTFS" -c . | docker import - voting-ci/debian-minbase:bookworm >/dev/null
fi

if ! has gcr.io/distroless/base-debian12:nonroot; then
  docker tag voting-ci/debian-minbase:bookworm gcr.io/distroless/base-debian12:nonroot
fi

# The build stage's JDK: Temurin 25, installed on these machines apart from the default (Debian's 17).
JDK25=${CI_JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if ! has eclipse-temurin:25-jdk; then
  log "eclipse-temurin:25-jdk from $JDK25"
  if ! "$JDK25/bin/java" -version 2>&1 | grep -q 'version "25'; then
    log "no JDK 25 in $JDK25 (set CI_JDK25_HOME)"
    exit 1
  fi
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  # -L: a JDK installed as links (Debian's links into /etc for cacerts) is copied as what they point at.
  cp -rL "$JDK25" "$context/jdk" 2>/dev/null || true
  if [ ! -x "$context/jdk/bin/javac" ] || [ ! -x "$context/jdk/bin/jlink" ] || [ ! -s "$context/jdk/lib/security/cacerts" ]; then
    log "copying the JDK from $JDK25 failed"
    exit 1
  fi
  cp jdk.Dockerfile "$context/Dockerfile"
  DOCKER_BUILDKIT=0 build -q -t eclipse-temurin:25-jdk "$context" >/dev/null
fi

# These two are built every time, from the layer cache when nothing changed (a second or two): an
# image kept from an earlier run would hide a change to their Dockerfiles or the entrypoint.
has redis:7-alpine || log "redis:7-alpine from Debian's redis-server"
DOCKER_BUILDKIT=0 build -q --network host -t redis:7-alpine -f redis.Dockerfile . >/dev/null

has postgres:15-alpine || log "postgres:15-alpine from Debian's postgresql-15"
DOCKER_BUILDKIT=0 build -q --network host -t postgres:15-alpine -f postgres.Dockerfile . >/dev/null
log "ready: $(docker images --filter dangling=false --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ')"
