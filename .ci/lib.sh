# shellcheck shell=bash
# The shared library of the .ci/ scripts (placeholder: helper `ci` writes the real one; this holds only
# the functions the other scripts use, with the agreed names and behaviour).
#   source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && git rev-parse --show-toplevel)/.ci/lib.sh"

LOG_TAG=${LOG_TAG:-$(basename "${BASH_SOURCE[1]:-$0}" .sh)}

# log MESSAGE...: [TAG] MESSAGE on stdout.
log() { printf '[%s] %s\n' "$LOG_TAG" "$*"; }

# fail MESSAGE...: [TAG] FAILED: MESSAGE on stderr, and exit 1.
fail() { printf '[%s] FAILED: %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

# wait_for WHAT SECONDS COMMAND [ARGS...]: runs COMMAND quietly until it succeeds, up to SECONDS.
wait_for() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail "$what not ready within ${seconds}s"
    sleep 1
  done
}

# need_packages PKG...: installs the Debian packages among PKG that are not installed.
_LIB_APT_UPDATED=
need_packages() {
  local missing=() pkg sudo=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  ((EUID == 0)) || sudo=(sudo)
  if [[ -z $_LIB_APT_UPDATED ]]; then
    "${sudo[@]}" apt-get update -qq >/dev/null || fail "apt-get update failed"
    _LIB_APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    fail "could not install ${missing[*]}"
}

# need_commands CMD...: fails naming the first command that is not on the PATH.
need_commands() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || fail "$cmd is needed and not on the PATH"
  done
}
