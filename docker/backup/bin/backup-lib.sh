# shellcheck shell=bash
# Shared by backup, restore-drill and restore (sourced, never run): logging, loud failure, configuration
# checks, S3 through the AWS CLI, the Pushgateway, and the manifest's vote counts.
#
# Every failure goes through `fail`: one line saying what broke and what it means, exit 1. The EXIT trap
# of each command (on_exit) pushes the failure metric and cleans up; a success metric is pushed only at
# the very end of a run that got all the way there.

set -euo pipefail
umask 077

PROG=${PROG:-backup}
# Read by the commands' EXIT traps.
# shellcheck disable=SC2034
FAIL_REASON=
WORK=

log() { printf '%s %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$PROG" "$*" >&2; }

fail() {
  # shellcheck disable=SC2034
  FAIL_REASON=$*
  log "ERROR: $*"
  exit 1
}

# The variables a command needs, all named at once when several are missing.
require_env() {
  local missing=() name
  for name in "$@"; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
  [ "${#missing[@]}" -eq 0 ] || fail "missing configuration: ${missing[*]} (see docker/backup/README.md)"
}

# NAME_FILE (a Docker/Kubernetes secret) into NAME for the child processes (libpq reads PGPASSWORD,
# redis-cli REDISCLI_AUTH); the file wins over nothing, and both at once is a mistake.
secret_from_file() {
  local name=$1 target=${2:-$1} file_var="${1}_FILE"
  local file=${!file_var:-}
  [ -n "$file" ] || return 0
  [ -z "${!name:-}" ] || fail "set $name or $file_var, not both"
  [ -r "$file" ] || fail "$file_var=$file is not readable"
  export "$target=$(cat "$file")"
}

# A private work folder, removed at exit (it may hold a decrypted dump while a drill runs).
make_work_dir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/$PROG.XXXXXX")
}

remove_work_dir() {
  [ -z "$WORK" ] || rm -rf "$WORK"
}

# --- S3 ---------------------------------------------------------------------------------------------
# BACKUP_S3_ENDPOINT only for S3-compatible servers (tests); on AWS the CLI finds the endpoint and the
# credentials itself (IRSA / pod identity, instance role, AWS_SHARED_CREDENTIALS_FILE).
s3api() {
  aws ${BACKUP_S3_ENDPOINT:+--endpoint-url "$BACKUP_S3_ENDPOINT"} --output json s3api "$@"
}

s3_prefix() {
  local prefix=${BACKUP_S3_PREFIX:-backups}
  printf '%s' "${prefix%/}"
}

# The newest manifest's key into LATEST_MANIFEST, or nothing (a global, not an echo: a failure inside
# $(...) would lose its reason for the EXIT trap). Keys sort by time (backups/YYYY/MM/DD/YYYYMMDDTHHMMSSZ...), and
# a manifest is written only after its dump, so an interrupted backup (a dump without a manifest) is
# never picked. Fails loudly when the bucket cannot be listed (missing bucket, no permission).
LATEST_MANIFEST=
find_latest_manifest() {
  local listing
  listing=$(s3api list-objects-v2 --bucket "$BACKUP_S3_BUCKET" --prefix "$(s3_prefix)/" 2>"$WORK/list.err") ||
    fail "cannot list s3://$BACKUP_S3_BUCKET/$(s3_prefix)/: $(tr '\n' ' ' <"$WORK/list.err")"
  # shellcheck disable=SC2034 # read by the commands
  LATEST_MANIFEST=$(printf '%s' "$listing" | jq -r '(.Contents // [])[].Key | select(endswith(".manifest.json"))' | sort | tail -n 1)
}

s3_get() {
  local key=$1 out=$2
  s3api get-object --bucket "$BACKUP_S3_BUCKET" --key "$key" "$out" >/dev/null 2>"$WORK/get.err" ||
    fail "cannot download s3://$BACKUP_S3_BUCKET/$key: $(tr '\n' ' ' <"$WORK/get.err")"
}

# Uploads with the object's SHA-256: S3 refuses the object if what arrived differs from what was sent.
s3_put() {
  local key=$1 file=$2 content_type=$3 sha_hex
  sha_hex=$(sha256_of "$file")
  local args=(--bucket "$BACKUP_S3_BUCKET" --key "$key" --body "$file" --content-type "$content_type"
    --checksum-sha256 "$(hex_to_base64 "$sha_hex")")
  # SSE-KMS: the bucket's default encryption does it; these only name a key other than the default.
  if [ -n "${BACKUP_S3_SSE_KMS_KEY_ID:-}" ]; then
    args+=(--server-side-encryption aws:kms --ssekms-key-id "$BACKUP_S3_SSE_KMS_KEY_ID")
  fi
  s3api put-object "${args[@]}" >/dev/null 2>"$WORK/put.err" ||
    fail "cannot upload s3://$BACKUP_S3_BUCKET/$key: $(tr '\n' ' ' <"$WORK/put.err")"
}

# Seconds (with milliseconds) since a $EPOCHREALTIME reading (bash 5).
seconds_since() { awk -v since="$1" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.3f", now - since }'; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { wc -c <"$1" | tr -d ' '; }
# Bash's own printf writes the bytes (NUL included) straight into base64.
hex_to_base64() { printf '%b' "$(printf '%s' "$1" | sed 's/../\\x&/g')" | base64; }

# --- PostgreSQL -------------------------------------------------------------------------------------
# The votes' row count and per-option tally as one JSON object, {"count": N, "tally": {"a": n, ...}},
# read with psql from the session given on stdin's preamble. A database without the votes table (never
# migrated) has {"count": 0, "tally": {}}: an empty database is a valid backup too.
VOTES_SQL=$(cat <<'SQL'
SELECT to_regclass('votes') IS NOT NULL AS has_votes \gset
\if :has_votes
SELECT 'votes=' || json_build_object(
  'count', (SELECT count(*) FROM votes),
  'tally', (SELECT coalesce(json_object_agg(vote, n ORDER BY vote), '{}'::json)
              FROM (SELECT vote, count(*) AS n FROM votes GROUP BY vote) AS per_option));
\else
SELECT 'votes={"count": 0, "tally": {}}';
\endif
SQL
)

# Counts of the database named by $1 (with the PG* connection of the caller's environment), into VOTES.
VOTES=
count_votes() {
  local db=$1 out
  out=$(printf '%s\n' "$VOTES_SQL" | psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" 2>"$WORK/count.err") ||
    fail "cannot count the votes in database $db: $(tr '\n' ' ' <"$WORK/count.err")"
  # shellcheck disable=SC2034 # read by the commands
  VOTES=$(printf '%s\n' "$out" | sed -n 's/^votes=//p' | jq -cS .)
}

# --- Metrics (Pushgateway) ----------------------------------------------------------------------------
# Pushed to PUSHGATEWAY_URL under job=$1 with service=$PUSH_SERVICE; Prometheus scrapes the Pushgateway
# with honor_labels. POST replaces only the metrics named in the body, so a failure leaves the last
# success (time, size, duration) where it was. Without PUSHGATEWAY_URL the metrics are only logged.
push_metrics() {
  local job=$1 body=$2
  if [ -z "${PUSHGATEWAY_URL:-}" ]; then
    log "PUSHGATEWAY_URL is not set: metrics not pushed"
    return 0
  fi
  printf '%s\n' "$body" | curl -fsS --max-time 10 --data-binary @- \
    "${PUSHGATEWAY_URL%/}/metrics/job/$job/service/${PUSH_SERVICE:-$job}" >/dev/null 2>"$WORK/push.err" || {
    log "ERROR: cannot push metrics to $PUSHGATEWAY_URL: $(tr '\n' ' ' <"$WORK/push.err")"
    return 1
  }
}

# Compares a database's counts with a manifest's, exactly; fails naming both.
check_votes_against_manifest() {
  local restored=$1 manifest=$2 expected
  expected=$(jq -cS '.votes' "$manifest")
  [ "$restored" = "$expected" ] ||
    fail "tally mismatch: the restored database has $restored, the manifest says $expected (the backup or its manifest is not what was dumped)"
}

# Downloads a backup named by its manifest key, checks its checksum and size against the manifest,
# decrypts it with the age identity, and checks the decrypted dump too. Leaves $WORK/manifest.json and
# $WORK/dump (plain, for pg_restore) behind.
fetch_and_verify() {
  local manifest_key=$1 object_key expected_sha got_sha expected_size got_size
  s3_get "$manifest_key" "$WORK/manifest.json"
  jq -e '.format == 1 and (.object.key | type == "string") and (.votes.tally | type == "object")' \
    "$WORK/manifest.json" >/dev/null 2>&1 || fail "s3://$BACKUP_S3_BUCKET/$manifest_key is not a backup manifest"
  object_key=$(jq -r '.object.key' "$WORK/manifest.json")
  s3_get "$object_key" "$WORK/dump.age"

  expected_sha=$(jq -r '.object.sha256' "$WORK/manifest.json")
  got_sha=$(sha256_of "$WORK/dump.age")
  expected_size=$(jq -r '.object.size_bytes' "$WORK/manifest.json")
  got_size=$(size_of "$WORK/dump.age")
  if [ "$got_sha" != "$expected_sha" ] || [ "$got_size" != "$expected_size" ]; then
    fail "checksum mismatch: s3://$BACKUP_S3_BUCKET/$object_key has SHA-256 $got_sha ($got_size bytes), its manifest says $expected_sha ($expected_size bytes): the object is corrupted or was replaced"
  fi
  log "checksum verified: $object_key, $got_size bytes, SHA-256 $got_sha"

  age -d -i "$BACKUP_AGE_IDENTITY_FILE" -o "$WORK/dump" "$WORK/dump.age" 2>"$WORK/age.err" ||
    fail "cannot decrypt $object_key with the identity in BACKUP_AGE_IDENTITY_FILE (wrong key?): $(tr '\n' ' ' <"$WORK/age.err")"
  expected_sha=$(jq -r '.dump.sha256' "$WORK/manifest.json")
  got_sha=$(sha256_of "$WORK/dump")
  [ "$got_sha" = "$expected_sha" ] ||
    fail "checksum mismatch after decryption: the dump has SHA-256 $got_sha, the manifest says $expected_sha"
  log "decrypted: $(size_of "$WORK/dump") bytes of pg_dump custom format, SHA-256 verified"
}
