#!/usr/bin/env bash
# Offline checks of terraform/:
#   1. terraform fmt -check -recursive;
#   2. every variable has a description, a type and a validation (.ci/terraform/check_variables.py), and
#      the roots are wired right beyond what validate sees (.ci/terraform/check_wiring.py: tfvars keys,
#      staging and production set the same ones);
#   3. the provider-free modules (modules/*/ with tests/, no provider): validate and `terraform test`;
#   4. the roots (terraform/, terraform/eks, terraform/bootstrap) with the AWS provider from a provider
#      mirror: `init -backend=false -lockfile=readonly` (the committed .terraform.lock.hcl, unchanged),
#      validate, and `terraform test` (mocked AWS provider) once with each environment's tfvars: the
#      planned resources' security properties (tests/*.tftest.hcl beside each root);
#   5. shellcheck of the scripts the configurations run (install.sh, the secret and token provisioners)
#      and of the rendered user data and fetch script (with and without monitoring);
#   6. the fetch script, for real: Debian's awscli against a loopback GetSecretValue stand-in
#      (.ci/terraform/secretsmanager_standin.py); the files hold exactly the values, and each is
#      readable through a bind mount (as docker mounts it) by its containers' UIDs and no one else; a
#      secret with a key missing fails and leaves the previous files alone;
#   7. modules/secret's generate-values.sh, for real against the same stand-in: every key on creation,
#      only the missing ones when keys are added, every one on a rotation, no value in its output;
#   8. cross-checks with files other changes edit: the secret readers against docker-compose.yml
#      (.ci/terraform/compose_secret_readers.py), terraform/eks against argocd/values/<env>.yaml and the
#      chart's values (.ci/terraform/check_eks_chart_values.py). Both run; either failing fails.
# The provider mirror: TF_PROVIDER_MIRROR, else Terraform's own plugin folders, else the first folder
# holding registry.terraform.io/hashicorp/aws on the machine (outside .terraform/ and temporary
# folders). Without one, step 4 is skipped with a message (the workflow makes one with
# `terraform providers mirror`). Skips everything, with a message, where terraform is not installed.
# Installs shellcheck, awscli, acl and python3-yaml from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[terraform] %s\n' "$*"; }
die() {
  log "FAIL: $*"
  exit 1
}

if ! command -v terraform >/dev/null; then
  log "SKIPPED: terraform is not on the PATH (install Terraform >= 1.11 to run these checks)"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "run as root: the read checks of the secret files switch UIDs (sudo env PATH=\"\$PATH\" bash $0)"

# The AWS CLI: Debian's, else a real one on the PATH (GitHub's runners have v2 in /usr/local/bin).
aws_bin=/usr/bin/aws
if [ ! -x "$aws_bin" ] && command -v aws >/dev/null && aws --version >/dev/null 2>&1; then
  aws_bin=$(command -v aws)
fi
need_apt=()
command -v shellcheck >/dev/null || need_apt+=(shellcheck)
[ -x "$aws_bin" ] || need_apt+=(awscli)
command -v setfacl >/dev/null || need_apt+=(acl)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || need_apt+=(python3-yaml)
if [ "${#need_apt[@]}" -gt 0 ]; then
  log "installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/terraform-checks.XXXXXX)
standin_pid=
cleanup() {
  if [ -n "$standin_pid" ]; then kill "$standin_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The folder above registry.terraform.io/hashicorp/aws, wherever this machine keeps it.
find_mirror() {
  local d
  for d in "${TF_PROVIDER_MIRROR:-}" "${HOME:-/root}/.terraform.d/plugins" "${HOME:-/root}/.local/share/terraform/plugins" \
    /usr/local/share/terraform/plugins /usr/share/terraform/plugins; do
    if [ -n "$d" ] && [ -d "$d/registry.terraform.io/hashicorp/aws" ]; then
      printf '%s\n' "$d"
      return
    fi
  done
  d=$(find /opt /usr/local /usr/share /srv -xdev -maxdepth 5 -type d -path '*/registry.terraform.io/hashicorp/aws' \
    -not -path '*/.terraform/*' -print -quit 2>/dev/null || true)
  if [ -z "$d" ]; then
    d=$(find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp -o -path /var/tmp \
      -o -name .terraform -o -name node_modules -o -name .git \) -prune -o \
      -type d -path '*/registry.terraform.io/hashicorp/aws' -print -quit 2>/dev/null || true)
  fi
  [ -n "$d" ] && dirname "$(dirname "$(dirname "$d")")"
}
mirror=$(find_mirror || true)

# No user CLI configuration, no checkpoint calls, providers from the mirror only (never downloaded),
# nothing written into the repository (.terraform and state go to $work).
if [ -n "$mirror" ]; then
  printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$mirror" >"$work/terraformrc"
else
  : >"$work/terraformrc"
fi
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
tf() { terraform "$@" -no-color; }
log "$(terraform version | head -n 1); $("$aws_bin" --version 2>&1); provider mirror: ${mirror:-none}"

# ---- 1. formatting ----
if ! out=$(terraform fmt -check -recursive -diff -no-color terraform .ci/terraform 2>&1); then
  printf '%s\n' "$out"
  die "terraform fmt: the files above are not formatted (run: terraform fmt -recursive terraform .ci/terraform)"
fi
log "fmt: terraform/ and .ci/terraform/ are formatted"

# ---- 2. variables and wiring ----
/usr/bin/python3 .ci/terraform/check_variables.py terraform .ci/terraform | sed 's/^/[terraform] variables: /' ||
  die "variables: see above"
/usr/bin/python3 .ci/terraform/check_wiring.py terraform | sed 's/^/[terraform] wiring: /' ||
  die "wiring: see above"

# ---- 3. the provider-free modules ----
for tests in terraform/modules/*/tests; do
  module=${tests%/tests}
  name=$(basename "$module")
  export TF_DATA_DIR="$work/$name-data"
  tf -chdir="$module" init -backend=false >"$work/$name-init.log" 2>&1 || {
    cat "$work/$name-init.log"
    die "terraform init in $module"
  }
  tf -chdir="$module" validate >"$work/$name-validate.log" 2>&1 || {
    cat "$work/$name-validate.log"
    die "terraform validate in $module"
  }
  if ! tf -chdir="$module" test >"$work/$name-test.log" 2>&1; then
    cat "$work/$name-test.log"
    die "terraform test in $module: see the failed runs above"
  fi
  log "$module: valid; $(grep -E '^(Success|Failure)!' "$work/$name-test.log")"
done

# ---- 4. the roots, with the AWS provider: init from the lock file, validate, mocked plans ----
if [ -z "$mirror" ]; then
  log "SKIPPED: the roots' init, validate and terraform test: no provider mirror with hashicorp/aws (set TF_PROVIDER_MIRROR to a folder made by \`terraform providers mirror\`)"
else
  for root in terraform terraform/eks terraform/bootstrap; do
    name=root-$(basename "$root")
    export TF_DATA_DIR="$work/$name-data"
    [ -f "$root/.terraform.lock.hcl" ] || die "$root has no .terraform.lock.hcl"
    lock_before=$(sha256sum "$root/.terraform.lock.hcl")
    tf -chdir="$root" init -backend=false -lockfile=readonly >"$work/$name-init.log" 2>&1 || {
      cat "$work/$name-init.log"
      die "terraform init in $root (from the mirror $mirror, with the committed lock file)"
    }
    [ "$(sha256sum "$root/.terraform.lock.hcl")" = "$lock_before" ] || die "terraform init changed $root/.terraform.lock.hcl"
    tf -chdir="$root" validate >"$work/$name-validate.log" 2>&1 || {
      cat "$work/$name-validate.log"
      die "terraform validate in $root"
    }
    # One run of the root's tests per environment, as `plan -var-file=environments/<env>.tfvars` sees it.
    envs=()
    for f in "$root"/environments/*.tfvars; do
      [ -e "$f" ] && envs+=("$(basename "$f" .tfvars)")
    done
    for env in "${envs[@]:-}"; do
      args=()
      [ -n "$env" ] && args=(-var-file="environments/$env.tfvars")
      if ! tf -chdir="$root" test "${args[@]}" >"$work/$name-test.log" 2>&1; then
        cat "$work/$name-test.log"
        die "terraform test in $root${env:+ with environments/$env.tfvars}: see the failed runs above"
      fi
      log "$root${env:+ ($env)}: valid, lock file unchanged; mocked plan: $(grep -E '^(Success|Failure)!' "$work/$name-test.log")"
    done
  done
fi

# ---- 5. shellcheck: the scripts the configurations run, the rendered user data and fetch script ----
for script in terraform/eks/install.sh terraform/modules/*/*.sh; do
  shellcheck -s bash "$script" || die "shellcheck: $script has the findings above"
done
log "shellcheck clean: terraform/eks/install.sh and $(find terraform/modules -maxdepth 2 -name '*.sh' | wc -l) provisioner scripts"
render=.ci/terraform/render
export TF_DATA_DIR="$work/render-data"
tf -chdir="$render" init -backend=false >"$work/render-init.log" 2>&1 || {
  cat "$work/render-init.log"
  die "terraform init in $render"
}
for monitoring in false true; do
  state="$work/render-$monitoring.tfstate"
  tf -chdir="$render" apply -auto-approve -state="$state" -var "enable_monitoring=$monitoring" \
    >"$work/render.log" 2>&1 || {
    cat "$work/render.log"
    die "rendering the policy module (enable_monitoring=$monitoring)"
  }
  for output in user_data secrets_fetch_script; do
    tf -chdir="$render" output -state="$state" -raw "$output" >"$work/$output-$monitoring.sh"
    shellcheck -s bash "$work/$output-$monitoring.sh" ||
      die "shellcheck: the rendered $output (enable_monitoring=$monitoring) has the findings above"
  done
done
tf -chdir="$render" output -state="$work/render-true.tfstate" -json secret_readers >"$work/readers.json"
secret_arn=$(tf -chdir="$render" output -state="$work/render-true.tfstate" -raw secret_arn)
log "rendered user data ($(wc -c <"$work/user_data-true.sh") bytes) and fetch script: shellcheck clean, with and without monitoring"

# ---- 6. the fetch script, for real ----
# Values that would break naive quoting: quotes, a backslash, a dollar, spaces, non-ASCII.
/usr/bin/python3 - "$work" <<'PY'
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
: >"$work/requests.log"
/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$work/port"
port=$(cat "$work/port")
/usr/bin/python3 .ci/terraform/secretsmanager_standin.py "$port" "$secret_arn" "$work/secret-string" \
  "$work/requests.log" &
standin_pid=$!
for _ in $(seq 1 50); do
  (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

# Debian's awscli and python3 first on the PATH, test credentials, no user AWS configuration.
mkdir -p "$work/bin"
ln -s "$aws_bin" "$work/bin/aws"
ln -s /usr/bin/python3 "$work/bin/python3"
# A tmpfs, like /run on the host, when there is one (ACLs are checked on it).
secrets_parent=$(mktemp -d /dev/shm/terraform-checks.XXXXXX 2>/dev/null || mktemp -d "$work/shm.XXXXXX")
secrets_dir="$secrets_parent/secrets"
trap 'cleanup; rm -rf "$secrets_parent"' EXIT
run_fetch() {
  env -i PATH="$work/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME="$work" \
    AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=test-only AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    VOTING_SECRETS_DIR="$secrets_dir" VOTING_SECRETS_ENDPOINT_URL="http://127.0.0.1:$port" \
    bash "$work/secrets_fetch_script-true.sh"
}
run_fetch >"$work/fetch.log" 2>&1 || {
  cat "$work/fetch.log"
  die "the secret-fetching script failed against the stand-in"
}

# Reads FILE as UID through a private bind mount, as a container sees a compose secret: the mount
# point is in a folder anyone may enter, so only the file's own owner, mode and ACL decide.
mnt=$(mktemp -d /tmp/terraform-checks-mnt.XXXXXX)
chmod 0755 "$mnt"
: >"$mnt/secret"
trap 'cleanup; rm -rf "$secrets_parent" "$mnt"' EXIT
read_as() {
  # shellcheck disable=SC2016 # expanded by the inner sh
  unshare --mount --propagation private sh -c \
    'mount --bind "$2" "$3" && exec setpriv --reuid "$1" --regid "$1" --clear-groups cat "$3"' \
    sh "$1" "$2" "$mnt/secret"
}
/usr/bin/python3 - "$work" "$secrets_dir" <<'PY' || die "the secret files do not hold the secret's values"
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
[ "$(stat -c '%a %U' "$secrets_dir")" = "700 root" ] || die "$secrets_dir is not mode 700, owned by root"
# Every UID that appears anywhere, plus one no container uses: each may read exactly its files.
all_uids=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(str(u) for u in sorted({u for v in json.load(open(sys.argv[1])).values() for u in v} | {12345})))' "$work/readers.json")
checked=0
keys=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1])))))' "$work/readers.json")
for key in $keys; do
  file="$secrets_dir/$key"
  [ "$(stat -c '%U %G' "$file")" = "root root" ] || die "$key: not owned by root:root"
  acl_users=$(getfacl -cpn "$file" 2>/dev/null | sed -n 's/^user:\([0-9][0-9]*\):r--$/\1/p' | sort -n | xargs)
  want=$(/usr/bin/python3 -c 'import json,sys; print(" ".join(str(u) for u in sorted(json.load(open(sys.argv[1]))[sys.argv[2]])))' "$work/readers.json" "$key")
  [ "$acl_users" = "$want" ] || die "$key: ACL grants read to UIDs [$acl_users], expected [$want]"
  getfacl -cpn "$file" 2>/dev/null | grep -qx 'other::---' || die "$key: others may read it"
  getfacl -cpn "$file" 2>/dev/null | grep -qx 'group::---' || die "$key: its group may read it"
  for uid in $all_uids; do
    if read_as "$uid" "$file" >/dev/null 2>&1; then can=yes; else can=no; fi
    case " $want " in *" $uid "*) should=yes ;; *) should=no ;; esac
    [ "$can" = "$should" ] || die "$key: UID $uid can read it: $can, should: $should"
    checked=$((checked + 1))
  done
  # A reader gets the exact value through the mount, not just "some file".
  if [ -n "$want" ]; then
    first=${want%% *}
    [ "$(read_as "$first" "$file")" = "$(/usr/bin/python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/expected.json" "$key")" ] ||
      die "$key: UID $first reads another value through the mount"
  fi
done
requests=$(wc -l <"$work/requests.log")
if [ "$requests" -ne 1 ] ||
  ! grep -q '"target": "secretsmanager.GetSecretValue", "secret_id": "'"$secret_arn"'", "signed": true' "$work/requests.log"; then
  die "expected one signed GetSecretValue of $secret_arn, the stand-in saw: $(cat "$work/requests.log")"
fi
log "fetch-secrets: one signed GetSecretValue; the $(wc -w <<<"$keys") files hold the exact values; $checked read checks through bind mounts (each file readable by its containers' UIDs only)"

# A secret with a key missing: the script fails, the files in place stay as they were.
cp "$work/secret-string-partial" "$work/secret-string"
if run_fetch >"$work/fetch-partial.log" 2>&1; then
  die "the fetch script succeeded with a key missing from the secret"
fi
grep -q 'is missing or empty' "$work/fetch-partial.log" || {
  cat "$work/fetch-partial.log"
  die "the fetch script failed without naming the missing key"
}
/usr/bin/python3 - "$work" "$secrets_dir" <<'PY' || die "a failed fetch changed the files in place"
import json, os, sys
work, d = sys.argv[1], sys.argv[2]
for k, v in json.load(open(f"{work}/expected.json")).items():
    assert open(os.path.join(d, k), encoding="utf-8").read() == v, k
assert not [n for n in os.listdir(d) if n.startswith(".")], "temporary files left behind"
PY
log "fetch-secrets: a secret with a key missing fails clearly and leaves the previous files untouched"

# ---- 7. generate-values.sh, for real ----
# A new secret (no value yet), then a key added, then a rotation: what the provisioners do.
gen_arn="arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app-ci/generated-AbCdEf"
: >"$work/generated"
: >"$work/generated-requests.log"
gen_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 .ci/terraform/secretsmanager_standin.py "$gen_port" "$gen_arn" "$work/generated" \
  "$work/generated-requests.log" &
gen_pid=$!
trap 'kill "$gen_pid" 2>/dev/null || true; cleanup; rm -rf "$secrets_parent" "$mnt"' EXIT
for _ in $(seq 1 50); do
  (echo >"/dev/tcp/127.0.0.1/$gen_port") 2>/dev/null && break
  sleep 0.1
done
run_generate() {
  env -i PATH="$work/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME="$work" \
    AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=test-only AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    VOTING_SECRETS_ENDPOINT_URL="http://127.0.0.1:$gen_port" SECRET_ID="$gen_arn" PASSWORD_LENGTH=32 \
    SECRET_KEYS="$1" MODE="$2" bash terraform/modules/secret/generate-values.sh >>"$work/generate.log" 2>&1
}
run_generate "pg_password redis_password" missing || die "generate-values.sh on a new secret: $(cat "$work/generate.log")"
cp "$work/generated" "$work/generated-1"
run_generate "pg_password redis_password owner_db_password" missing || die "generate-values.sh with a key added: $(cat "$work/generate.log")"
cp "$work/generated" "$work/generated-2"
run_generate "pg_password redis_password owner_db_password" missing || die "generate-values.sh with nothing to add: $(cat "$work/generate.log")"
cp "$work/generated" "$work/generated-3"
run_generate "pg_password redis_password owner_db_password" all || die "generate-values.sh, a rotation: $(cat "$work/generate.log")"
/usr/bin/python3 - "$work" <<'PY' || die "generate-values.sh wrote the wrong values (see above)"
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
[ "$puts" -eq 3 ] || die "expected 3 PutSecretValue (new, key added, rotation), the stand-in saw $puts"
kill "$gen_pid" 2>/dev/null || true
log "generate-values.sh: every key on a new secret, only the added one next, nothing when none is missing, every one on a rotation; values in no output"

# ---- 8. cross-checks with files other changes edit ----
cross=0
/usr/bin/python3 .ci/terraform/compose_secret_readers.py docker-compose.yml "$work/readers.json" |
  sed 's/^/[terraform] secret readers: /' || cross=1
# The EKS environment's tfvars and outputs against the chart's values Argo CD deploys (pool maxima
# behind max_connections, the data tiers' CIDRs, the IRSA role, the secrets' names).
/usr/bin/python3 .ci/terraform/check_eks_chart_values.py . | sed 's/^/[terraform] eks vs chart values: /' || cross=1
[ "$cross" -eq 0 ] || die "cross-checks: see above"
log "all terraform checks passed"
