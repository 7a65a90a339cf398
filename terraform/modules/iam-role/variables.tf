variable "name" {
  description = "IAM role name (and its inline policy's), e.g. voting-app-production-secrets (argocd/values/<env>.yaml names that one)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "name must be 1-64 characters allowed in an IAM role name."
  }
}

variable "description" {
  description = "What the role is for, shown in the IAM console; null for none."
  type        = string
  default     = null
  # no validation: the callers write it.
}

variable "assume_role_policy_json" {
  description = "Trust policy (modules/policy): an AWS service of this account, IRSA (one ServiceAccount) or EKS Pod Identity."
  type        = string
  # no validation: modules/policy makes and tests it.
}

variable "policy_json" {
  description = "The role's inline policy (modules/policy); null for none (a role with AWS-managed policies only)."
  type        = string
  default     = null
  # no validation: modules/policy makes and tests it.
}

variable "managed_policy_arns" {
  description = "AWS-managed policies attached to the role (modules/policy pins the list)."
  type        = list(string)
  default     = []
  # no validation: modules/policy makes and tests it.
}

variable "pod_identity" {
  description = "With EKS Pod Identity: the cluster, namespace and ServiceAccount bound to the role; null for IRSA (the ServiceAccount's annotation names the role) and for roles AWS services assume."
  type = object({
    cluster_name    = string
    namespace       = string
    service_account = string
  })
  default = null
  # no validation: names validated in modules/policy (namespace, service accounts) and made here (cluster).
}
