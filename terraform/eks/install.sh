#!/usr/bin/env bash
# What runs in the cluster besides the app, then the app through Argo CD, for one EKS environment
# made by this folder's Terraform. Run after `terraform apply`, with a kubeconfig of the cluster
# (terraform output -raw kubeconfig_command) and helm 3.17+, from the repository's root:
#
#   bash terraform/eks/install.sh staging
#
# Chart versions are pinned (bump them on purpose, after reading their upgrade notes). It installs:
#   - KEDA (scales the worker on the queue's length; reads Redis itself, needs no AWS identity);
#   - External Secrets Operator (the chart's SecretStore logs in with IRSA: externalSecrets.roleArn);
#   - ingress-nginx behind an AWS Network Load Balancer open to load_balancer_ingress_cidrs only
#     (staging's values use the Ingress; production's use Istio, installed per docs/kubernetes.md);
#   - Argo CD, then the RDS CA bundle ConfigMap and argocd/ (the project and the environment's
#     Application), which deploys charts/voting-app with argocd/values/<env>.yaml.
# It changes nothing in AWS. Idempotent: run it again after a version bump.
set -euo pipefail

env=${1:-}
case "$env" in
staging | production) ;;
*)
  echo "usage: $0 staging|production" >&2
  exit 2
  ;;
esac

KEDA_VERSION=2.17.2
EXTERNAL_SECRETS_VERSION=0.18.2
INGRESS_NGINX_VERSION=4.12.3
ARGO_CD_VERSION=8.1.3

cd "$(dirname "$0")/../.."
log() { printf '[install %s] %s\n' "$env" "$*"; }

tf_out() { terraform -chdir=terraform/eks output -raw "$1"; }
namespace=$(tf_out namespace)
lb_ranges=$(terraform -chdir=terraform/eks output -json load_balancer_ingress_cidrs | tr -d '[]" \n')

log "cluster: $(kubectl config current-context)"
helm repo add kedacore https://kedacore.github.io/charts --force-update >/dev/null
helm repo add external-secrets https://charts.external-secrets.io --force-update >/dev/null
helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx --force-update >/dev/null
helm repo add argo https://argoproj.github.io/argo-helm --force-update >/dev/null
helm repo update >/dev/null

log "KEDA $KEDA_VERSION"
helm upgrade --install keda kedacore/keda --version "$KEDA_VERSION" -n keda --create-namespace --wait

log "External Secrets $EXTERNAL_SECRETS_VERSION"
helm upgrade --install external-secrets external-secrets/external-secrets --version "$EXTERNAL_SECRETS_VERSION" \
  -n external-secrets --create-namespace --set installCRDs=true --wait

if [ "$env" = staging ]; then
  log "ingress-nginx $INGRESS_NGINX_VERSION (NLB, source ranges $lb_ranges)"
  helm upgrade --install ingress-nginx ingress-nginx/ingress-nginx --version "$INGRESS_NGINX_VERSION" \
    -n ingress-nginx --create-namespace --wait \
    --set controller.service.annotations."service\.beta\.kubernetes\.io/aws-load-balancer-type"=nlb \
    --set controller.service.annotations."service\.beta\.kubernetes\.io/aws-load-balancer-scheme"=internet-facing \
    --set "controller.service.loadBalancerSourceRanges={$lb_ranges}"
else
  log "production runs behind Istio: install it with its CNI plugin (docs/kubernetes.md), its gateway Service with loadBalancerSourceRanges {$lb_ranges}"
fi

log "Argo CD (chart $ARGO_CD_VERSION)"
helm upgrade --install argocd argo/argo-cd --version "$ARGO_CD_VERSION" -n argocd --create-namespace --wait

log "RDS CA bundle in $namespace (PGSSLMODE=verify-full)"
# Made here for the ConfigMap, labelled as the Application's managedNamespaceMetadata would (restricted).
kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f -
kubectl label --overwrite namespace "$namespace" pod-security.kubernetes.io/enforce=restricted \
  pod-security.kubernetes.io/enforce-version=latest pod-security.kubernetes.io/warn=restricted >/dev/null
bundle=$(mktemp)
trap 'rm -f "$bundle"' EXIT
curl -fsSLo "$bundle" https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
kubectl -n "$namespace" create configmap rds-ca-bundle --from-file=global-bundle.pem="$bundle" \
  --dry-run=client -o yaml | kubectl apply -f -

log "Argo CD project and the $env Application"
kubectl apply -n argocd -f argocd/project.yaml -f "argocd/$env.yaml"
log "done: watch it with kubectl -n argocd get application voting-app-$env"
