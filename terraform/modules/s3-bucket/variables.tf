variable "name" {
  description = "Bucket name (DNS-safe: 3-63 lower-case letters, digits and hyphens)."
  type        = string
  # no validation: validated where it enters (modules/policy's *_bucket_name, bootstrap's state_bucket_name).
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for SSE-KMS with a bucket key; null means SSE-S3, only for buckets AWS requires it of (access log targets)."
  type        = string
  default     = null
  # no validation: the key this configuration creates (modules/kms-key), or null.
}

variable "policy_json" {
  description = "Bucket policy (JSON), from the policy module: at least the TLS-only Deny."
  type        = string

  validation {
    condition     = can(jsondecode(var.policy_json)) && strcontains(var.policy_json, "aws:SecureTransport")
    error_message = "policy_json must be a JSON policy that denies requests without TLS (aws:SecureTransport)."
  }
}

variable "lifecycle_rules" {
  description = "Lifecycle rules from the policy module: id, prefix, and nullable abort_incomplete_multipart_days, noncurrent_version_expiration_days, transition_days, transition_storage_class, expiration_days."
  type = list(object({
    id                                 = string
    prefix                             = string
    abort_incomplete_multipart_days    = number
    noncurrent_version_expiration_days = number
    transition_days                    = number
    transition_storage_class           = string
    expiration_days                    = number
  }))

  validation {
    condition     = anytrue([for r in var.lifecycle_rules : r.abort_incomplete_multipart_days != null])
    error_message = "Every bucket needs a rule that aborts incomplete multipart uploads."
  }
}

variable "access_log" {
  description = "Where this bucket's S3 server access logs go: the bucket, and a key prefix to which the bucket's name is appended; null for none (the log bucket itself: into itself, it would loop)."
  type = object({
    bucket = string
    prefix = string
  })
  default = null
  # no validation: the log bucket this configuration makes, and modules/policy's access_log_prefix.
}
