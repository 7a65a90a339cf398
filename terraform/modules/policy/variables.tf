# Inputs of the decisions. `platform` says which environment they are for: the single Docker host
# (terraform/) or EKS (terraform/eks). First the inputs of both, then each platform's own: null by
# default, and required (by their validations) on that platform only.

# ---- Identity of the deployment -------------------------------------------------------------------

variable "platform" {
  description = "The environment these decisions are for: docker-host (terraform/: one EC2 instance running the compose stack) or eks (terraform/eks: EKS, RDS, ElastiCache)."
  type        = string

  validation {
    condition     = contains(["docker-host", "eks"], var.platform)
    error_message = "platform must be docker-host or eks."
  }
}

variable "name" {
  description = "Name of the deployment, the prefix of every resource name (roles, security groups, units; the cluster, RDS and ElastiCache on EKS), e.g. voting-app-staging or voting-eks-production."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,37}[a-z0-9]$", var.name))
    error_message = "name must be 3-39 characters: lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment (staging or production): tags, the compose project name on the host."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "aws_partition" {
  description = "AWS partition of every ARN built here (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.aws_partition)
    error_message = "aws_partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "aws_region" {
  description = "AWS region of everything here, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "aws_account_id" {
  description = "AWS account id (12 digits) every ARN and trust condition names."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

# ---- Network ------------------------------------------------------------------------------------

variable "ingress_cidrs" {
  description = "CIDR blocks (IPv4 or IPv6) allowed to reach the pages: on the Docker host its vote and result ports (or the load balancer's 80/443 with enable_alb), on EKS the public load balancer in front of the ingress controller. 0.0.0.0/0 and ::/0 are refused unless allow_ingress_from_anywhere is true."
  type        = list(string)

  validation {
    condition     = length(var.ingress_cidrs) > 0 && alltrue([for c in var.ingress_cidrs : try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "ingress_cidrs must be a non-empty list of valid CIDR blocks in canonical form (no host bits set), such as 203.0.113.0/24."
  }

  validation {
    condition     = var.allow_ingress_from_anywhere || length(setintersection(toset(var.ingress_cidrs), toset(["0.0.0.0/0", "::/0"]))) == 0
    error_message = "ingress_cidrs contains 0.0.0.0/0 or ::/0: set allow_ingress_from_anywhere = true to publish the pages to the whole internet on purpose."
  }
}

variable "allow_ingress_from_anywhere" {
  description = "Explicit consent to open the pages (the host, or a load balancer) to 0.0.0.0/0 and ::/0. False refuses such CIDRs in ingress_cidrs."
  type        = bool
  default     = false
}

# ---- Buckets and the key ------------------------------------------------------------------------

variable "backup_bucket_name" {
  description = "Name of the backup bucket (logical PostgreSQL dumps under backups/YYYY/MM/DD/, one bucket per environment). DNS-safe: 3-63 lower-case letters, digits and hyphens, no dots."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.backup_bucket_name)) && !can(regex("^xn--|^sthree-|-s3alias$|--ol-s3$|--x-s3$", var.backup_bucket_name))
    error_message = "backup_bucket_name must be DNS-safe: 3-63 characters of a-z, 0-9 and '-', no dots, starting and ending with a letter or digit, without the prefixes and suffixes S3 reserves."
  }
}

variable "log_bucket_name" {
  description = "Name of the bucket that receives the S3 server access logs of the other buckets (SSE-S3, the only encryption log delivery supports). DNS-safe like backup_bucket_name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.log_bucket_name)) && !can(regex("^xn--|^sthree-|-s3alias$|--ol-s3$|--x-s3$", var.log_bucket_name)) && var.log_bucket_name != var.backup_bucket_name
    error_message = "log_bucket_name must be DNS-safe: 3-63 characters of a-z, 0-9 and '-', no dots, starting and ending with a letter or digit, without the prefixes and suffixes S3 reserves, and not the backup bucket."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days an overwritten or deleted object version is kept before it expires, in every bucket."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650
    error_message = "noncurrent_version_expiration_days must be 1-3650."
  }
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which an unfinished multipart upload is aborted (its parts are billed until then), in every bucket."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_days >= 1 && var.abort_incomplete_multipart_days <= 365
    error_message = "abort_incomplete_multipart_days must be 1-365."
  }
}

variable "backup_transition_days" {
  description = "Age in days at which a backup moves to backup_storage_class."
  type        = number
  default     = 30

  validation {
    condition     = var.backup_transition_days >= 1
    error_message = "backup_transition_days must be at least 1."
  }
}

variable "backup_storage_class" {
  description = "The colder storage class backups move to after backup_transition_days (GLACIER_IR keeps restores instant)."
  type        = string
  default     = "GLACIER_IR"

  validation {
    condition     = contains(["STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], var.backup_storage_class)
    error_message = "backup_storage_class must be STANDARD_IA, ONEZONE_IA, GLACIER_IR, GLACIER or DEEP_ARCHIVE."
  }
}

variable "backup_expiration_days" {
  description = "Age in days at which a backup expires. It must leave the colder class's minimum storage duration (90 days for GLACIER_IR and GLACIER, 180 for DEEP_ARCHIVE, 30 for the IA classes) after the transition, or early deletion is billed."
  type        = number
  default     = 365

  validation {
    condition = var.backup_expiration_days - var.backup_transition_days >= lookup({
      STANDARD_IA = 30, ONEZONE_IA = 30, GLACIER_IR = 90, GLACIER = 90, DEEP_ARCHIVE = 180
    }, var.backup_storage_class, 90)
    error_message = "backup_expiration_days must come after backup_transition_days by at least the storage class's minimum duration (30, 90 or 180 days)."
  }
}

variable "log_expiration_days" {
  description = "Days the S3 access logs are kept."
  type        = number
  default     = 90

  validation {
    condition     = var.log_expiration_days >= 1 && var.log_expiration_days <= 3650
    error_message = "log_expiration_days must be 1-3650."
  }
}

variable "kms_key_arn" {
  description = "ARN of the project's customer-managed KMS key: on the host the secret, the artifacts and backup buckets and the EBS volumes; on EKS RDS, ElastiCache, the secrets, Kubernetes Secrets, the backup bucket and the log groups."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<uuid>)."
  }
}

# ==== The Docker host's inputs (platform = "docker-host") ==========================================
# The ones without a default are required there: their validations fail on null for that platform,
# and ignore them on the other.

variable "instance_type" {
  description = "EC2 instance type of the Docker host. Only sizes that hold the stack (about 2 GiB of container limits, 4.5 GiB more with monitoring) on Nitro (NVMe EBS device names) are accepted."
  type        = string
  default     = null

  validation {
    condition = var.platform != "docker-host" || try(contains([
      "t3.medium", "t3.large", "t3.xlarge", "t3a.medium", "t3a.large", "t3a.xlarge",
      "t4g.medium", "t4g.large", "t4g.xlarge",
      "m6i.large", "m6i.xlarge", "m7i.large", "m7i.xlarge",
      "m6g.large", "m6g.xlarge", "m7g.large", "m7g.xlarge",
    ], var.instance_type), false)
    error_message = "instance_type must be one of t3/t3a/t4g .medium-.xlarge, m6i/m7i/m6g/m7g .large-.xlarge."
  }
}

variable "containers_need_instance_role" {
  description = "Whether a container must reach the instance role through IMDS (the backup container of issue 13 does, for S3). false keeps the IMDSv2 hop limit at 1, which stops containers behind Docker's bridge from getting the role's credentials; true raises it to 2, and then every container of the host can get them."
  type        = bool
  default     = false
}

variable "data_volume_id" {
  description = "Id of the EBS volume that holds Docker's data (images, PostgreSQL, Redis and monitoring volumes); the user data finds it by this id, formats it only if it is blank, and mounts it."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^vol-[0-9a-f]{8,17}$", var.data_volume_id))
    error_message = "data_volume_id must be an EBS volume id (vol-...)."
  }
}

variable "docker_version" {
  description = "Docker Engine version installed from the Amazon Linux 2023 repository (dnf install docker-<version>); the boot fails if the installed version differs. List them with: dnf --showduplicates list docker."
  type        = string
  default     = "25.0.8"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.docker_version))
    error_message = "docker_version must be a version such as 25.0.8."
  }
}

variable "compose_version" {
  description = "Docker Compose plugin version, downloaded from the docker/compose GitHub release and checked against compose_sha256; `up --wait --wait-timeout` needs 2.17 or later."
  type        = string
  default     = "2.39.4"

  validation {
    condition     = can(regex("^([2-9]|[1-9][0-9])\\.[0-9]+\\.[0-9]+$", var.compose_version)) && !can(regex("^2\\.([0-9]|1[0-6])\\.", var.compose_version))
    error_message = "compose_version must be 2.17.0 or later (up --wait-timeout)."
  }
}

variable "compose_sha256" {
  description = "SHA-256 of the Compose binary per architecture (keys x86_64 and aarch64), from the release's docker-compose-linux-<arch>.sha256 files; only the host's architecture is required."
  type        = map(string)
  default     = null

  validation {
    condition     = var.platform != "docker-host" || try(length(var.compose_sha256) > 0 && alltrue([for k, v in var.compose_sha256 : contains(["x86_64", "aarch64"], k) && can(regex("^[0-9a-f]{64}$", v))]), false)
    error_message = "compose_sha256 keys must be x86_64 or aarch64, each value 64 lower-case hex digits."
  }
}

variable "egress_https_cidrs" {
  description = "Where the host may open HTTPS (443/tcp) connections: the container registry (ghcr.io and its CDN), Docker Hub for the third-party images, the Amazon Linux repositories, GitHub (Compose), and the AWS APIs (SSM, Secrets Manager, S3, KMS). These have no fixed address ranges, hence 0.0.0.0/0 by default; narrow it when VPC endpoints and a proxy serve them. Nothing else leaves the host (DNS and NTP go to the VPC resolver and the Amazon Time Sync link-local addresses, which security groups do not filter)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.egress_https_cidrs) > 0 && alltrue([for c in var.egress_https_cidrs : try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "egress_https_cidrs must be a non-empty list of valid CIDR blocks in canonical form."
  }
}

variable "enable_alb" {
  description = "Put an Application Load Balancer (HTTPS on 443, 80 redirected) in front of the host: then only the load balancer's security group reaches the vote and result ports, and ingress_cidrs apply to 80/443 on the load balancer."
  type        = bool
  default     = false
}

variable "vote_port" {
  description = "Host port of the vote page (VOTE_HOST_PORT of the compose file)."
  type        = number
  default     = 5000

  validation {
    condition     = var.vote_port >= 1024 && var.vote_port <= 65535 && floor(var.vote_port) == var.vote_port
    error_message = "vote_port must be an unprivileged port, 1024-65535."
  }
}

variable "result_port" {
  description = "Host port of the result page (RESULT_HOST_PORT of the compose file)."
  type        = number
  default     = 5001

  validation {
    condition     = var.result_port >= 1024 && var.result_port <= 65535 && floor(var.result_port) == var.result_port && var.result_port != var.vote_port
    error_message = "result_port must be an unprivileged port, 1024-65535, other than vote_port."
  }
}

variable "artifacts_bucket_name" {
  description = "Name of the artifacts bucket (the compose bundles under bundles/). DNS-safe like backup_bucket_name."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || (can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.artifacts_bucket_name)) && !can(regex("^xn--|^sthree-|-s3alias$|--ol-s3$|--x-s3$", var.artifacts_bucket_name)))
    error_message = "artifacts_bucket_name must be DNS-safe: 3-63 characters of a-z, 0-9 and '-', no dots, starting and ending with a letter or digit, without the prefixes and suffixes S3 reserves."
  }
}

variable "secret_arn" {
  description = "ARN of the Secrets Manager secret holding the stack's passwords as JSON keys (pg_password, owner_db_password, worker_db_password, result_db_password, monitor_db_password, redis_password, grafana_admin_password): the one secret the instance role may read."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$", var.secret_arn))
    error_message = "secret_arn must be the full ARN of a Secrets Manager secret."
  }
}

variable "image_repository" {
  description = "Registry and repository prefix the CI publishes the role images to: <registry>/<owner>/<repo>, lower case (ghcr.io/<owner>/<repo>); the images are <prefix>/<role>@<digest>. The packages must be public, or the host needs registry credentials (not provided here)."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$", var.image_repository))
    error_message = "image_repository must be a lower-case image prefix such as ghcr.io/owner/repo, without tag or digest."
  }
}

variable "image_digests" {
  description = "Digest of each role image the CI pushed and tested (the image job's outputs vote, worker, result): sha256:<64 hex>. The host pulls exactly these, never a tag."
  type = object({
    vote   = string
    worker = string
    result = string
  })
  default = null

  validation {
    condition     = var.platform != "docker-host" || try(alltrue([for d in values(var.image_digests) : can(regex("^sha256:[0-9a-f]{64}$", d))]), false)
    error_message = "Every image digest must be sha256: followed by 64 lower-case hex digits."
  }
}

variable "pinned_images" {
  description = "Optional image references, by digest, for the compose file's other services (e.g. redis = \"redis@sha256:...\", db = \"postgres@sha256:...\"); services not named keep the compose file's pinned tags."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for svc, ref in var.pinned_images : contains([
      "redis", "db", "prometheus", "jaeger", "alertmanager", "grafana", "loki", "alloy",
      "redis-exporter", "postgres-exporter", "cadvisor",
    ], svc) && can(regex("^[a-z0-9./:_-]+@sha256:[0-9a-f]{64}$", ref))])
    error_message = "pinned_images keys must be third-party services of docker-compose.yml and each value an image reference by digest (name@sha256:<64 hex>)."
  }
}

variable "bundle_key" {
  description = "Key, in the artifacts bucket, of the compose bundle the host runs: a tar.gz of docker-compose.yml and the folders it mounts, made with git archive (see terraform/README.md)."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^bundles/[A-Za-z0-9._-]+\\.tar\\.gz$", var.bundle_key))
    error_message = "bundle_key must be bundles/<name>.tar.gz."
  }
}

variable "bundle_sha256" {
  description = "SHA-256 of the compose bundle; the host refuses a bundle with another checksum."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^[0-9a-f]{64}$", var.bundle_sha256))
    error_message = "bundle_sha256 must be 64 lower-case hex digits."
  }
}

variable "enable_monitoring" {
  description = "Start the compose profile monitoring (Prometheus, Alertmanager, Grafana, Loki, Alloy, Jaeger, exporters) next to the app; Grafana and Jaeger stay on the host's loopback, reached through an SSM port-forwarding session."
  type        = bool
  default     = false
}

variable "option_labels" {
  description = "Labels of the two options shown on both pages (OPTION_A and OPTION_B)."
  type = object({
    a = string
    b = string
  })
  default = {
    a = "Cats"
    b = "Dogs"
  }
  nullable = false # the root's null (its default) takes this default

  validation {
    condition     = alltrue([for l in values(var.option_labels) : can(regex("^[^\\n\\r\"'$`\\\\]{1,64}$", l))])
    error_message = "Each option label must be 1-64 characters without quotes, backslashes, $, backticks or line breaks."
  }
}

# ==== The EKS environment's inputs (platform = "eks") ==============================================
# The ones without a default are required there: their validations fail on null for that platform,
# and ignore them on the other.

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
