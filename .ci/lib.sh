#!/usr/bin/env bash
# Placeholder for the shared CI library (the real one, with start_private_redis and
# start_private_postgres, replaces this file at merge). Source it; do not run it.

LOG_TAG=${LOG_TAG:-$(basename "${BASH_SOURCE[1]:-${0}}")}

# log MESSAGE...: prints "[TAG] MESSAGE".
log() { printf '[%s] %s\n' "$LOG_TAG" "$*"; }

# fail MESSAGE...: prints "[TAG] FAILED: MESSAGE" on stderr and exits 1.
fail() {
  printf '[%s] FAILED: %s\n' "$LOG_TAG" "$*" >&2
  exit 1
}

# wait_for WHAT SECONDS COMMAND [ARGS...]: runs COMMAND quietly until it succeeds, up to SECONDS.
wait_for() {
  local what=$1 seconds=$2
  shift 2
  local end=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < end)) || fail "$what not ready within ${seconds}s"
    sleep 0.5
  done
  return 0
}

# need_packages PKG...: installs the Debian packages among PKG that are not installed.
need_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  if [[ -z ${_LIB_APT_UPDATED:-} ]]; then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq || fail "apt-get update"
    _LIB_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || fail "could not install ${missing[*]}"
}

# need_commands CMD...: fails naming the first command that is missing.
need_commands() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || fail "missing command: $cmd"
  done
}
