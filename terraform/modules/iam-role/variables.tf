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

variable "role" {
  description = "The role's documents, as modules/policy's roles output gives each: assume_role_policy_json (the trust policy), policy_json (the inline policy; null for none) and managed_policy_arns (AWS-managed policies)."
  type = object({
    assume_role_policy_json = string
    policy_json             = optional(string)
    managed_policy_arns     = optional(list(string), [])
  })
  # no validation: modules/policy makes and tests them.
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
