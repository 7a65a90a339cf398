# What a user reads after an apply, one output each (same-shaped blocks by design; terraform/eks's
# outputs are shaped alike).

output "vote_url" {
  description = "The vote page."
  value       = local.vote_url
}

output "result_url" {
  description = "The result page."
  value       = local.result_url
}

output "instance_id" {
  description = "The Docker host, for Session Manager: aws ssm start-session --target <id>."
  value       = module.host.instance_id
}

output "ssm_session_command" {
  description = "A shell on the host (no SSH)."
  value       = "aws ssm start-session --region ${var.aws_region} --target ${module.host.instance_id}"
}

output "artifacts_bucket" {
  description = "Artifacts bucket (compose bundles under bundles/)."
  value       = module.buckets.names.artifacts
}

output "backup_bucket" {
  description = "Backup bucket (the host writes under backups/, never deletes)."
  value       = module.buckets.names.backup
}

output "backup_prefix" {
  description = "Prefix the host may write backups under."
  value       = module.policy.backup_prefix
}

output "log_bucket" {
  description = "Bucket of the S3 server access logs."
  value       = module.buckets.names.logs
}

output "secret_arn" {
  description = "The stack's secret (JSON, one password per key)."
  value       = module.secret.arn
}

output "kms_key_arn" {
  description = "The customer-managed key of the secret, the buckets and the volumes."
  value       = module.kms.arn
}

output "instance_role_name" {
  description = "The host's IAM role."
  value       = module.host.role_name
}

output "alb_dns_name" {
  description = "The load balancer's DNS name (point vote_host_name and result_host_name at it); null without one."
  value       = try(module.alb[0].dns_name, null)
}
