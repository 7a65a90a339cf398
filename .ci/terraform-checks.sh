#!/usr/bin/env bash
# Offline checks of terraform/ (the AWS provider cannot be downloaded here, so nothing that needs it):
#   1. terraform fmt -check -recursive;
#   2. every variable has a description, a type and a validation (.ci/terraform/check_variables.py),
#      and the configurations that need the AWS provider (the single host's root and terraform/eks) are
#      wired right (.ci/terraform/check_wiring.py: module arguments, var.* and module.*.* references,
#      tfvars keys, ephemeral values); terraform/eks's tfvars agree with argocd/values/<env>.yaml
#      (.ci/terraform/check_eks_chart_values.py);
#   3. the provider-free policy module: validate, and `terraform test` (IAM without wildcards, PutObject
#      only on backups/*, one secret, no open ingress unless asked, IMDSv2, invalid inputs refused);
#      the same for the EKS environment's provider-free module, modules/eks-policy (issue 17: data
#      stores reachable from the nodes' group only, TLS everywhere, no wildcard IAM, RDS and ElastiCache
#      settings, max_connections from the app's pools), and shellcheck of terraform/eks/install.sh;
#   4. its rendered user data and secret-fetching script (with and without monitoring) pass shellcheck;
#   5. its secret readers match docker-compose.yml (.ci/terraform/compose_secret_readers.py);
#   6. the secret-fetching script, for real: Debian's awscli against a loopback GetSecretValue stand-in
#      (.ci/terraform/secretsmanager_standin.py); the files hold exactly the values, and each is
#      readable through a bind mount (as docker mounts it) by its containers' UIDs and no one else; a
#      secret with a key missing fails and leaves the previous files alone.
# Skips, with a message, where terraform is not installed. Installs shellcheck, awscli, acl and
# python3-yaml from Debian when missing.
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

# No user CLI configuration, no checkpoint calls, nothing written into the repository (.terraform and
# state go to $work).
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
tf() { terraform "$@" -no-color; }
log "$(terraform version | head -n 1); $("$aws_bin" --version 2>&1)"

# ---- 1. formatting ----
if ! out=$(terraform fmt -check -recursive -diff -no-color terraform .ci/terraform 2>&1); then
  printf '%s\n' "$out"
  die "terraform fmt: the files above are not formatted (run: terraform fmt -recursive terraform .ci/terraform)"
fi
log "fmt: terraform/ and .ci/terraform/ are formatted"

# ---- 2. variables ----
/usr/bin/python3 .ci/terraform/check_variables.py terraform .ci/terraform | sed 's/^/[terraform] variables: /' ||
  die "variables: see above"

# What validate would check in the configurations that need the AWS provider, as far as reading can:
# module arguments against module variables, var.* and module.*.* references, the tfvars files.
/usr/bin/python3 .ci/terraform/check_wiring.py terraform | sed 's/^/[terraform] wiring: /' ||
  die "wiring: see above"

# The EKS environment's tfvars against the chart's values Argo CD deploys (pool maxima behind
# max_connections, the data tiers' CIDRs, the IRSA role, the secrets' names).
/usr/bin/python3 .ci/terraform/check_eks_chart_values.py . | sed 's/^/[terraform] eks vs chart values: /' ||
  die "eks vs chart values: see above"

# ---- 3. the policy module ----
policy=terraform/modules/policy
export TF_DATA_DIR="$work/policy-data"
tf -chdir="$policy" init -backend=false >"$work/init.log" 2>&1 || {
  cat "$work/init.log"
  die "terraform init in $policy"
}
tf -chdir="$policy" validate >"$work/validate.log" 2>&1 || {
  cat "$work/validate.log"
  die "terraform validate in $policy"
}
if ! tf -chdir="$policy" test >"$work/test.log" 2>&1; then
  cat "$work/test.log"
  die "terraform test in $policy: see the failed runs above"
fi
log "policy module: valid; $(grep -E '^(Success|Failure)!' "$work/test.log")"

# The EKS environment's decisions (terraform/eks, issue 17).
eks_policy=terraform/modules/eks-policy
export TF_DATA_DIR="$work/eks-policy-data"
tf -chdir="$eks_policy" init -backend=false >"$work/eks-init.log" 2>&1 || {
  cat "$work/eks-init.log"
  die "terraform init in $eks_policy"
}
tf -chdir="$eks_policy" validate >"$work/eks-validate.log" 2>&1 || {
  cat "$work/eks-validate.log"
  die "terraform validate in $eks_policy"
}
if ! tf -chdir="$eks_policy" test >"$work/eks-test.log" 2>&1; then
  cat "$work/eks-test.log"
  die "terraform test in $eks_policy: see the failed runs above"
fi
log "eks-policy module: valid; $(grep -E '^(Success|Failure)!' "$work/eks-test.log")"
shellcheck -s bash terraform/eks/install.sh || die "shellcheck: terraform/eks/install.sh has the findings above"
log "terraform/eks/install.sh: shellcheck clean"

# ---- 4. rendered scripts, shellcheck ----
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

# ---- 5. readers against docker-compose.yml ----
/usr/bin/python3 .ci/terraform/compose_secret_readers.py docker-compose.yml "$work/readers.json" |
  sed 's/^/[terraform] secret readers: /' || die "secret readers: see above"

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
log "all terraform checks passed"
