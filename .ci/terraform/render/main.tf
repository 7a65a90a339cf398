# Renders the policy module with sample inputs, for .ci/terraform-checks.sh: the user data and the
# secret-fetching script (shellcheck, and a real run against a loopback Secrets Manager stand-in).
# Provider-free, so `terraform apply` works offline; the state goes to a temporary folder.
terraform {
  required_version = ">= 1.11.0"
}

variable "enable_monitoring" {
  description = "Render with the monitoring profile (more secret readers, --profile monitoring)."
  type        = bool
  default     = false
}

variable "secret_arn" {
  description = "The secret the fetch script reads (the stand-in answers for this one only)."
  type        = string
  default     = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app-ci/stack-AbCdEf"
  # no validation: the policy module validates it.
}

module "policy" {
  source = "../../../terraform/modules/policy"

  platform              = "docker-host"
  name                  = "voting-app-ci"
  environment           = "staging"
  aws_region            = "eu-west-1"
  aws_account_id        = "123456789012"
  instance_type         = "t3.medium"
  data_volume_id        = "vol-0123456789abcdef0"
  compose_sha256        = { x86_64 = "1111111111111111111111111111111111111111111111111111111111111111", aarch64 = "2222222222222222222222222222222222222222222222222222222222222222" }
  ingress_cidrs         = ["203.0.113.0/24"]
  artifacts_bucket_name = "voting-app-ci-artifacts"
  backup_bucket_name    = "voting-app-ci-backups"
  log_bucket_name       = "voting-app-ci-logs"
  secret_arn            = var.secret_arn
  kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
  image_repository      = "ghcr.io/example/voting-app"
  image_digests = {
    vote   = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
    worker = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
    result = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
  }
  bundle_key        = "bundles/voting-app-ci.tar.gz"
  bundle_sha256     = "4444444444444444444444444444444444444444444444444444444444444444"
  enable_monitoring = var.enable_monitoring
}

output "user_data" {
  description = "The rendered first-boot script."
  value       = module.policy.user_data
}

output "secrets_fetch_script" {
  description = "The rendered secret-fetching script."
  value       = module.policy.secrets_fetch_script
}

output "secret_readers" {
  description = "UIDs granted read on each secret file."
  value       = module.policy.secret_readers
}

output "secrets_dir" {
  description = "Where the host keeps the secret files."
  value       = module.policy.secrets_dir
}

output "secret_arn" {
  description = "The secret the fetch script reads."
  value       = var.secret_arn
}
