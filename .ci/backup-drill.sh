#!/usr/bin/env bash
# Backups, for real, on loopback: docker/backup/bin/{backup,restore-drill,restore} run natively (the
# image's tools are Debian's here: PostgreSQL 15 client, age, awscli, jq, redis-cli, curl) against a
# private PostgreSQL 15, a private Redis, S3Mock (Maven Central) and Debian's Pushgateway; Debian's
# Prometheus scrapes the Pushgateway like prometheus/prometheus.yml and evaluates prometheus/rules/backups.yml.
#
#   1. votes cast through the app (vote, worker from the jar), drained into PostgreSQL; the worker
#      stopped and more votes cast, so some wait in the Redis queue;
#   2. backup: manifest with the exact count, tally and queue depth; success metrics pushed and scraped;
#   3. restore drill: passes with the exact numbers, RTO recorded, throw-away database dropped;
#   4. restore: refused without confirmation and into an existing database, done with it;
#   5. failure cases, each non-zero with its message, a failure metric and no success metric: one byte
#      flipped in the object, the wrong key, a tampered tally, a missing bucket, no backup at all,
#      PostgreSQL unreachable (for the backup and for the drill);
#   6. an empty database backs up and restores.
# Needs launcher/target/voting-app.jar (built when missing; VOTING_APP_JAR names another). Installs what
# is missing from Debian; S3Mock's jar goes to a cache under /var/tmp. Ports BACKUP_TEST_PORT_BASE+0..11.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

LOG_TAG=backup LOG_SECONDS=1
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

# --- Tools ------------------------------------------------------------------------------------------
packages=(age jq prometheus-pushgateway prometheus redis-server postgresql)
# Debian's awscli, or AWS's own (its installer's /usr/local/bin/aws, as on GitHub's runner).
[ -x /usr/bin/aws ] || [ -x /usr/local/bin/aws ] || packages+=(awscli)
need_packages "${packages[@]}"
# Debian's awscli first: a Python environment on the PATH may shadow it with another aws.
PATH="$(pg_bin):/usr/bin:$PATH"
export PATH

jar=$(app_jar)
bin=$root/docker/backup/bin

# --- Servers ----------------------------------------------------------------------------------------
base=${BACKUP_TEST_PORT_BASE:-15300}
vote_port=$base result_mgmt_unused=$((base + 1)) redis_port=$((base + 2)) vote_mgmt=$((base + 3))
worker_mgmt=$((base + 4)) push_port=$((base + 5)) prom_port=$((base + 6)) dead_port=$((base + 8))
s3_tls_port=$((base + 9)) pg_port=$((base + 10)) s3_port=$((base + 11))
: "$result_mgmt_unused"
for port in "$vote_port" "$redis_port" "$vote_mgmt" "$worker_mgmt" "$push_port" "$prom_port" "$dead_port" \
  "$s3_tls_port" "$pg_port" "$s3_port"; do
  ! port_in_use "$port" || fail "port $port is taken (set BACKUP_TEST_PORT_BASE)"
done

tmp=$(mktemp -d /tmp/backup-drill.XXXXXX)
chmod 755 "$tmp"
cleanup() {
  stop_background
  stop_private_redis "$tmp/redis"
  stop_private_postgres "$tmp/pg"
  rm -rf "$tmp"
}
trap cleanup EXIT

log "starting S3Mock, PostgreSQL, Redis, Pushgateway on 127.0.0.1:$base-$s3_port"
start_private_s3 "$tmp/s3" "$s3_port" "$s3_tls_port"
start_private_postgres "$tmp/pg" "$pg_port"
start_private_redis "$tmp/redis" "$redis_port"
start_private_pushgateway "$tmp/pushgateway" "$push_port"
# Prometheus with the shipped pushgateway job (local target, faster intervals) and the backup rules.
/usr/bin/python3 - "$root" "$push_port" "$tmp/prometheus.yml" <<'EOF' || fail "no Prometheus configuration derived from prometheus/prometheus.yml"
import sys
import yaml

root, port, out = sys.argv[1:]
with open(f"{root}/prometheus/prometheus.yml") as file:
    shipped = yaml.safe_load(file)
jobs = [job for job in shipped["scrape_configs"] if job["job_name"] == "pushgateway"]
if not jobs or jobs[0].get("honor_labels") is not True:
    sys.exit("prometheus/prometheus.yml: no pushgateway job with honor_labels: true")
job = jobs[0]
labels = {}
for static in job.get("static_configs", []):
    labels.update(static.get("labels", {}))
job["static_configs"] = [{"targets": [f"127.0.0.1:{port}"], "labels": labels}]
config = {"global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
          "rule_files": [f"{root}/prometheus/rules/backups.yml"], "scrape_configs": [job]}
with open(out, "w") as file:
    yaml.safe_dump(config, file)
EOF
background "$tmp/prometheus.log" prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/prometheus" \
  --web.listen-address="127.0.0.1:$prom_port"

export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres PGDATABASE=voting
export REDIS_URL=redis://127.0.0.1:$redis_port REDIS_QUEUE=votes
export AWS_ACCESS_KEY_ID=s3mock AWS_SECRET_ACCESS_KEY=s3mock AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export BACKUP_S3_ENDPOINT=http://127.0.0.1:$s3_port BACKUP_S3_BUCKET=voting-backups BACKUP_S3_PREFIX=backups
export PUSHGATEWAY_URL=http://127.0.0.1:$push_port
# The keys: the backup gets only the public one.
age-keygen -o "$tmp/identity.txt" 2>/dev/null
age-keygen -y "$tmp/identity.txt" >"$tmp/recipients.txt"
age-keygen -o "$tmp/other-identity.txt" 2>/dev/null
export BACKUP_AGE_RECIPIENTS_FILE=$tmp/recipients.txt BACKUP_AGE_IDENTITY_FILE=$tmp/identity.txt
unset PGPASSWORD PGPASSWORD_FILE REDIS_PASSWORD REDIS_PASSWORD_FILE DRILL_PGHOST DRILL_PGPORT BACKUP_MANIFEST_KEY

# The test's own look at the bucket goes straight to S3Mock with curl (it checks no signature): each
# AWS CLI start costs a second or more on a busy machine. The scripts under test use the AWS CLI.
s3_url() { printf '%s/%s/%s' "$BACKUP_S3_ENDPOINT" "$BACKUP_S3_BUCKET" "$1"; }
s3_get() { curl -fsS -o "$2" "$(s3_url "$1")" || fail "GET $1 from S3Mock failed"; }
s3_put() { curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$2" "$(s3_url "$1")" || fail "PUT $1 to S3Mock failed"; }
latest_manifest() {
  curl -fsS "$BACKUP_S3_ENDPOINT/$BACKUP_S3_BUCKET?list-type=2&prefix=$1/" | grep -o '<Key>[^<]*</Key>' |
    sed 's/<[^>]*>//g' | grep 'manifest\.json$' | sort | tail -n 1
}
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
psql_q -d postgres -c "CREATE DATABASE voting"

# --- 1. Votes through the app -------------------------------------------------------------------------
app() {
  local role=$1 mgmt=$2
  VOTE_PORT=$vote_port RESULT_PORT=$result_mgmt_unused MANAGEMENT_PORT=$mgmt SHUTDOWN_DRAIN_SECONDS=0 \
    background "$tmp/$role.log" java -Xmx256m -jar "$jar" "$role"
  app_pid=$!
}
# Votes as a browser casts them: a form POST, each voter with a cookie of its own, so a retry (after a
# timeout or a 503 on a busy machine) replaces the voter's vote instead of adding one. Eight at a time.
# shellcheck disable=SC2016 # $0, $1, $2 in the single quotes are the inner shell's: URL, option, voter
seed() {
  local batch=$1 accepted
  shift
  accepted=$({ for i in $(seq "$1"); do echo "a $batch-a-$i"; done; for i in $(seq "$2"); do echo "b $batch-b-$i"; done; } |
    xargs -P 8 -n 2 sh -c 'curl -sS -o /dev/null -w "%{http_code}\n" --max-time 10 --retry 3 --retry-delay 1 \
      --retry-all-errors -b "voter_id=backup-test-$2" -d "vote=$1" "$0"' "http://127.0.0.1:$vote_port/" |
    grep -c '^200$' || true)
  [ "$accepted" = $(($1 + $2)) ] || fail "only $accepted of $(($1 + $2)) votes were accepted by the vote service"
}
app vote "$vote_mgmt"
app worker "$worker_mgmt"
worker_pid=$app_pid
wait_for "vote service" 60 curl -fsS "http://127.0.0.1:$vote_mgmt/ready"
wait_for worker 60 curl -fsS "http://127.0.0.1:$worker_mgmt/ready"
seed first 180 120
drained() { [ "$(psql_q -c 'SELECT count(*) FROM votes')" = 300 ]; }
wait_for "300 votes in PostgreSQL" 60 drained
kill -TERM "$worker_pid"
wait "$worker_pid" || true
seed queued 10 15
queued=$(redis-cli -p "$redis_port" LLEN votes)
[ "$queued" = 25 ] || fail "expected 25 votes waiting in Redis with the worker stopped, found $queued"
log "app: 300 votes (180 a, 120 b) cast and drained into PostgreSQL; worker stopped; 25 more waiting in Redis"

wait_for S3Mock 90 curl -fsS "$BACKUP_S3_ENDPOINT/"
curl -fsS -o /dev/null -X PUT "$BACKUP_S3_ENDPOINT/$BACKUP_S3_BUCKET" ||
  fail "S3Mock did not take the bucket: $(tail -n 20 "$tmp/s3.log")"

# --- Helpers for the runs -----------------------------------------------------------------------------
# The value of a metric pushed under a job, or nothing.
metric() {
  curl -fsS "$PUSHGATEWAY_URL/metrics" |
    awk -v name="$1" -v job="$2" 'index($1, name "{") == 1 && index($1, "job=\"" job "\"") { print $2 }'
}
# Runs a command that must succeed; its log in $tmp/run.log.
must_pass() {
  local what=$1 rc=0
  shift
  "$@" >"$tmp/run.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    cat "$tmp/run.log" >&2
    fail "$what: exit $rc, expected success"
  fi
}
# Runs a command that must fail loudly: non-zero, the message, a push of the failure metric (the
# group's push_time_seconds moves, and the failure time is this run's), and the success metric unchanged.
failures=0
must_fail() {
  local what=$1 job=$2 pattern=$3 before_success before_push failure_time started rc=0
  local prefix="voting_${2//-/_}"
  shift 3
  before_success=$(metric "${prefix}_last_success_timestamp_seconds" "$job")
  before_push=$(metric push_time_seconds "$job")
  started=$(date +%s)
  "$@" >"$tmp/run.log" 2>&1 || rc=$?
  [ "$rc" -ne 0 ] || { cat "$tmp/run.log" >&2; fail "$what: exit 0, expected a failure"; }
  grep -Eq "$pattern" "$tmp/run.log" || { cat "$tmp/run.log" >&2; fail "$what: exit $rc without the message /$pattern/"; }
  failure_time=$(metric "${prefix}_last_failure_timestamp_seconds" "$job")
  if [ "$(metric push_time_seconds "$job")" = "$before_push" ] ||
      ! awk -v t="$failure_time" -v s="$started" 'BEGIN { exit !(t != "" && t + 0 >= s + 0) }'; then
    fail "$what: no failure metric pushed (${prefix}_last_failure_timestamp_seconds: ${failure_time:-none})"
  fi
  [ "$(metric "${prefix}_last_success_timestamp_seconds" "$job")" = "$before_success" ] ||
    fail "$what: the success metric changed on a failed run"
  failures=$((failures + 1))
  log "fails loudly: $what (exit $rc): $(grep -Eo "$pattern.{0,100}" "$tmp/run.log" | head -n 1)"
}

# --- 2. Backup ----------------------------------------------------------------------------------------
# Votes committed after the snapshot was taken (between the counts and pg_dump) must be in neither the
# manifest nor the dump: the drill below finds exactly the manifest's numbers only if both used it.
late="INSERT INTO votes (id, vote) SELECT 'late-' || i, 'a' FROM generate_series(1, 7) AS i"
must_pass backup env BACKUP_TEST_AFTER_SNAPSHOT="psql -X -q -v ON_ERROR_STOP=1 -c \"$late\"" "$bin/backup"
[ "$(psql_q -c "SELECT count(*) FROM votes")" = 307 ] || fail "backup: the votes written during the backup are not in the database"
manifest_key=$(latest_manifest backups)
[ -n "$manifest_key" ] || fail "backup: no manifest in the bucket"
[[ $manifest_key =~ ^backups/[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9]{8}T[0-9]{6}Z\.manifest\.json$ ]] || fail "backup: manifest key $manifest_key is not backups/YYYY/MM/DD/<timestamp>.manifest.json"
object_key=${manifest_key%.manifest.json}.dump.age
s3_get "$manifest_key" "$tmp/manifest.json"
s3_get "$object_key" "$tmp/object.age"
jq -e --arg key "$object_key" '.votes == {count: 300, tally: {a: 180, b: 120}} and .queue.depth == 25
    and .queue.processing == 0 and .object.key == $key' "$tmp/manifest.json" >/dev/null ||
  fail "backup: the manifest does not say 300 votes (a 180, b 120) and 25 queued: $(jq -c '{votes, queue}' "$tmp/manifest.json")"
[ "$(sha256sum <"$tmp/object.age" | cut -d' ' -f1)" = "$(jq -r .object.sha256 "$tmp/manifest.json")" ] ||
  fail "backup: the object's SHA-256 is not the manifest's"
head -c 32 "$tmp/object.age" | grep -q 'age-encryption.org/v1' || fail "backup: the object is not age-encrypted"
stored_checksum=$(curl -fsS -I -H 'x-amz-checksum-mode: ENABLED' "$(s3_url "$object_key")" |
  tr -d '\r' | sed -n 's/^x-amz-checksum-sha256: *//Ip')
[ "$stored_checksum" = "$(openssl dgst -sha256 -binary "$tmp/object.age" | base64)" ] ||
  fail "backup: the object was not uploaded with its SHA-256 checksum (S3 has '${stored_checksum}')"
if [ "$(metric voting_backup_votes backup)" != 300 ] || [ "$(metric voting_backup_queue_depth backup)" != 25 ] ||
    [ -z "$(metric voting_backup_last_success_timestamp_seconds backup)" ] ||
    [ "$(metric voting_backup_size_bytes backup)" != "$(jq -r .object.size_bytes "$tmp/manifest.json")" ]; then
  fail "backup: metrics not pushed as expected: $(curl -fsS "$PUSHGATEWAY_URL/metrics" | grep '^voting_')"
fi
log "backup: $object_key, manifest says 300 votes {a: 180, b: 120} and 25 queued, SHA-256 checked by S3 and here; metrics pushed"

# --- 3. Restore drill ---------------------------------------------------------------------------------
must_pass "restore drill" "$bin/restore-drill"
grep -q 'restore drill passed: 300 votes, tally {"a":180,"b":120}' "$tmp/run.log" || { cat "$tmp/run.log"; fail "restore drill: not the exact numbers"; }
rto=$(metric voting_restore_drill_duration_seconds restore-drill)
awk -v r="$rto" 'BEGIN { exit !(r > 0) }' || fail "restore drill: no RTO recorded"
[ "$(psql_q -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_drill_%'")" = 0 ] ||
  fail "restore drill: the throw-away database was not dropped"
log "restore drill: 300 votes {a: 180, b: 120} as in the manifest (not the 7 written after the snapshot), RTO ${rto}s, throw-away database dropped"
psql_q -c "DELETE FROM votes WHERE id LIKE 'late-%'"

# A second backup: it reports the first one's size as the previous size (for the BackupShrank alert).
must_pass "second backup" "$bin/backup"
[ "$(metric voting_backup_previous_size_bytes backup)" = "$(jq -r .object.size_bytes "$tmp/manifest.json")" ] ||
  fail "second backup: voting_backup_previous_size_bytes is not the first backup's size"

# Prometheus scrapes them as the shipped configuration says: every metric the backup rules name has
# series, with the pushed job and service; the rules evaluate cleanly and nothing fires.
prom() { curl -fsS --data-urlencode "query=$1" "http://127.0.0.1:$prom_port/api/v1/query" | jq -r "$2"; }
scraped() { [ "$(prom 'count(voting_backup_previous_size_bytes) + count(voting_restore_drill_duration_seconds)' '.data.result[0].value[1] // 0')" = 2 ]; }
wait_for "Prometheus scraping the Pushgateway" 60 scraped
while read -r name; do
  [ "$(prom "count($name)" '.data.result[0].value[1] // 0')" -ge 1 ] || fail "Prometheus has no series for $name, named in prometheus/rules/backups.yml"
done < <(grep -o 'voting_[a-z_]*\|process_start_time_seconds' prometheus/rules/backups.yml | sort -u)
labels_of() { prom "$1" '.data.result[0].metric | "\(.job)/\(.service)"'; }
if [ "$(labels_of voting_backup_last_success_timestamp_seconds)" != backup/backup ] ||
    [ "$(labels_of voting_restore_drill_last_success_timestamp_seconds)" != restore-drill/restore-drill ]; then
  fail "the pushed series lost their job/service labels in Prometheus (honor_labels?)"
fi
sleep 2 # an evaluation of the rules after the scrape
curl -fsS "http://127.0.0.1:$prom_port/api/v1/rules" |
  jq -e '[.data.groups[].rules[] | select(.health != "ok" or .state != "inactive")] | length == 0' >/dev/null ||
  fail "backup rules unhealthy or firing after a good backup and drill: $(curl -fsS "http://127.0.0.1:$prom_port/api/v1/rules" | jq -c '[.data.groups[].rules[] | {name, health, state, lastError}]')"
log "Prometheus: every metric of prometheus/rules/backups.yml scraped from the Pushgateway with its job and service; the rules are healthy and silent"

# --- 4. Restore for real ------------------------------------------------------------------------------
# The newest backup is the second one: the same 300 votes.
must_fail_plain() {
  local what=$1 pattern=$2 rc=0
  shift 2
  "$@" >"$tmp/run.log" 2>&1 </dev/null || rc=$?
  if [ "$rc" -eq 0 ] || ! grep -Eq "$pattern" "$tmp/run.log"; then
    cat "$tmp/run.log" >&2
    fail "$what: expected a refusal /$pattern/, got exit $rc"
  fi
}
must_fail_plain "restore without confirmation" 'not confirmed' "$bin/restore" --database voting_restored
must_fail_plain "restore with the wrong confirmation" 'does not name the target' env RESTORE_CONFIRM=voting "$bin/restore" --database voting_restored
[ "$(psql_q -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'voting_restored'")" = 0 ] ||
  fail "restore: a database was created without confirmation"
must_fail_plain "restore over an existing database" 'already exists' env RESTORE_CONFIRM=voting "$bin/restore" --database voting
must_pass restore env RESTORE_CONFIRM=voting_restored "$bin/restore" --database voting_restored
[ "$(psql_q -d voting_restored -c "SELECT string_agg(vote || '=' || n, ',' ORDER BY vote) FROM (SELECT vote, count(*) n FROM votes GROUP BY vote) t")" = "a=180,b=120" ] ||
  fail "restore: voting_restored does not hold the 300 votes"
log "restore: refused without confirmation, with a wrong one and over an existing database; restored into voting_restored"

# --- 5. Failure cases ---------------------------------------------------------------------------------
latest_object=$(latest_manifest backups)
latest_object=${latest_object%.manifest.json}.dump.age
s3_get "$latest_object" "$tmp/good.age"
# One byte flipped, in the middle of the object.
cp "$tmp/good.age" "$tmp/flipped.age"
offset=$(($(wc -c <"$tmp/good.age") / 2))
byte=$(od -An -tu1 -j "$offset" -N1 "$tmp/good.age" | tr -d ' ')
printf '%b' "$(printf '\\%03o' $((byte ^ 1)))" | dd of="$tmp/flipped.age" bs=1 seek="$offset" conv=notrunc status=none
cmp -s "$tmp/good.age" "$tmp/flipped.age" && fail "could not flip a byte"
s3_put "$latest_object" "$tmp/flipped.age"
must_fail "one byte flipped in the object" restore-drill 'checksum mismatch' "$bin/restore-drill"
s3_put "$latest_object" "$tmp/good.age"

must_fail "the wrong key" restore-drill 'cannot decrypt .* \(wrong key\?\)' \
  env BACKUP_AGE_IDENTITY_FILE="$tmp/other-identity.txt" "$bin/restore-drill"

latest_manifest_key=$(latest_manifest backups)
s3_get "$latest_manifest_key" "$tmp/good-manifest.json"
jq '.votes.tally.a += 1' "$tmp/good-manifest.json" >"$tmp/tampered.json"
s3_put "$latest_manifest_key" "$tmp/tampered.json"
must_fail "a tally that does not match the manifest" restore-drill 'tally mismatch' "$bin/restore-drill"
s3_put "$latest_manifest_key" "$tmp/good-manifest.json"

must_fail "a missing bucket (backup)" backup 'cannot list s3://voting-backups-missing' \
  env BACKUP_S3_BUCKET=voting-backups-missing "$bin/backup"
must_fail "a missing bucket (drill)" restore-drill 'cannot list s3://voting-backups-missing' \
  env BACKUP_S3_BUCKET=voting-backups-missing "$bin/restore-drill"
must_fail "no backup at all" restore-drill 'no backup found' env BACKUP_S3_PREFIX=nothing-here "$bin/restore-drill"
must_fail "PostgreSQL unreachable (backup)" backup 'PostgreSQL at 127.0.0.1:[0-9]+ .* is unreachable' \
  env PGPORT="$dead_port" "$bin/backup"
must_fail "PostgreSQL unreachable (drill)" restore-drill 'cannot create the throw-away database' \
  env DRILL_PGPORT="$dead_port" "$bin/restore-drill"
[ "$(psql_q -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_drill_%'")" = 0 ] ||
  fail "a failed drill left its throw-away database behind"

# --- 6. An empty database -----------------------------------------------------------------------------
psql_q -d postgres -c "CREATE DATABASE voting_empty"
# The app's schema (as the worker migrated it), no rows.
pg_dump --schema-only voting | psql_q -d voting_empty >/dev/null
must_pass "backup of an empty database" env PGDATABASE=voting_empty BACKUP_S3_PREFIX=empty "$bin/backup"
must_pass "drill of an empty database" env BACKUP_S3_PREFIX=empty "$bin/restore-drill"
grep -q 'restore drill passed: 0 votes, tally {}' "$tmp/run.log" || { cat "$tmp/run.log"; fail "drill of the empty database: not 0 votes"; }
log "empty database: backed up and restored, 0 votes"

log "all backup checks passed: backup, drill, restore, $failures failure cases, empty database"
