#!/usr/bin/env bash
# The Terraform stage of .ci/run and of the workflow's terraform job: installs what the checks need
# from Debian (shellcheck, awscli unless a working AWS CLI is on the PATH, acl, python3-yaml), then
# runs terraform/checks/run.sh, which holds the checks and says what each does (terraform/README.md,
# "Checks"). Skips, with a message, where terraform is not installed.
set -euo pipefail
export LOG_TAG=terraform
# By a path relative to this script, not git rev-parse: the workflow runs this under sudo, where git
# refuses a checkout another user owns ("dubious ownership").
# shellcheck source=.ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v terraform >/dev/null; then
  log "SKIPPED: terraform is not on the PATH (install Terraform >= 1.11 to run these checks)"
  exit 0
fi

packages=(shellcheck acl python3-yaml)
# The AWS CLI: Debian's, unless a real one is on the PATH (GitHub's runners have v2 in /usr/local/bin).
if [ ! -x /usr/bin/aws ] && ! { command -v aws >/dev/null && aws --version >/dev/null 2>&1; }; then
  packages+=(awscli)
fi
need_packages "${packages[@]}"

exec bash terraform/checks/run.sh
