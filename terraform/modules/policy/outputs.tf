# Outputs of both platforms and of the Docker host, then the EKS environment's. An output of the other
# platform is null (or empty).

output "name" {
  description = "The deployment's validated name prefix."
  value       = var.name
}

# ---- IAM ----------------------------------------------------------------------------------------

output "roles" {
  description = "The roles AWS services assume on this platform, by name, as modules/iam-role takes them: assume_role_policy_json (in this account only), policy_json (inline; null for none), managed_policy_arns. On the host: instance (the one secret, decrypt/encrypt through Secrets Manager and S3 only, compose bundles read, backups written but never deleted, Session Manager). On EKS: cluster and node (AWS-managed policies), flow_logs (its log group only)."
  value       = local.roles
}

output "workload_roles" {
  description = "The EKS workloads' roles, like roles: external_secrets (IRSA, the chart's SecretStore ServiceAccount only: the given secrets, decrypt through Secrets Manager) and backup (EKS Pod Identity: backups/ as on the host, never a delete). Empty on the host."
  value       = local.workload_roles
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

# ==== The EKS environment's outputs (platform = "eks"); null or empty on the Docker host ==========

# ---- Network ------------------------------------------------------------------------------------

output "subnets" {
  description = "Subnets by tier (public, nodes, cache, database): a list of {az, cidr} per tier, one per zone."
  value       = local.subnets
}

output "tier_cidrs" {
  description = "The /20 (or /17 for nodes) block of each tier; the chart's redis.cidrs and postgresql.cidrs are cache and database."
  value       = local.tier_blocks
}

output "redis_ingress_rules" {
  description = "Ingress rules of ElastiCache's security group: its port from the peer \"nodes\" only."
  value       = local.redis_ingress_rules
}

output "postgres_ingress_rules" {
  description = "Ingress rules of RDS's security group: its port from the peer \"nodes\" only."
  value       = local.postgres_ingress_rules
}

output "endpoint_ingress_rules" {
  description = "Ingress rules of the interface endpoints' security group: HTTPS from the peer \"nodes\" only."
  value       = local.endpoint_ingress_rules
}

output "data_egress_rules" {
  description = "Egress rules of the data stores' security groups: none."
  value       = local.data_egress_rules
}

output "load_balancer_ingress_cidrs" {
  description = "CIDRs the public load balancer may be reached from (0.0.0.0/0 only with consent); the ingress controller's Service gets them as loadBalancerSourceRanges."
  value       = local.ingress_cidrs
}

output "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints (com.amazonaws.<region>.<name>)."
  value       = local.interface_endpoints
}

output "gateway_endpoints" {
  description = "AWS services reached through gateway VPC endpoints."
  value       = local.gateway_endpoints
}

output "flow_log" {
  description = "VPC flow log settings: traffic type (ALL), aggregation interval, log group name."
  value       = local.flow_log
}

# ---- Keys and logs ------------------------------------------------------------------------------

output "kms_key_policy_json" {
  description = "Key policy of the project's key: AWS's default (the account and its IAM policies), plus CloudWatch Logs for this environment's log groups."
  value       = local.on_eks ? jsonencode(local.kms_key_policy) : null
}

output "log_group_names" {
  description = "The environment's log groups: control_plane (EKS), flow_logs, and rds (the prefix of RDS's, one per exported log)."
  value       = local.log_group_names
}

# ---- EKS ----------------------------------------------------------------------------------------

output "cluster_log_types" {
  description = "Control plane log types sent to CloudWatch Logs: all five."
  value       = local.cluster_log_types
}

output "cluster_access" {
  description = "Access settings of the cluster: authentication mode API (access entries only), no implicit admin for the creator, private endpoint, public endpoint only for the given CIDRs."
  value       = local.cluster_access
}

output "admin_access_policy_arn" {
  description = "The access policy given to admin_role_arns through access entries."
  value       = local.admin_access_policy_arn
}

output "admin_role_arns" {
  description = "IAM roles given cluster-admin through access entries."
  value       = var.admin_role_arns
}

# ---- Data stores --------------------------------------------------------------------------------

output "connections" {
  description = "PostgreSQL connection budget: per pod, at full scale, with the rollout surge, operators and reserved."
  value       = local.connections
}

output "max_connections" {
  description = "max_connections of the parameter group (the budget, rounded up to a multiple of 10)."
  value       = local.max_connections
}

output "db_default_max_connections" {
  description = "AWS's default max_connections for db_instance_class (its memory), which the budget must not exceed."
  value       = local.db_default_max_connections
}

output "postgres_parameters" {
  description = "Parameters of the PostgreSQL 15 parameter group: name, value, apply_method."
  value       = local.postgres_parameters
}

output "postgres_settings" {
  description = "Settings of the RDS instance: Multi-AZ, encrypted with the project's key, private, deletion protection, automated backups (PITR), master password managed by RDS in Secrets Manager."
  value       = local.postgres_settings
}

output "redis_settings" {
  description = "Settings of the ElastiCache replication group: cluster mode disabled, Multi-AZ with automatic failover, TLS required, encrypted at rest with the project's key, AUTH required."
  value       = local.redis_settings
}

output "redis_parameters" {
  description = "Parameters of the Redis 7 parameter group (maxmemory-policy noeviction)."
  value       = local.redis_parameters
}

output "all_ingress_rules" {
  description = "Every ingress rule this module makes, keyed group/rule, for the tests."
  value       = local.all_ingress
}

output "data_store_cidr_rules" {
  description = "Keys of data-store ingress rules that name a CIDR instead of the nodes' group: always empty."
  value       = local.data_store_cidr_rules
}

output "backup_service_account" {
  description = "ServiceAccount the backup job's role is bound to with EKS Pod Identity."
  value       = var.backup_service_account
}
