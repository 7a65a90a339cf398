#!/usr/bin/env bash
# Builds the stand-ins for the base images the Dockerfiles and docker-compose.yml name, because this
# machine cannot pull images: a Debian root filesystem (debootstrap) standing in for distroless, this
# machine's JDK for Temurin, and Debian's Redis and PostgreSQL for the official images.
#
#   .ci/standins/build.sh [runtime] [jdk] [redis] [postgres]     (default: all four)
#
# Needs DOCKER_HOST pointing at a running engine. Idempotent: the base images already there are kept;
# the Redis and PostgreSQL stand-ins are rebuilt from the layer cache.
# The names come from the Dockerfiles and docker-compose.yml (images.sh): each stand-in is tagged with
# exactly the reference they use (without a digest: a stand-in has none).
set -euo pipefail
cd "$(dirname "$0")"
LOG_TAG=standins
# shellcheck source=.ci/lib.sh
source ../lib.sh
# shellcheck source=.ci/standins/images.sh
. ./images.sh

wanted=" ${*:-runtime jdk redis postgres} "
ROOTFS=${CI_ROOTFS:-/var/tmp/voting-ci-rootfs}
has() { docker image inspect "$1" >/dev/null 2>&1; }

if ! has voting-ci/debian-minbase:bookworm; then
  if [ ! -x "$ROOTFS/bin/sh" ]; then
    command -v debootstrap >/dev/null || need_packages debootstrap
    log "debootstrap of Debian bookworm (minbase) into $ROOTFS"
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >/dev/null
  fi
  log "importing the root filesystem"
  tar -C "$ROOTFS" -c . | docker import - voting-ci/debian-minbase:bookworm >/dev/null
fi

if [[ $wanted == *" runtime "* ]] && ! has "$RUNTIME_STANDIN"; then
  docker tag voting-ci/debian-minbase:bookworm "$RUNTIME_STANDIN"
fi

# The build stage's JDK: Temurin 25, installed on these machines apart from the default (Debian's 17).
# The tag names an exact build (25.0.3_9: Temurin 25.0.3+9); the machine's may differ after an update
# of the tag: said, not refused, since the image's AOT cache is made and used with the same JDK.
JDK25=${CI_JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [[ $wanted == *" jdk "* ]] && ! has "$JDK_STANDIN"; then
  log "$JDK_STANDIN from $JDK25"
  "$JDK25/bin/java" -version 2>&1 | grep -q 'version "25' || fail "no JDK 25 in $JDK25 (set CI_JDK25_HOME)"
  machine=$(sed -n 's/^IMPLEMENTOR_VERSION="Temurin-\(.*\)"$/\1/p' "$JDK25/release" | tr + _)
  tag=${JDK_STANDIN##*:}
  [ "${tag%%-*}" = "$machine" ] || log "note: $JDK_STANDIN stands in with this machine's Temurin $machine"
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  # -L: a JDK installed as links (Debian's links into /etc for cacerts) is copied as what they point at.
  cp -rL "$JDK25" "$context/jdk" 2>/dev/null || true
  if [ ! -x "$context/jdk/bin/javac" ] || [ ! -x "$context/jdk/bin/jlink" ] || [ ! -s "$context/jdk/lib/security/cacerts" ]; then
    fail "copying the JDK from $JDK25 failed"
  fi
  cp jdk.Dockerfile "$context/Dockerfile"
  DOCKER_BUILDKIT=0 docker_build -q -t "$JDK_STANDIN" "$context" >/dev/null
fi

# These two are built every time, from the layer cache when nothing changed (a second or two): an
# image kept from an earlier run would hide a change to their Dockerfiles or the entrypoint.
for standin in redis postgres; do
  [[ $wanted == *" $standin "* ]] || continue
  name=REDIS_STANDIN
  [ "$standin" = redis ] || name=POSTGRES_STANDIN
  has "${!name}" || log "${!name} from $standin.Dockerfile"
  DOCKER_BUILDKIT=0 docker_build -q --network host -t "${!name}" -f "$standin.Dockerfile" . >/dev/null
done
log "ready: $(docker images --filter dangling=false --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ')"
