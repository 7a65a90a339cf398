#!/usr/bin/env bash
# Offline checks of terraform/ (run from anywhere, as root; .ci/terraform-checks.sh installs what they
# need and calls this):
#   1. terraform fmt -check -recursive;
#   2. every variable has a description, a type and a validation (check_variables.py), and the roots
#      are wired right beyond what validate sees (check_wiring.py: tfvars keys, staging and production
#      set the same ones);
#   3. the provider-free modules (modules/*/ with tests/, no provider): validate and `terraform test`;
#   4. the roots (terraform/, terraform/eks, terraform/bootstrap) with the AWS provider from a provider
#      mirror: `init -backend=false -lockfile=readonly` (the committed .terraform.lock.hcl, unchanged),
#      validate, and `terraform test` (mocked AWS provider) once with each environment's tfvars: the
#      planned resources' security properties (tests/*.tftest.hcl beside each root);
#   5. shellcheck of the scripts the configurations run (install.sh, the secret and token provisioners),
#      of these checks' own scripts, and of the user data and fetch script modules/policy renders
#      (applied by itself with render.tfvars, with and without monitoring);
#   6. the secret scripts for real against a loopback Secrets Manager stand-in (secret_scripts_test.sh):
#      the host's fetch script, and modules/secret's generate-values.sh;
#   7. cross-checks with files other changes edit: the secret readers against docker-compose.yml
#      (compose_secret_readers.py), terraform/eks against argocd/values/<env>.yaml and the chart's
#      values (check_eks_chart_values.py). Both run; either failing fails.
# 3 to 6 run in three lanes at once (the modules' tests, the rendering, the secret scripts and
# bootstrap; the single host's root; the EKS root), each lane's output shown in that order.
# The provider mirror: TF_PROVIDER_MIRROR, else Terraform's own plugin folders, else the first folder
# holding registry.terraform.io/hashicorp/aws on the machine (outside .terraform/ and temporary
# folders). Without one, step 4 is skipped with a message (the workflow makes one with
# `terraform providers mirror`). Skips everything, with a message, where terraform is not installed.
set -euo pipefail
checks=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export LOG_TAG=terraform
# shellcheck source=.ci/lib.sh
source "$checks/../../.ci/lib.sh"
cd "$checks/../.."

if ! command -v terraform >/dev/null; then
  log "SKIPPED: terraform is not on the PATH (install Terraform >= 1.11 to run these checks)"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || fail "run as root: the read checks of the secret files switch UIDs (sudo env PATH=\"\$PATH\" bash $0)"
need_commands shellcheck setfacl getfacl unshare setpriv /usr/bin/python3
/usr/bin/python3 -c 'import yaml' 2>/dev/null || fail "python3 has no yaml module (Debian: python3-yaml)"
py() { /usr/bin/python3 -B "$@"; }

# The AWS CLI: Debian's, else a real one on the PATH (GitHub's runners have v2 in /usr/local/bin).
aws_bin=/usr/bin/aws
if [ ! -x "$aws_bin" ] && command -v aws >/dev/null && aws --version >/dev/null 2>&1; then
  aws_bin=$(command -v aws)
fi
[ -x "$aws_bin" ] || fail "no AWS CLI (Debian: awscli)"

work=$(mktemp -d /tmp/terraform-checks.XXXXXX)
trap 'rm -rf "$work"' EXIT

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

# tf_step LOG DIR WHAT ARGS...: `terraform -chdir=DIR ARGS...` (with the TF_DATA_DIR set before), its
# output in $work/LOG.log, shown only when it fails (then: "WHAT in DIR").
tf_step() {
  local name=$1 dir=$2 what=$3
  shift 3
  tf -chdir="$dir" "$@" >"$work/$name.log" 2>&1 || {
    cat "$work/$name.log"
    fail "$what in $dir"
  }
}

# ---- 1. formatting ----
if ! out=$(terraform fmt -check -recursive -diff -no-color terraform 2>&1); then
  printf '%s\n' "$out"
  fail "terraform fmt: the files above are not formatted (run: terraform fmt -recursive terraform)"
fi
log "fmt: terraform/ is formatted"

# ---- 2. variables and wiring ----
py "$checks/check_variables.py" terraform | sed 's/^/[terraform] variables: /' || fail "variables: see above"
py "$checks/check_wiring.py" terraform | sed 's/^/[terraform] wiring: /' || fail "wiring: see above"

# ---- 3. to 6., in three lanes at once ----
# Starting the AWS provider (for validate and every run of a root's tests) is most of the time, and
# the lanes do not depend on each other: each has its own TF_DATA_DIR and logs, runs in the
# background, and its output is shown, in this order, once it has ended. A failed lane fails the
# checks after its output (the failure says what and where).

# ---- 3. the provider-free modules; 5. the rendered user data; 6. the secret scripts ----
policy=terraform/modules/policy
secret_arn="arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app-ci/stack-AbCdEf"
lane_modules() {
  local tests module name monitoring state output
  for tests in terraform/modules/*/tests; do
    module=${tests%/tests}
    name=$(basename "$module")
    export TF_DATA_DIR="$work/$name-data"
    tf_step "$name-init" "$module" "terraform init" init -backend=false
    tf_step "$name-validate" "$module" "terraform validate" validate
    tf_step "$name-test" "$module" "terraform test (see the failed runs above)" test
    log "$module: valid; $(grep -E '^(Success|Failure)!' "$work/$name-test.log")"
  done

  # modules/policy has no provider: applied by itself, it renders what the host would run.
  export TF_DATA_DIR="$work/render-data"
  tf_step render-init "$policy" "terraform init" init -backend=false
  for monitoring in false true; do
    state="$work/render-$monitoring.tfstate"
    tf_step render "$policy" "rendering modules/policy (enable_monitoring=$monitoring)" apply -auto-approve \
      -state="$state" -var-file="$checks/render.tfvars" -var "enable_monitoring=$monitoring" -var "secret_arn=$secret_arn"
    for output in user_data secrets_fetch_script; do
      tf -chdir="$policy" output -state="$state" -raw "$output" >"$work/$output-$monitoring.sh"
      shellcheck -s bash "$work/$output-$monitoring.sh" ||
        fail "shellcheck: the rendered $output (enable_monitoring=$monitoring) has the findings above"
    done
  done
  tf -chdir="$policy" output -state="$work/render-true.tfstate" -json secret_readers >"$work/readers.json"
  log "rendered user data ($(wc -c <"$work/user_data-true.sh") bytes) and fetch script: shellcheck clean, with and without monitoring"

  # The secret scripts, for real.
  bash "$checks/secret_scripts_test.sh" "$work" "$aws_bin" "$secret_arn"

  # The roots given, if any (see the lanes below).
  [ "$#" -eq 0 ] || lane_roots "$@"
}

# ---- 4. the roots, with the AWS provider: init from the lock file, validate, mocked plans ----
lane_roots() {
  local root name lock_before f env envs args
  for root in "$@"; do
    name=root-$(basename "$root")
    export TF_DATA_DIR="$work/$name-data"
    [ -f "$root/.terraform.lock.hcl" ] || fail "$root has no .terraform.lock.hcl"
    lock_before=$(sha256sum "$root/.terraform.lock.hcl")
    tf_step "$name-init" "$root" "terraform init (from the mirror $mirror, with the committed lock file)" \
      init -backend=false -lockfile=readonly
    [ "$(sha256sum "$root/.terraform.lock.hcl")" = "$lock_before" ] || fail "terraform init changed $root/.terraform.lock.hcl"
    tf_step "$name-validate" "$root" "terraform validate" validate
    # One run of the root's tests per environment, as `plan -var-file=environments/<env>.tfvars` sees it.
    envs=()
    for f in "$root"/environments/*.tfvars; do
      [ -e "$f" ] && envs+=("$(basename "$f" .tfvars)")
    done
    for env in "${envs[@]:-}"; do
      args=()
      [ -n "$env" ] && args=(-var-file="environments/$env.tfvars")
      tf_step "$name-test" "$root" "terraform test${env:+ with environments/$env.tfvars} (see the failed runs above)" \
        test "${args[@]}"
      log "$root${env:+ ($env)}: valid, lock file unchanged; mocked plan: $(grep -E '^(Success|Failure)!' "$work/$name-test.log")"
    done
  done
}

# ---- 5. shellcheck: the scripts the configurations run and these checks (the rendered ones: above) ----
for script in terraform/eks/install.sh terraform/modules/*/*.sh "$checks"/*.sh; do
  shellcheck -s bash -x "$script" || fail "shellcheck: $script has the findings above"
done
log "shellcheck clean: terraform/eks/install.sh, $(find terraform/modules -maxdepth 2 -name '*.sh' | wc -l) provisioner scripts and the checks' scripts"

lanes=()
lane() {
  local name=$1
  shift
  ("$@") >"$work/lane-$name.log" 2>&1 &
  lanes+=("$name $!")
}
if [ -z "$mirror" ]; then
  log "SKIPPED: the roots' init, validate and terraform test: no provider mirror with hashicorp/aws (set TF_PROVIDER_MIRROR to a folder made by \`terraform providers mirror\`)"
  lane modules lane_modules
else
  # bootstrap (one run) after the modules: the lanes then take about as long as each other.
  lane modules lane_modules terraform/bootstrap
  lane terraform lane_roots terraform
  lane eks lane_roots terraform/eks
fi
failed=()
for entry in "${lanes[@]}"; do
  wait "${entry#* }" || failed+=("${entry% *}")
  cat "$work/lane-${entry% *}.log"
done
[ "${#failed[@]}" -eq 0 ] || fail "the checks above failed (lanes: ${failed[*]})"

# ---- 7. cross-checks with files other changes edit ----
cross=0
py "$checks/compose_secret_readers.py" docker-compose.yml "$work/readers.json" |
  sed 's/^/[terraform] secret readers: /' || cross=1
# The EKS environment's tfvars and outputs against the chart's values Argo CD deploys (pool maxima
# behind max_connections, the data tiers' CIDRs, the IRSA role, the secrets' names).
py "$checks/check_eks_chart_values.py" . | sed 's/^/[terraform] eks vs chart values: /' || cross=1
[ "$cross" -eq 0 ] || fail "cross-checks: see above"
log "all terraform checks passed"
