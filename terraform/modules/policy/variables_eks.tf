# Inputs of the EKS environment (platform = "eks"). The ones without a default are required there:
# their validations fail on null for that platform, and ignore them on the other.

variable "vpc_cidr" {
  description = "The VPC's IPv4 block, a /16 (the subnet layout below assumes it): public 10.x.0.0/20, Redis 10.x.32.0/20, PostgreSQL 10.x.48.0/20, nodes and pods 10.x.128.0/17, each split over the three zones."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "eks" || try(can(cidrsubnet(var.vpc_cidr, 0, 0)) && cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr && endswith(var.vpc_cidr, "/16") && !strcontains(var.vpc_cidr, ":"), false)
    error_message = "vpc_cidr must be an IPv4 /16 in canonical form, such as 10.1.0.0/16."
  }
}

variable "availability_zones" {
  description = "The three availability zones of the VPC (RDS Multi-AZ and ElastiCache Multi-AZ use them; the nodes spread over them)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.platform != "eks" || try(length(var.availability_zones) == 3 && length(distinct(var.availability_zones)) == 3 && alltrue([for z in var.availability_zones : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$", z))]), false)
    error_message = "availability_zones must be three distinct zone names such as eu-west-1a."
  }
}

variable "cluster_endpoint_public_cidrs" {
  description = "CIDRs that may reach the Kubernetes API's public endpoint (operators, CI). Empty: private endpoint only (reach it from inside the VPC). 0.0.0.0/0 and ::/0 are refused."
  type        = list(string)
  default     = null

  validation {
    condition     = var.platform != "eks" || try(alltrue([for c in var.cluster_endpoint_public_cidrs : try(cidrsubnet(c, 0, 0) == c, false) && !contains(["0.0.0.0/0", "::/0"], c)]), false)
    error_message = "cluster_endpoint_public_cidrs must be canonical CIDR blocks, never 0.0.0.0/0 or ::/0."
  }
}

variable "redis_port" {
  description = "Port of the ElastiCache replication group."
  type        = number
  default     = 6379

  validation {
    condition     = var.redis_port >= 1024 && var.redis_port <= 65535 && floor(var.redis_port) == var.redis_port
    error_message = "redis_port must be 1024-65535."
  }
}

variable "postgres_port" {
  description = "Port of the RDS instance."
  type        = number
  default     = 5432

  validation {
    condition     = var.postgres_port >= 1150 && var.postgres_port <= 65535 && floor(var.postgres_port) == var.postgres_port && var.postgres_port != var.redis_port
    error_message = "postgres_port must be 1150-65535 (RDS's range) and differ from redis_port."
  }
}

variable "app_namespace" {
  description = "Namespace the chart is deployed to by Argo CD (argocd/<env>.yaml): voting-staging or voting-production."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "eks" || can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.app_namespace))
    error_message = "app_namespace must be a Kubernetes namespace name."
  }
}

variable "external_secrets_service_account" {
  description = "ServiceAccount of the chart's SecretStore (<release>-aws, annotated with the IRSA role): the only identity that may read the stack's secrets."
  type        = string
  default     = "voting-app-aws"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.external_secrets_service_account))
    error_message = "external_secrets_service_account must be a Kubernetes ServiceAccount name."
  }
}

variable "backup_service_account" {
  description = "ServiceAccount of the backup CronJob (issue 13), bound to its role with EKS Pod Identity."
  type        = string
  default     = "voting-app-backup"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", var.backup_service_account))
    error_message = "backup_service_account must be a Kubernetes ServiceAccount name."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (IRSA); the trust policy of the External Secrets role names it."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "eks" || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com/id/[0-9A-F]+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be the ARN of an EKS cluster's OIDC provider."
  }
}

variable "admin_role_arns" {
  description = "IAM roles given cluster-admin through EKS access entries (no aws-auth ConfigMap); the cluster's creator gets nothing by default."
  type        = list(string)
  default     = null

  validation {
    condition     = var.platform != "eks" || try(length(var.admin_role_arns) > 0 && alltrue([for a in var.admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))]), false)
    error_message = "admin_role_arns must be one or more IAM role ARNs (no wildcard)."
  }
}

variable "worker_max_replicas" {
  description = "The most worker pods KEDA may run (worker.keda.maxReplicaCount)."
  type        = number
  default     = null

  validation {
    condition     = var.platform != "eks" || try(var.worker_max_replicas >= 1 && var.worker_max_replicas <= 500 && floor(var.worker_max_replicas) == var.worker_max_replicas, false)
    error_message = "worker_max_replicas must be 1-500."
  }
}

variable "worker_concurrency" {
  description = "WORKER_CONCURRENCY (worker.concurrency): lanes per worker, each with one PostgreSQL connection, plus one admin connection per worker."
  type        = number
  default     = 2

  validation {
    condition     = var.worker_concurrency >= 1 && var.worker_concurrency <= 64 && floor(var.worker_concurrency) == var.worker_concurrency
    error_message = "worker_concurrency must be 1-64 (the app's own range)."
  }
}

variable "result_max_replicas" {
  description = "The most result pods the HPA may run (result.autoscaling.maxReplicas); each holds two PostgreSQL connections (the tally pool and LISTEN)."
  type        = number
  default     = null

  validation {
    condition     = var.platform != "eks" || try(var.result_max_replicas >= 1 && var.result_max_replicas <= 1000 && floor(var.result_max_replicas) == var.result_max_replicas, false)
    error_message = "result_max_replicas must be 1-1000."
  }
}

variable "rollout_surge_percent" {
  description = "Extra pods a rolling update runs next to the old ones (the Deployments' maxSurge, 25% by default): their connections count too."
  type        = number
  default     = 25

  validation {
    condition     = var.rollout_surge_percent >= 0 && var.rollout_surge_percent <= 100
    error_message = "rollout_surge_percent must be 0-100."
  }
}

variable "operator_connections" {
  description = "PostgreSQL connections kept for people and tools: psql sessions, the postgres exporter, the migration Job, the backup job's pg_dump."
  type        = number
  default     = 10

  validation {
    condition     = var.operator_connections >= 3 && var.operator_connections <= 100
    error_message = "operator_connections must be 3-100 (the migration Job and the backup job need one each)."
  }
}

variable "db_instance_class" {
  description = "RDS instance class of PostgreSQL (docs/capacity.md says which rate each serves)."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "eks" || try(contains(keys(local.db_instance_memory_gib), var.db_instance_class), false)
    error_message = "db_instance_class must be one of the classes in modules/policy (db.t4g.medium-large, db.m7g.large-4xlarge, db.r7g.large-16xlarge)."
  }

  # AWS's own default is LEAST(DBInstanceClassMemory/9531392, 5000): a budget above it means the
  # instance is too small for the pools the app opens, whatever max_connections says.
  validation {
    condition     = var.platform != "eks" || try(local.connections_needed <= local.db_class_max_connections[var.db_instance_class], false)
    error_message = "The app's connections at full scale (workers x (1 + concurrency) + result pods x 2, plus the rollout surge, operators and 3 reserved) exceed what db_instance_class can hold (AWS's default max_connections for its memory): pick a larger class or fewer replicas."
  }
}

variable "db_backup_retention_days" {
  description = "Days of automated RDS backups, the window of point-in-time recovery."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be 7-35: point-in-time recovery needs automated backups, and a week is the floor here."
  }
}

variable "redis_node_type" {
  description = "ElastiCache node type of every node of the replication group."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "eks" || can(regex("^cache\\.(t4g\\.(small|medium)|m7g\\.(large|xlarge|2xlarge|4xlarge)|r7g\\.(large|xlarge|2xlarge|4xlarge|8xlarge|12xlarge|16xlarge))$", var.redis_node_type))
    error_message = "redis_node_type must be cache.t4g.small/medium, cache.m7g.large-4xlarge or cache.r7g.large-16xlarge."
  }
}

variable "redis_replicas" {
  description = "Read replicas of the primary (1-5), spread over the other zones: a vote acknowledged with REDIS_WAIT_REPLICAS=n is on n of them."
  type        = number
  default     = 2

  validation {
    condition     = var.redis_replicas >= 1 && var.redis_replicas <= 5 && floor(var.redis_replicas) == var.redis_replicas
    error_message = "redis_replicas must be 1-5: automatic failover needs at least one replica."
  }
}

variable "app_secret_arns" {
  description = "ARNs of the secrets External Secrets may read: the RDS-managed master secret (for the roles Job), the app logins' passwords and the Redis AUTH token. Exact ARNs only."
  type        = list(string)
  default     = null

  validation {
    condition     = var.platform != "eks" || try(length(var.app_secret_arns) > 0 && alltrue([for a in var.app_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+$", a))]), false)
    error_message = "app_secret_arns must be full Secrets Manager secret ARNs, no wildcard."
  }
}
