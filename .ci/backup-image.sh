#!/usr/bin/env bash
# The backup image, built and run for real: docker/backup/Dockerfile, then a backup and a restore drill
# from the container (read-only root, tmpfs /tmp, uid 70, no new privileges, host network) against the
# compose file's PostgreSQL image (a container on loopback), S3Mock and the Pushgateway.
# Here (no registry) the base is a stand-in: .ci/standins/postgres.Dockerfile (Debian's PostgreSQL 15,
# tagged as the Dockerfile's BASE_IMAGE, e.g. postgres:15.20-alpine) plus an `apk` that installs Debian's
# packages of the same tools, on a private Docker engine, so what this proves is the Dockerfile's own
# steps and the scripts inside the image, not Alpine's packages. It reuses the engine folder and base
# images of .ci/compose-smoke.sh (CI_DOCKER_DIR, CI_ROOTFS).
# SMOKE_NATIVE=1 (GitHub Actions, any machine whose Docker engine can pull): the engine that answers and
# the real base image, Alpine's packages included.
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG=backup-image LOG_SECONDS=1
# shellcheck source=.ci/lib.sh
source .ci/lib.sh
# The base image's name as docker/backup/Dockerfile says it (BACKUP_BASE_IMAGE, stand-in POSTGRES_STANDIN).
# shellcheck source=.ci/standins/images.sh
. .ci/standins/images.sh

need_packages age prometheus-pushgateway
engine=${CI_DOCKER_DIR:-/var/tmp/voting-ci-docker}
base=${BACKUP_TEST_PORT_BASE:-15300}
push_port=$((base + 5)) s3_tls_port=$((base + 9)) pg_port=$((base + 10)) s3_port=$((base + 11))
tmp=$(mktemp -d /tmp/backup-image.XXXXXX)
chmod 755 "$tmp"
db=voting-ci-backup-db-$$
cleanup() {
  stop_background
  docker rm -f "$db" >/dev/null 2>&1 || true
  stop_private_docker "$engine"
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- The engine and the base ----------------------------------------------------------------------------
if [ -n "${SMOKE_NATIVE:-}" ]; then
  base_args=()
  db_image=$POSTGRES_IMAGE
else
  start_private_docker "$engine"
  bash .ci/standins/build.sh postgres
  mkdir "$tmp/base"
  cat >"$tmp/base/apk" <<'EOF'
#!/bin/sh
# Stand-in for Alpine's apk: `apk add [--no-cache] PKG...` installs Debian's packages of the same tools.
set -eu
[ "${1:-}" = add ] || { echo "apk stand-in: only 'add'" >&2; exit 1; }
shift
pkgs=
for p in "$@"; do
  case $p in
    --*) ;;
    aws-cli) pkgs="$pkgs awscli" ;;
    redis) pkgs="$pkgs redis-tools" ;;
    *) pkgs="$pkgs $p" ;;
  esac
done
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
rm -rf /var/lib/apt/lists/*
EOF
  chmod 755 "$tmp/base/apk"
  printf 'FROM %s\nCOPY apk /sbin/apk\n' "$POSTGRES_STANDIN" >"$tmp/base/Dockerfile"
  docker_build -q -t voting-ci/backup-base:bookworm "$tmp/base" >/dev/null
  base_args=(--build-arg BASE_IMAGE=voting-ci/backup-base:bookworm)
  db_image=$POSTGRES_STANDIN
fi

# --- The image ----------------------------------------------------------------------------------------
log "building docker/backup (base: $BACKUP_BASE_IMAGE${base_args[*]:+ stand-in with an apk stand-in})"
docker_build -q --network host "${base_args[@]}" -t voting-app/backup:ci docker/backup >/dev/null ||
  fail "docker build of docker/backup failed"
[ "$(docker run --rm voting-app/backup:ci id -u)" = 70 ] || fail "the image does not run as uid 70"
missing=$(docker run --rm voting-app/backup:ci bash -c \
  'for c in backup restore-drill restore schedule pg_dump pg_restore psql age aws jq redis-cli curl; do command -v "$c" >/dev/null || printf "%s " "$c"; done')
[ -z "$missing" ] || fail "commands missing from the image: $missing"
rc=0
out=$(docker run --rm voting-app/backup:ci 2>&1) || rc=$?
if [ "$rc" != 1 ] || ! grep -q 'missing configuration: PGHOST' <<<"$out"; then
  fail "the default command without configuration: exit $rc, $out"
fi
log "image: runs as uid 70, has every command, and 'backup' without configuration fails naming what is missing"

# --- A backup and a drill from the container ------------------------------------------------------------
start_private_s3 "$tmp/s3" "$s3_port" "$s3_tls_port"
start_private_pushgateway "$tmp/pushgateway" "$push_port"
# The database: a container of the compose file's PostgreSQL image (the base's server, so the image's
# pg_dump is never older than the server), on loopback, with a password made for this run.
pg_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export PGPASSWORD=$pg_password
# As compose runs it: uid 70, the image's postgres user.
POSTGRES_PASSWORD=$pg_password docker run -d --name "$db" --user 70:70 --network host -e POSTGRES_PASSWORD "$db_image" \
  postgres -p "$pg_port" -c listen_addresses=127.0.0.1 >/dev/null
(wait_for PostgreSQL 90 docker exec "$db" pg_isready -h 127.0.0.1 -p "$pg_port") ||
  { docker logs "$db" 2>&1 | tail -n 20 >&2; exit 1; }
docker exec "$db" psql -qX -h /var/run/postgresql -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -c "CREATE TABLE votes (id varchar(255) PRIMARY KEY, vote varchar(255) NOT NULL);
  INSERT INTO votes SELECT 'voter-' || i, CASE WHEN i % 4 = 0 THEN 'b' ELSE 'a' END FROM generate_series(1, 5000) AS i"
# Keys readable by the container's uid 70 (a secret mount does the same in compose and Kubernetes).
mkdir "$tmp/keys"
age-keygen -o "$tmp/keys/identity.txt" 2>/dev/null
age-keygen -y "$tmp/keys/identity.txt" >"$tmp/keys/recipients.txt"
chmod 755 "$tmp/keys" && chmod 644 "$tmp/keys/"*
wait_for S3Mock 90 curl -fsS "http://127.0.0.1:$s3_port/"
curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$s3_port/voting-backups"
in_image() {
  docker run --rm --network host --read-only --tmpfs /tmp --security-opt no-new-privileges:true -v "$tmp/keys:/keys:ro" \
    -e PGHOST=127.0.0.1 -e PGPORT="$pg_port" -e PGUSER=postgres -e PGDATABASE=postgres -e PGPASSWORD \
    -e BACKUP_S3_BUCKET=voting-backups -e BACKUP_S3_ENDPOINT="http://127.0.0.1:$s3_port" \
    -e AWS_ACCESS_KEY_ID=s3mock -e AWS_SECRET_ACCESS_KEY=s3mock -e AWS_REGION=us-east-1 -e AWS_EC2_METADATA_DISABLED=true \
    -e PUSHGATEWAY_URL="http://127.0.0.1:$push_port" \
    -e BACKUP_AGE_RECIPIENTS_FILE=/keys/recipients.txt -e BACKUP_AGE_IDENTITY_FILE=/keys/identity.txt \
    voting-app/backup:ci "$@" >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log" >&2; fail "'$*' in the image failed"; }
}
in_image backup
in_image restore-drill
grep -q 'restore drill passed: 5000 votes, tally {"a":3750,"b":1250}' "$tmp/run.log" || { cat "$tmp/run.log"; fail "the drill in the image: not the exact numbers"; }
curl -fsS "http://127.0.0.1:$push_port/metrics" | grep -q '^voting_restore_drill_last_success_timestamp_seconds{' ||
  fail "the drill in the image pushed no success metric"
log "in the image: backup, then a drill that restored 5000 votes {a: 3750, b: 1250} as the manifest says; $(grep -o 'RTO [0-9.]*s' "$tmp/run.log")"
log "backup image checks passed"
