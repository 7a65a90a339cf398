# The buckets of one environment, as both roots make them: the log bucket, and the buckets whose S3
# server access logs go into it (backups; on the Docker host also the artifacts), each hardened by
# modules/s3-bucket with the policy and the lifecycle rules modules/policy gives it by key.

module "log_bucket" {
  source = "../s3-bucket"

  name            = var.names.logs
  kms_key_arn     = null # S3 delivers server access logs only to SSE-S3 buckets.
  policy_json     = var.policy.bucket_policy_json.logs
  lifecycle_rules = var.policy.lifecycle_rules.logs
}

module "bucket" {
  source   = "../s3-bucket"
  for_each = { for key, name in var.names : key => name if key != "logs" }

  name            = each.value
  kms_key_arn     = var.kms_key_arn
  policy_json     = var.policy.bucket_policy_json[each.key]
  lifecycle_rules = var.policy.lifecycle_rules[each.key]
  access_log      = { bucket = module.log_bucket.name, prefix = var.policy.access_log_prefix }
}
