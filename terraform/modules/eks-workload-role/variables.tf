variable "name" {
  description = "IAM role name, e.g. voting-app-production-secrets (argocd/values/<env>.yaml names it)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters allowed in an IAM role name."
  }
}

variable "assume_role_policy_json" {
  description = "Trust policy (modules/policy): IRSA (one ServiceAccount) or EKS Pod Identity."
  type        = string
  # no validation: modules/policy makes and tests it.
}

variable "policy_json" {
  description = "The role's only (inline) policy (modules/policy)."
  type        = string
  # no validation: modules/policy makes and tests it.
}

variable "pod_identity" {
  description = "With EKS Pod Identity: the cluster, namespace and ServiceAccount bound to the role; null for IRSA (the ServiceAccount's annotation names the role)."
  type = object({
    cluster_name    = string
    namespace       = string
    service_account = string
  })
  default = null
  # no validation: names validated in modules/policy (namespace, service accounts) and made here (cluster).
}
