# Outputs of both platforms and of the Docker host; the EKS environment's are in outputs_eks.tf. An
# output of the other platform is null (or empty).

output "name" {
  description = "The deployment's validated name prefix."
  value       = var.name
}

# ---- IAM ----------------------------------------------------------------------------------------

output "instance_policy_json" {
  description = "Inline policy of the host's instance role: the one secret, decrypt/encrypt through Secrets Manager and S3 only, compose bundles read, backups written (never deleted), Session Manager. Null on EKS."
  value       = local.on_host ? jsonencode(local.instance_policy) : null
}

output "instance_assume_role_policy_json" {
  description = "Trust policy of the instance role: EC2, in this account."
  value       = jsonencode(local.instance_assume_role_policy)
}

output "bucket_policy_json" {
  description = "Bucket policies by bucket (backup, logs, and artifacts on the host): TLS only, and access-log delivery from the others into logs."
  value       = { for b, doc in local.bucket_policies : b => jsonencode(doc) }
}

# ---- S3 -----------------------------------------------------------------------------------------

output "lifecycle_rules" {
  description = "Lifecycle rules by bucket (backup, logs, and artifacts on the host): objects with id, prefix and nullable abort_incomplete_multipart_days, noncurrent_version_expiration_days, transition_days, transition_storage_class, expiration_days."
  value       = local.lifecycle_rules
}

output "backup_prefix" {
  description = "Key prefix the host may write backups under (backups/YYYY/MM/DD/<ts>.dump.age and their manifests)."
  value       = local.backup_prefix
}

output "bundle_prefix" {
  description = "Key prefix of the compose bundles in the artifacts bucket, the only objects the host may read there."
  value       = local.bundle_prefix
}

output "access_log_prefix" {
  description = "Key prefix, in the log bucket, of the S3 server access logs."
  value       = local.access_log_prefix
}

# ---- Network ------------------------------------------------------------------------------------

output "host_ingress_rules" {
  description = "Ingress rules of the host's security group, keyed: description, from_port, to_port, ip_protocol, and cidr or peer (\"alb\")."
  value       = local.host_ingress_rules
}

output "host_egress_rules" {
  description = "Egress rules of the host's security group (HTTPS only), keyed like host_ingress_rules."
  value       = local.host_egress_rules
}

output "alb_ingress_rules" {
  description = "Ingress rules of the load balancer's security group (80/443 from ingress_cidrs); empty without enable_alb."
  value       = local.alb_ingress_rules
}

output "alb_egress_rules" {
  description = "Egress rules of the load balancer's security group (to the host's two ports, peer \"host\"); empty without enable_alb."
  value       = local.alb_egress_rules
}

output "open_to_anywhere" {
  description = "Keys of the ingress rules open to 0.0.0.0/0 or ::/0; empty unless allow_ingress_from_anywhere."
  value       = local.open_to_anywhere
}

# ---- Host ---------------------------------------------------------------------------------------

output "instance_type" {
  description = "The instance type, checked against the allowed list."
  value       = var.instance_type
}

output "metadata_options" {
  description = "metadata_options of the host: IMDSv2 required, hop limit 1 unless a container needs the role."
  value       = local.metadata_options
}

output "user_data" {
  description = "The host's first-boot script (no secret in it)."
  value       = local.user_data
}

output "secrets_fetch_script" {
  description = "The script the unit runs before every start: the secret's keys into compose secret files readable only by their containers' UIDs."
  value       = local.secrets_fetch_script
}

output "secret_keys" {
  description = "Keys the secret's JSON must hold, one password each."
  value       = sort(keys(local.secret_readers))
}

output "secret_readers" {
  description = "UIDs granted read on each compose secret file (the containers that mount it)."
  value       = local.secret_readers
}

output "secrets_dir" {
  description = "Directory (tmpfs) of the compose secret files on the host."
  value       = local.secrets_dir
}

output "unit_name" {
  description = "The systemd unit that runs the stack (systemctl restart <unit> after a secret changes)."
  value       = local.unit_name
}
