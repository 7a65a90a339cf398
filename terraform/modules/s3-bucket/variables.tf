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

variable "access_logging" {
  description = "Send this bucket's S3 server access logs to access_log_bucket (false for the log bucket itself: it would log into itself). Known when planning, unlike the log bucket's name."
  type        = bool
  default     = false
}

variable "access_log_bucket" {
  description = "Bucket that receives this bucket's S3 server access logs when access_logging is true."
  type        = string
  default     = null

  validation {
    condition     = !var.access_logging || var.access_log_bucket != null
    error_message = "access_logging needs access_log_bucket."
  }
}

variable "access_log_prefix" {
  description = "Key prefix of the access logs in access_log_bucket; the bucket's name is appended."
  type        = string
  default     = "s3-access/"

  validation {
    condition     = can(regex("^[a-z0-9-]+/$", var.access_log_prefix))
    error_message = "access_log_prefix must be lower-case letters, digits and hyphens, ending with /."
  }
}
