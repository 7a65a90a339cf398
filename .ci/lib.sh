#!/usr/bin/env bash
# Placeholder for the shared CI shell library (helper `ci` writes the real one; it replaces this at merge).
# Source it: source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && git rev-parse --show-toplevel)/.ci/lib.sh"

# log MESSAGE...: "[TAG] MESSAGE" (TAG is $LOG_TAG, default the calling script's name).
log() { printf '[%s] %s\n' "${LOG_TAG:-$(basename "$0" .sh)}" "$*"; }

# fail MESSAGE...: "[TAG] FAILED: MESSAGE" on stderr, exit 1.
fail() { printf '[%s] FAILED: %s\n' "${LOG_TAG:-$(basename "$0" .sh)}" "$*" >&2; exit 1; }

# wait_for WHAT SECONDS COMMAND [ARGS...]: runs COMMAND quietly until it succeeds, up to SECONDS.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what not ready within ${seconds}s"
    sleep 0.5
  done
}

# need_packages PKG...: installs the Debian packages among PKG that are not installed.
need_packages() {
  local missing=() pkg
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ "${#missing[@]}" -gt 0 ] || return 0
  local sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  if [ -z "${_LIB_APT_UPDATED:-}" ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _LIB_APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# need_commands CMD...: fails naming the first missing command.
need_commands() {
  local cmd
  for cmd in "$@"; do command -v "$cmd" >/dev/null 2>&1 || fail "missing command: $cmd"; done
}
