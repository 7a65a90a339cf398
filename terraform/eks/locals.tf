locals {
  # voting-eks-<env>: apart from the single host's voting-app-<env> names, so both can live in one
  # account. The names the chart's values expect (argocd/values/<env>.yaml) are kept as they are:
  # the secrets voting-app/<env>/..., the role voting-app-<env>-secrets, the namespace voting-<env>.
  name      = "voting-eks-${var.environment}"
  namespace = "voting-${var.environment}"
}
