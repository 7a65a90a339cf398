# What a user reads after an apply, one output each (same-shaped blocks by design, like the single
# host's in terraform/outputs.tf).

output "cluster_name" {
  description = "The EKS cluster."
  value       = module.eks.name
}

output "kubeconfig_command" {
  description = "Writes a kubeconfig entry for the cluster (with a role of admin_role_arns)."
  value       = "aws eks update-kubeconfig --region ${var.aws_region} --name ${module.eks.name}"
}

output "namespace" {
  description = "The app's namespace (Argo CD's destination)."
  value       = local.namespace
}

output "vpc_id" {
  description = "The VPC."
  value       = module.vpc.vpc_id
}

output "nat_public_ips" {
  description = "The addresses the cluster's outbound traffic leaves from."
  value       = module.vpc.nat_public_ips
}

output "load_balancer_ingress_cidrs" {
  description = "loadBalancerSourceRanges of the ingress controller's Service (install.sh passes them)."
  value       = module.policy.load_balancer_ingress_cidrs
}

output "postgres_address" {
  description = "RDS endpoint: postgresql.host of argocd/values/<env>.yaml."
  value       = module.rds.address
}

output "postgres_master_secret_arn" {
  description = "The RDS-managed master secret (JSON username, password): externalSecrets.remoteRefs.postgresPassword.key (property password)."
  value       = module.rds.master_user_secret_arn
}

output "redis_primary_endpoint" {
  description = "ElastiCache primary endpoint: redis.host of argocd/values/<env>.yaml (TLS on)."
  value       = module.redis.primary_endpoint
}

output "external_secrets_role_arn" {
  description = "IRSA role of the chart's SecretStore: externalSecrets.roleArn."
  value       = module.secrets_role.arn
}

output "backup_role_arn" {
  description = "The backup job's role, bound by EKS Pod Identity to the ServiceAccount voting-app-backup."
  value       = module.backup_role.arn
}

output "backup_bucket" {
  description = "Bucket of the logical backups (backups/ only)."
  value       = module.buckets.names.backup
}

output "kms_key_arn" {
  description = "The project's key in this environment."
  value       = module.kms.arn
}

output "postgres_connections" {
  description = "The connection budget behind max_connections: per pod, at full scale, with rollout surge, operators and reserved."
  value       = merge(module.policy.connections, { max_connections = module.policy.max_connections })
}

output "chart_values" {
  description = "What argocd/values/<env>.yaml must say for this environment (compare after an apply)."
  value = {
    "redis.host"              = module.redis.primary_endpoint
    "redis.tls.enabled"       = true
    "redis.cidrs"             = [module.policy.tier_cidrs.cache]
    "postgresql.host"         = module.rds.address
    "postgresql.cidrs"        = [module.policy.tier_cidrs.database]
    "externalSecrets.roleArn" = module.secrets_role.arn
    "externalSecrets.remoteRefs" = {
      postgresPassword  = { key = module.rds.master_user_secret_arn, property = "password" }
      ownerDbPassword   = { key = module.db_login_password["owner"].name, property = "password" }
      workerDbPassword  = { key = module.db_login_password["worker"].name, property = "password" }
      resultDbPassword  = { key = module.db_login_password["result"].name, property = "password" }
      monitorDbPassword = { key = module.db_login_password["monitor"].name, property = "password" }
      redisPassword     = { key = module.redis_auth.name, property = "auth-token" }
    }
    "worker.keda.maxReplicaCount (at most)"    = var.worker_max_replicas
    "result.autoscaling.maxReplicas (at most)" = var.result_max_replicas
    "worker.concurrency"                       = var.worker_concurrency
  }
}
