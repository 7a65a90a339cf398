#!/usr/bin/env bash
# The Kubernetes stage: the Helm chart's own checks (charts/voting-app/tests/run.sh: lint, render, schemas,
# pod security, network policy matrix, install order, rule producers, least privilege, images; README
# there), with the Argo CD Applications of argocd/ and their values files checked against the chart.
# Offline: nothing is applied. K8S_CHECKS_CACHE (default under /tmp) caches Helm and the npm packages.
set -euo pipefail
LOG_TAG=k8s
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/lib.sh

log "the chart's checks, with the Argo CD environments of argocd/"
bash charts/voting-app/tests/run.sh --argocd argocd
