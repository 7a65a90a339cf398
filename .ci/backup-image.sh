#!/usr/bin/env bash
# The backup image, built and run for real: docker/backup/Dockerfile on a private Docker engine, then a
# backup and a restore drill from the container (read-only root, tmpfs /tmp, uid 70, no new
# privileges, host network) against PostgreSQL 15, S3Mock and the Pushgateway on loopback.
# The base is a stand-in (no registry here): .ci/standins/postgres.Dockerfile (Debian's PostgreSQL 15,
# tagged as the Dockerfile's BASE_IMAGE, e.g. postgres:15.20-alpine) plus an `apk` that installs Debian's packages of the same tools, so what this
# proves is the Dockerfile's own steps and the scripts inside the image, not Alpine's packages.
# Reuses the engine folder and base images of .ci/compose-smoke.sh (CI_DOCKER_DIR, CI_ROOTFS).
set -euo pipefail
cd "$(dirname "$0")/.."
# The base image's name as docker/backup/Dockerfile says it (BACKUP_BASE_IMAGE, stand-in POSTGRES_STANDIN).
# shellcheck source=.ci/standins/images.sh
. .ci/standins/images.sh

log() { printf '[backup-image] %3ds %s\n' "$SECONDS" "$*"; }
fail() {
  printf '[backup-image] FAILED: %s\n' "$*" >&2
  exit 1
}

need_apt=()
command -v dockerd >/dev/null || need_apt+=(docker.io)
command -v debootstrap >/dev/null || need_apt+=(debootstrap)
command -v age >/dev/null || need_apt+=(age)
command -v prometheus-pushgateway >/dev/null || need_apt+=(prometheus-pushgateway)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql-15)
if [ "${#need_apt[@]}" -gt 0 ]; then
  log "installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
export PATH="/usr/lib/postgresql/15/bin:/usr/bin:$PATH" DOCKER_BUILDKIT=0
s3mock_jar=${S3MOCK_CACHE:-/var/tmp/voting-ci-s3mock}/s3mock-3.12.0-exec.jar
[ -s "$s3mock_jar" ] || fail "$s3mock_jar is missing: run .ci/backup-drill.sh first (it fetches S3Mock)"

engine=${CI_DOCKER_DIR:-/var/tmp/voting-ci-docker}
rootfs=${CI_ROOTFS:-/var/tmp/voting-ci-rootfs}
base=${BACKUP_TEST_PORT_BASE:-15300}
push_port=$((base + 5)) s3_tls_port=$((base + 9)) pg_port=$((base + 10)) s3_port=$((base + 11))
tmp=$(mktemp -d /tmp/backup-image.XXXXXX)
chmod 755 "$tmp"
pids=()
started_dockerd=
pg_started=
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "$pg_started" ]; then runuser -u postgres -- pg_ctl -D "$tmp/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  if [ -n "$started_dockerd" ]; then
    kill "$(cat "$engine/dockerd.pid")" 2>/dev/null || true
    for _ in $(seq 1 30); do [ -e "$engine/dockerd.pid" ] || break; sleep 1; done
    umount "$engine/exec/netns/default" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

wait_for() {
  local what=$1 seconds=$2
  shift 2
  local until=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < until)) || fail "$what not ready within ${seconds}s"
    sleep 0.2
  done
}

# --- The engine and the stand-in base ---------------------------------------------------------------
export DOCKER_HOST="unix://$engine/docker.sock"
if ! docker info >/dev/null 2>&1; then
  log "starting a private Docker engine in $engine"
  mkdir -p "$engine"
  dockerd --host "$DOCKER_HOST" --data-root "$engine/data" --exec-root "$engine/exec" \
    --pidfile "$engine/dockerd.pid" --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
    --default-ulimit nofile=4096:4096 --default-ulimit nproc=4096:4096 >"$tmp/dockerd.log" 2>&1 &
  started_dockerd=1
  wait_for "Docker engine" 60 docker info
fi
# The classic builder's deprecation notice on every build; everything else it says stays.
build() { docker build -q "$@" 2> >(grep -v -e DEPRECATED -e 'BuildKit is currently disabled' -e 'environment-variable' -e '^$' >&2) >/dev/null; }
if ! docker image inspect voting-ci/debian-minbase:bookworm >/dev/null 2>&1; then
  if [ ! -x "$rootfs/bin/sh" ]; then
    log "debootstrap of Debian bookworm (minbase) into $rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  fi
  tar -C "$rootfs" -c . | docker import - voting-ci/debian-minbase:bookworm >/dev/null
fi
build --network host -t "$POSTGRES_STANDIN" -f .ci/standins/postgres.Dockerfile .ci/standins
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
build -t voting-ci/backup-base:bookworm "$tmp/base"

# --- The image ----------------------------------------------------------------------------------------
log "building docker/backup (base: $BACKUP_BASE_IMAGE stand-in with an apk stand-in)"
build --network host --build-arg BASE_IMAGE=voting-ci/backup-base:bookworm -t voting-app/backup:ci docker/backup ||
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
java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$s3mock_jar" --server.port="$s3_tls_port" --server.address=127.0.0.1 \
  --com.adobe.testing.s3mock.httpPort="$s3_port" --com.adobe.testing.s3mock.domain.root="$tmp/s3" >"$tmp/s3mock.log" 2>&1 &
pids+=($!)
prometheus-pushgateway --web.listen-address="127.0.0.1:$push_port" --persistence.file="$tmp/pushgateway.data" >"$tmp/pushgateway.log" 2>&1 &
pids+=($!)
mkdir -p "$tmp/pg" "$tmp/keys"
chown postgres "$tmp/pg"
runuser -u postgres -- initdb -D "$tmp/pg/data" -U postgres --auth=trust >/dev/null
runuser -u postgres -- pg_ctl -D "$tmp/pg/data" -l "$tmp/pg/log" -o "-p $pg_port -k $tmp/pg -c listen_addresses=127.0.0.1" -w start >/dev/null
pg_started=1
psql -qX -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -c "CREATE TABLE votes (id varchar(255) PRIMARY KEY, vote varchar(255) NOT NULL);
  INSERT INTO votes SELECT 'voter-' || i, CASE WHEN i % 4 = 0 THEN 'b' ELSE 'a' END FROM generate_series(1, 5000) AS i"
# Keys readable by the container's uid 70 (a secret mount does the same in compose and Kubernetes).
age-keygen -o "$tmp/keys/identity.txt" 2>/dev/null
age-keygen -y "$tmp/keys/identity.txt" >"$tmp/keys/recipients.txt"
chmod 755 "$tmp/keys" && chmod 644 "$tmp/keys/"*
wait_for S3Mock 90 curl -fsS "http://127.0.0.1:$s3_port/"
curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$s3_port/voting-backups"
in_image() {
  docker run --rm --network host --read-only --tmpfs /tmp --security-opt no-new-privileges:true -v "$tmp/keys:/keys:ro" \
    -e PGHOST=127.0.0.1 -e PGPORT="$pg_port" -e PGUSER=postgres -e PGDATABASE=postgres \
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
