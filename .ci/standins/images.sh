# shellcheck shell=bash
# The third-party images the stand-ins replace, read from the files that name them, so a stand-in is
# always tagged exactly as the Dockerfiles and docker-compose.yml say (a Renovate update of a tag changes
# one place, and the stand-ins follow). Sourced, after .ci/lib.sh, by build.sh, .ci/compose-smoke.sh and
# .ci/backup-image.sh.
#   JDK_IMAGE, RUNTIME_IMAGE   docker/Dockerfile's ARG defaults (build and runtime stages)
#   BACKUP_BASE_IMAGE          docker/backup/Dockerfile's ARG BASE_IMAGE
#   REDIS_IMAGE, POSTGRES_IMAGE  docker-compose.yml's redis and db services
# A stand-in cannot carry a digest (docker tag refuses one, and nothing can be pulled here): the
# *_STANDIN names are the same references without it, and the builds here pass them as build arguments.
_standins_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The default of `ARG NAME=value` in a Dockerfile.
arg_default() { sed -n "s/^ARG $2=//p" "$_standins_root/$1" | head -n 1; }
# The image: of a service of docker-compose.yml (two-space service keys, four-space fields).
compose_image() {
  awk -v service="  $1:" '$0 == service { inside = 1; next }
    inside && /^  [^ #]/ { exit }
    inside && /^    image:/ { print $2; exit }' "$_standins_root/docker-compose.yml"
}
without_digest() { printf '%s\n' "${1%@sha256:*}"; }

JDK_IMAGE=$(arg_default docker/Dockerfile JDK_IMAGE)
RUNTIME_IMAGE=$(arg_default docker/Dockerfile RUNTIME_IMAGE)
BACKUP_BASE_IMAGE=$(arg_default docker/backup/Dockerfile BASE_IMAGE)
REDIS_IMAGE=$(compose_image redis)
POSTGRES_IMAGE=$(compose_image db)
for _name in JDK_IMAGE RUNTIME_IMAGE BACKUP_BASE_IMAGE REDIS_IMAGE POSTGRES_IMAGE; do
  [ -n "${!_name}" ] || fail "$_name: not found where .ci/standins/images.sh reads it"
done
# The backup image's base is the compose file's PostgreSQL (.ci/image_tags.py holds them to one tag), so
# one stand-in serves both.
[ "$(without_digest "$BACKUP_BASE_IMAGE")" = "$(without_digest "$POSTGRES_IMAGE")" ] ||
  fail "docker/backup/Dockerfile BASE_IMAGE $BACKUP_BASE_IMAGE is not the compose file's $POSTGRES_IMAGE"
JDK_STANDIN=$(without_digest "$JDK_IMAGE")
RUNTIME_STANDIN=$(without_digest "$RUNTIME_IMAGE")
REDIS_STANDIN=$(without_digest "$REDIS_IMAGE")
POSTGRES_STANDIN=$(without_digest "$POSTGRES_IMAGE")
export JDK_IMAGE RUNTIME_IMAGE BACKUP_BASE_IMAGE REDIS_IMAGE POSTGRES_IMAGE \
  JDK_STANDIN RUNTIME_STANDIN REDIS_STANDIN POSTGRES_STANDIN
unset _name
