# ---- Where ----------------------------------------------------------------------------------------

variable "name" {
  description = "Name prefix of everything in the environment, e.g. voting-app-eks-staging."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,38}$", var.name))
    error_message = "name must be 3-39 lower-case letters, digits and hyphens, starting with a letter (it prefixes the cluster, RDS and ElastiCache identifiers)."
  }
}

variable "aws_partition" {
  description = "AWS partition of the ARNs (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.aws_partition)
    error_message = "aws_partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "aws_region" {
  description = "AWS region, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-west-1."
  }
}

variable "aws_account_id" {
  description = "The AWS account (12 digits) every ARN and trust condition names."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

# ---- Network --------------------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "The VPC's IPv4 block, a /16 (the subnet layout below assumes it): public 10.x.0.0/20, Redis 10.x.32.0/20, PostgreSQL 10.x.48.0/20, nodes and pods 10.x.128.0/17, each split over the three zones."
  type        = string

  validation {
    condition     = can(cidrsubnet(var.vpc_cidr, 0, 0)) && cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr && endswith(var.vpc_cidr, "/16") && !strcontains(var.vpc_cidr, ":")
    error_message = "vpc_cidr must be an IPv4 /16 in canonical form, such as 10.1.0.0/16."
  }
}

variable "availability_zones" {
  description = "The three availability zones of the VPC (RDS Multi-AZ and ElastiCache Multi-AZ use them; the nodes spread over them)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 3 && length(distinct(var.availability_zones)) == 3 && alltrue([for z in var.availability_zones : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$", z))])
    error_message = "availability_zones must be three distinct zone names such as eu-west-1a."
  }
}

variable "cluster_endpoint_public_cidrs" {
  description = "CIDRs that may reach the Kubernetes API's public endpoint (operators, CI). Empty: private endpoint only (reach it from inside the VPC). 0.0.0.0/0 and ::/0 are refused."
  type        = list(string)

  validation {
    condition     = alltrue([for c in var.cluster_endpoint_public_cidrs : try(cidrsubnet(c, 0, 0) == c, false) && !contains(["0.0.0.0/0", "::/0"], c)])
    error_message = "cluster_endpoint_public_cidrs must be canonical CIDR blocks, never 0.0.0.0/0 or ::/0."
  }
}

variable "load_balancer_ingress_cidrs" {
  description = "CIDRs allowed to reach the public load balancer (80/443) in front of the ingress controller. 0.0.0.0/0 only with allow_ingress_from_anywhere."
  type        = list(string)

  validation {
    condition     = length(var.load_balancer_ingress_cidrs) > 0 && alltrue([for c in var.load_balancer_ingress_cidrs : try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "load_balancer_ingress_cidrs must be a non-empty list of canonical CIDR blocks."
  }

  validation {
    condition     = var.allow_ingress_from_anywhere || length(setintersection(toset(var.load_balancer_ingress_cidrs), toset(["0.0.0.0/0", "::/0"]))) == 0
    error_message = "load_balancer_ingress_cidrs contains 0.0.0.0/0 or ::/0: set allow_ingress_from_anywhere = true to publish the pages to the whole internet on purpose."
  }
}

variable "allow_ingress_from_anywhere" {
  description = "Explicit consent to open the public load balancer to 0.0.0.0/0 and ::/0."
  type        = bool
  default     = false
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

# ---- Kubernetes -----------------------------------------------------------------------------------

variable "app_namespace" {
  description = "Namespace the chart is deployed to by Argo CD (argocd/<env>.yaml): voting-staging or voting-production."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.app_namespace))
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

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com/id/[0-9A-F]+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be the ARN of an EKS cluster's OIDC provider."
  }
}

variable "admin_role_arns" {
  description = "IAM roles given cluster-admin through EKS access entries (no aws-auth ConfigMap); the cluster's creator gets nothing by default."
  type        = list(string)

  validation {
    condition     = length(var.admin_role_arns) > 0 && alltrue([for a in var.admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "admin_role_arns must be one or more IAM role ARNs (no wildcard)."
  }
}

# ---- What the app opens (the chart's values; README, "Configuration") -----------------------------

variable "worker_max_replicas" {
  description = "The most worker pods KEDA may run (worker.keda.maxReplicaCount)."
  type        = number

  validation {
    condition     = var.worker_max_replicas >= 1 && var.worker_max_replicas <= 500 && floor(var.worker_max_replicas) == var.worker_max_replicas
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

  validation {
    condition     = var.result_max_replicas >= 1 && var.result_max_replicas <= 1000 && floor(var.result_max_replicas) == var.result_max_replicas
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

# ---- Data stores ----------------------------------------------------------------------------------

variable "db_instance_class" {
  description = "RDS instance class of PostgreSQL (docs/capacity.md says which rate each serves)."
  type        = string

  validation {
    condition     = contains(keys(local.db_instance_memory_gib), var.db_instance_class)
    error_message = "db_instance_class must be one of the classes in modules/eks-policy (db.t4g.medium-large, db.m7g.large-4xlarge, db.r7g.large-16xlarge)."
  }

  # AWS's own default is LEAST(DBInstanceClassMemory/9531392, 5000): a budget above it means the
  # instance is too small for the pools the app opens, whatever max_connections says.
  validation {
    condition = ceil((var.worker_max_replicas * (1 + var.worker_concurrency) + var.result_max_replicas * 2) * (100 + var.rollout_surge_percent) / 100) + var.operator_connections + 3 <= min(5000, floor(lookup({
      "db.t4g.medium" = 4, "db.t4g.large" = 8,
      "db.m7g.large"  = 8, "db.m7g.xlarge" = 16, "db.m7g.2xlarge" = 32, "db.m7g.4xlarge" = 64,
      "db.r7g.large"  = 16, "db.r7g.xlarge" = 32, "db.r7g.2xlarge" = 64, "db.r7g.4xlarge" = 128, "db.r7g.8xlarge" = 256, "db.r7g.16xlarge" = 512,
    }, var.db_instance_class, 0) * 0.9 * 1073741824 / 9531392))
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

  validation {
    condition     = can(regex("^cache\\.(t4g\\.(small|medium)|m7g\\.(large|xlarge|2xlarge|4xlarge)|r7g\\.(large|xlarge|2xlarge|4xlarge|8xlarge|12xlarge|16xlarge))$", var.redis_node_type))
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

# ---- Secrets, keys, buckets -----------------------------------------------------------------------

variable "kms_key_arn" {
  description = "The project's customer-managed key: RDS storage and its master secret, ElastiCache at rest, the secrets, the backup bucket, EKS secrets."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key."
  }
}

variable "app_secret_arns" {
  description = "ARNs of the secrets External Secrets may read: the RDS-managed master secret, the result role's password and the Redis AUTH token. Exact ARNs only."
  type        = list(string)

  validation {
    condition     = length(var.app_secret_arns) > 0 && alltrue([for a in var.app_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@!-]+$", a))])
    error_message = "app_secret_arns must be full Secrets Manager secret ARNs, no wildcard."
  }
}

variable "backup_bucket_name" {
  description = "Bucket of the logical backups (backups/YYYY/MM/DD/<ts>.dump.age and manifests), written by the backup job."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.backup_bucket_name))
    error_message = "backup_bucket_name must be DNS-safe: 3-63 characters of a-z, 0-9 and '-'."
  }
}

variable "log_bucket_name" {
  description = "Bucket of the backup bucket's S3 server access logs (SSE-S3, the only encryption log delivery supports)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.log_bucket_name)) && var.log_bucket_name != var.backup_bucket_name
    error_message = "log_bucket_name must be DNS-safe and differ from backup_bucket_name."
  }
}

variable "backup_expiration_days" {
  description = "Age in days at which a logical backup expires (it moves to GLACIER_IR after 30 days, whose minimum is 90 days)."
  type        = number
  default     = 365

  validation {
    condition     = var.backup_expiration_days >= 120 && var.backup_expiration_days <= 3650
    error_message = "backup_expiration_days must be 120-3650 (30 days in STANDARD, then at least GLACIER_IR's 90)."
  }
}
