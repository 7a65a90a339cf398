#!/usr/bin/env bash
# Placeholder for the shared CI library (helper `ci` writes the real one; at merge it replaces this).
# Source it: source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && git rev-parse --show-toplevel)/.ci/lib.sh"

LOG_TAG=${LOG_TAG:-$(basename "${0%.*}")}

# log MESSAGE...: [TAG] MESSAGE
log() { printf '[%s] %s\n' "$LOG_TAG" "$*"; }

# fail MESSAGE...: [TAG] FAILED: MESSAGE on stderr, exit 1
fail() {
  printf '[%s] FAILED: %s\n' "$LOG_TAG" "$*" >&2
  exit 1
}

# wait_for WHAT SECONDS COMMAND [ARGS...]: run COMMAND (quietly) until it succeeds, up to SECONDS.
wait_for() {
  local what=$1 seconds=$2 deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what not ready within ${seconds}s"
    sleep 0.2
  done
}

# need_packages PKG...: install the Debian packages among PKG that are not installed.
_lib_apt_updated=
need_packages() {
  local missing=() p sudo=
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  log "installing ${missing[*]}"
  if [ -z "$_lib_apt_updated" ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq || fail "apt-get update"
    _lib_apt_updated=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    fail "apt-get install ${missing[*]}"
}

# need_commands CMD...: fail naming the first missing command.
need_commands() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || fail "$c is not installed (not on the PATH)"
  done
}
