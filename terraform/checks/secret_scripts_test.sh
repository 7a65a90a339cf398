#!/usr/bin/env bash
# The host's secret-fetching script and modules/secret's generate-values.sh, run for real with the AWS
# CLI against a loopback Secrets Manager stand-in (secretsmanager_standin.py). Called by run.sh, as
# root (the read checks switch UIDs), after it rendered the policy module into WORK:
#   - the fetch script: one signed GetSecretValue; the files hold exactly the values (quotes, a
#     backslash, a dollar, spaces, non-ASCII), and each is readable through a bind mount (as docker
#     mounts it) by its containers' UIDs and no one else; a secret with a key missing fails and leaves
#     the previous files alone;
#   - generate-values.sh: every key on creation, only the missing ones when keys are added, every one
#     on a rotation, no value in its output.
# usage: secret_scripts_test.sh WORK AWS_CLI SECRET_ARN
#   WORK holds secrets_fetch_script-true.sh and readers.json (the policy module's secret_readers);
#   SECRET_ARN is the secret the fetch script was rendered with.
set -euo pipefail
checks=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export LOG_TAG=terraform
# shellcheck source=.ci/lib.sh
source "$checks/../../.ci/lib.sh"
cd "$checks/../.."
work=$1 aws_bin=$2 secret_arn=$3
py() { /usr/bin/python3 -B "$@"; }

pids=() dirs=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "${dirs[@]}"
}
trap cleanup EXIT

# standin PORT_FILE SECRET_ARN VALUE_FILE REQUEST_LOG: a stand-in for SECRET_ARN on a free loopback
# port (written to PORT_FILE), answering from VALUE_FILE.
standin() {
  local port
  port=$(py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf '%s\n' "$port" >"$1"
  : >"$4"
  # Python itself in the background (not through py, a function: $! would be a subshell's).
  /usr/bin/python3 -B "$checks/secretsmanager_standin.py" "$port" "$2" "$3" "$4" &
  pids+=($!)
  wait_for "the Secrets Manager stand-in on port $port" 5 bash -c "echo >/dev/tcp/127.0.0.1/$port"
}

# Debian's awscli and python3 first on the PATH, test credentials, no user AWS configuration.
mkdir -p "$work/bin"
ln -sf "$aws_bin" "$work/bin/aws"
ln -sf /usr/bin/python3 "$work/bin/python3"
aws_env=(env -i PATH="$work/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME="$work"
  AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=test-only AWS_CONFIG_FILE=/dev/null
  AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true)

# ---- the fetch script ----
# Values that would break naive quoting: quotes, a backslash, a dollar, spaces, non-ASCII.
py - "$work" <<'PY'
import json, secrets, sys
work = sys.argv[1]
keys = json.load(open(f"{work}/readers.json"))
values = {k: f"{k}-{secrets.token_urlsafe(18)} \"q\" \\b $HOME 'é'" for k in keys}
json.dump(values, open(f"{work}/expected.json", "w"))
open(f"{work}/secret-string", "w").write(json.dumps(values))
partial = dict(values)
partial.pop(sorted(keys)[-1])
open(f"{work}/secret-string-partial", "w").write(json.dumps({k: "changed" for k in partial}))
PY
standin "$work/port" "$secret_arn" "$work/secret-string" "$work/requests.log"
port=$(cat "$work/port")

# A tmpfs, like /run on the host, when there is one (ACLs are checked on it).
secrets_parent=$(mktemp -d /dev/shm/terraform-checks.XXXXXX 2>/dev/null || mktemp -d "$work/shm.XXXXXX")
dirs+=("$secrets_parent")
secrets_dir="$secrets_parent/secrets"
run_fetch() {
  "${aws_env[@]}" VOTING_SECRETS_DIR="$secrets_dir" VOTING_SECRETS_ENDPOINT_URL="http://127.0.0.1:$port" \
    bash "$work/secrets_fetch_script-true.sh"
}
run_fetch >"$work/fetch.log" 2>&1 || {
  cat "$work/fetch.log"
  fail "the secret-fetching script failed against the stand-in"
}

# Reads FILE as UID through a private bind mount, as a container sees a compose secret: the mount
# point is in a folder anyone may enter, so only the file's own owner, mode and ACL decide.
mnt=$(mktemp -d /tmp/terraform-checks-mnt.XXXXXX)
dirs+=("$mnt")
chmod 0755 "$mnt"
: >"$mnt/secret"
read_as() {
  # shellcheck disable=SC2016 # expanded by the inner sh
  unshare --mount --propagation private sh -c \
    'mount --bind "$2" "$3" && exec setpriv --reuid "$1" --regid "$1" --clear-groups cat "$3"' \
    sh "$1" "$2" "$mnt/secret"
}
py - "$work" "$secrets_dir" <<'PY' || fail "the secret files do not hold the secret's values"
import json, os, sys
work, d = sys.argv[1], sys.argv[2]
expected = json.load(open(f"{work}/expected.json"))
names = sorted(n for n in os.listdir(d) if not n.startswith("."))
assert names == sorted(expected), f"files {names}, expected {sorted(expected)}"
for k, v in expected.items():
    got = open(os.path.join(d, k), encoding="utf-8").read()
    assert got == v, f"{k}: the file does not hold the secret's value exactly"
leftovers = [n for n in os.listdir(d) if n.startswith(".")]
assert not leftovers, f"temporary files left behind: {leftovers}"
PY
[ "$(stat -c '%a %U' "$secrets_dir")" = "700 root" ] || fail "$secrets_dir is not mode 700, owned by root"
# Every UID that appears anywhere, plus one no container uses: each may read exactly its files.
all_uids=$(py -c 'import json,sys; print(" ".join(str(u) for u in sorted({u for v in json.load(open(sys.argv[1])).values() for u in v} | {12345})))' "$work/readers.json")
checked=0
keys=$(py -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1])))))' "$work/readers.json")
for key in $keys; do
  file="$secrets_dir/$key"
  [ "$(stat -c '%U %G' "$file")" = "root root" ] || fail "$key: not owned by root:root"
  acl_users=$(getfacl -cpn "$file" 2>/dev/null | sed -n 's/^user:\([0-9][0-9]*\):r--$/\1/p' | sort -n | xargs)
  want=$(py -c 'import json,sys; print(" ".join(str(u) for u in sorted(json.load(open(sys.argv[1]))[sys.argv[2]])))' "$work/readers.json" "$key")
  [ "$acl_users" = "$want" ] || fail "$key: ACL grants read to UIDs [$acl_users], expected [$want]"
  getfacl -cpn "$file" 2>/dev/null | grep -qx 'other::---' || fail "$key: others may read it"
  getfacl -cpn "$file" 2>/dev/null | grep -qx 'group::---' || fail "$key: its group may read it"
  for uid in $all_uids; do
    if read_as "$uid" "$file" >/dev/null 2>&1; then can=yes; else can=no; fi
    case " $want " in *" $uid "*) should=yes ;; *) should=no ;; esac
    [ "$can" = "$should" ] || fail "$key: UID $uid can read it: $can, should: $should"
    checked=$((checked + 1))
  done
  # A reader gets the exact value through the mount, not just "some file".
  if [ -n "$want" ]; then
    first=${want%% *}
    [ "$(read_as "$first" "$file")" = "$(py -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/expected.json" "$key")" ] ||
      fail "$key: UID $first reads another value through the mount"
  fi
done
requests=$(wc -l <"$work/requests.log")
if [ "$requests" -ne 1 ] ||
  ! grep -q '"target": "secretsmanager.GetSecretValue", "secret_id": "'"$secret_arn"'", "signed": true' "$work/requests.log"; then
  fail "expected one signed GetSecretValue of $secret_arn, the stand-in saw: $(cat "$work/requests.log")"
fi
log "fetch-secrets: one signed GetSecretValue; the $(wc -w <<<"$keys") files hold the exact values; $checked read checks through bind mounts (each file readable by its containers' UIDs only)"

# A secret with a key missing: the script fails, the files in place stay as they were.
cp "$work/secret-string-partial" "$work/secret-string"
if run_fetch >"$work/fetch-partial.log" 2>&1; then
  fail "the fetch script succeeded with a key missing from the secret"
fi
grep -q 'is missing or empty' "$work/fetch-partial.log" || {
  cat "$work/fetch-partial.log"
  fail "the fetch script failed without naming the missing key"
}
py - "$work" "$secrets_dir" <<'PY' || fail "a failed fetch changed the files in place"
import json, os, sys
work, d = sys.argv[1], sys.argv[2]
for k, v in json.load(open(f"{work}/expected.json")).items():
    assert open(os.path.join(d, k), encoding="utf-8").read() == v, k
assert not [n for n in os.listdir(d) if n.startswith(".")], "temporary files left behind"
PY
log "fetch-secrets: a secret with a key missing fails clearly and leaves the previous files untouched"

# ---- generate-values.sh ----
# A new secret (no value yet), then a key added, then a rotation: what the provisioners do.
gen_arn="arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app-ci/generated-AbCdEf"
: >"$work/generated"
standin "$work/gen-port" "$gen_arn" "$work/generated" "$work/generated-requests.log"
gen_port=$(cat "$work/gen-port")
run_generate() {
  "${aws_env[@]}" VOTING_SECRETS_ENDPOINT_URL="http://127.0.0.1:$gen_port" SECRET_ID="$gen_arn" PASSWORD_LENGTH=32 \
    SECRET_KEYS="$1" MODE="$2" bash terraform/modules/secret/generate-values.sh >>"$work/generate.log" 2>&1
}
run_generate "pg_password redis_password" missing || fail "generate-values.sh on a new secret: $(cat "$work/generate.log")"
cp "$work/generated" "$work/generated-1"
run_generate "pg_password redis_password owner_db_password" missing || fail "generate-values.sh with a key added: $(cat "$work/generate.log")"
cp "$work/generated" "$work/generated-2"
run_generate "pg_password redis_password owner_db_password" missing || fail "generate-values.sh with nothing to add: $(cat "$work/generate.log")"
cp "$work/generated" "$work/generated-3"
run_generate "pg_password redis_password owner_db_password" all || fail "generate-values.sh, a rotation: $(cat "$work/generate.log")"
py - "$work" <<'PY' || fail "generate-values.sh wrote the wrong values (see above)"
import json, re, sys
w = sys.argv[1]
v1, v2, v3, v4 = (json.load(open(f"{w}/generated{s}")) for s in ("-1", "-2", "-3", ""))
ok = lambda v: isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9]{32}", v)
assert sorted(v1) == ["pg_password", "redis_password"] and all(ok(x) for x in v1.values()), "a new secret: one 32-letter value per key"
assert len(set(v1.values())) == len(v1), "two keys got the same value"
assert sorted(v2) == sorted(list(v1) + ["owner_db_password"]), "the added key is missing"
assert all(v2[k] == v1[k] for k in v1) and ok(v2["owner_db_password"]), "adding a key changed the other values"
assert v3 == v2, "with no key missing, the secret changed"
assert sorted(v4) == sorted(v2) and all(ok(x) and v4[k] != v2[k] for k, x in v4.items()), "a rotation kept a value"
log = open(f"{w}/generate.log").read()
leaked = [k for v in (v1, v2, v4) for k, x in v.items() if x in log]
assert not leaked, f"the script's output shows the values of {leaked}"
PY
puts=$(grep -c '"secretsmanager.PutSecretValue"' "$work/generated-requests.log")
[ "$puts" -eq 3 ] || fail "expected 3 PutSecretValue (new, key added, rotation), the stand-in saw $puts"
log "generate-values.sh: every key on a new secret, only the added one next, nothing when none is missing, every one on a rotation; values in no output"
