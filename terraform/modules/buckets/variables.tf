variable "names" {
  description = "Bucket names by key: logs (the access-log bucket), backup, and on the Docker host artifacts; the keys of modules/policy's bucket_policy_json and lifecycle_rules."
  type        = map(string)

  validation {
    condition     = contains(keys(var.names), "logs") && alltrue([for k in keys(var.names) : contains(["logs", "backup", "artifacts"], k)])
    error_message = "names must have the key logs, and otherwise only backup and artifacts."
  }

  validation {
    condition     = alltrue([for k in keys(var.names) : contains(keys(var.policy.bucket_policy_json), k) && contains(keys(var.policy.lifecycle_rules), k)])
    error_message = "The policy module needs a bucket policy and lifecycle rules for every bucket of names."
  }
}

variable "kms_key_arn" {
  description = "The project's key: SSE-KMS of every bucket but the log bucket (SSE-S3)."
  type        = string
  # no validation: the key this configuration creates (modules/kms-key).
}

# The buckets' decisions, as modules/policy outputs them.
variable "policy" {
  description = "modules/policy's decisions for the buckets: bucket_policy_json and lifecycle_rules by bucket key, and access_log_prefix."
  type = object({
    bucket_policy_json = map(string)
    lifecycle_rules    = map(any)
    access_log_prefix  = string
  })
  # no validation: modules/s3-bucket validates each bucket's (names checks that every bucket has them).
}
