# Variables of one EKS environment; environments/<env>.tfvars sets them. Those passed on to
# modules/policy as they are are validated there (the comment says so), once. Some are shaped like
# the single host's (terraform/variables.tf) by design: each root declares its own inputs.

# environment, aws_region, aws_account_id and tags: providers.tf (a link to ../providers.tf).

# ---- Network --------------------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "The VPC's /16 (staging 10.1.0.0/16, production 10.2.0.0/16: argocd/values/<env>.yaml names its cache and database blocks)."
  type        = string
  # no validation: modules/policy validates vpc_cidr.
}

variable "availability_zones" {
  description = "The three availability zones."
  type        = list(string)
  # no validation: modules/policy validates availability_zones.
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per zone (true, production) or one for the VPC (false, staging: about $70 a month less, and a zone outage cuts the other zones' way out)."
  type        = bool
}

variable "load_balancer_ingress_cidrs" {
  description = "Who may reach the pages through the public load balancer. 0.0.0.0/0 only with allow_ingress_from_anywhere."
  type        = list(string)
  # no validation: modules/policy validates load_balancer_ingress_cidrs.
}

variable "allow_ingress_from_anywhere" {
  description = "Explicit consent to publish the pages to the whole internet (0.0.0.0/0, ::/0)."
  type        = bool
  default     = false
}

# ---- Cluster --------------------------------------------------------------------------------------

variable "kubernetes_version" {
  description = "Kubernetes version of the control plane and the nodes."
  type        = string
  # no validation: modules/eks-cluster validates kubernetes_version.
}

variable "cluster_endpoint_public_cidrs" {
  description = "Who may reach the Kubernetes API from outside the VPC (operators, CI); empty: private endpoint only."
  type        = list(string)
  # no validation: modules/policy validates cluster_endpoint_public_cidrs.
}

variable "admin_role_arns" {
  description = "IAM roles that administer the cluster (access entries with AmazonEKSClusterAdminPolicy)."
  type        = list(string)
  # no validation: modules/policy validates admin_role_arns.
}

variable "node_groups" {
  description = "Managed node groups by name, each { instance_types, capacity_type, min_size, max_size, desired_size, disk_size_gib } (docs/capacity.md: how many nodes a rate needs)."
  type        = map(any)
  # no validation: modules/eks-cluster holds the object type and validates node_groups.
}

variable "addon_versions" {
  description = "Pinned EKS add-on versions (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent); missing ones take EKS's default."
  type        = map(string)
  default     = {}
  # no validation: modules/eks-cluster validates addon_versions.
}

variable "log_retention_days" {
  description = "Days the control plane logs, the VPC's flow logs and RDS's logs are kept in CloudWatch Logs."
  type        = number
  default     = 90
  # no validation: modules/eks-cluster validates log_retention_days.
}

# ---- What the app opens (keep equal to argocd/values/<env>.yaml) ---------------------------------

variable "worker_max_replicas" {
  description = "worker.keda.maxReplicaCount of the environment's values."
  type        = number
  # no validation: modules/policy validates worker_max_replicas.
}

variable "worker_concurrency" {
  description = "worker.concurrency of the environment's values (WORKER_CONCURRENCY)."
  type        = number
  default     = 2
  # no validation: modules/policy validates worker_concurrency.
}

variable "result_max_replicas" {
  description = "result.autoscaling.maxReplicas of the environment's values."
  type        = number
  # no validation: modules/policy validates result_max_replicas.
}

# ---- Data stores ----------------------------------------------------------------------------------

variable "db_instance_class" {
  description = "RDS instance class (refused if it cannot hold the app's connections at full scale)."
  type        = string
  # no validation: modules/policy validates db_instance_class against the connection budget.
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (the point-in-time recovery window)."
  type        = number
  default     = 14
  # no validation: modules/policy validates db_backup_retention_days.
}

variable "db_allocated_storage_gib" {
  description = "Initial gp3 storage of RDS in GiB."
  type        = number
  default     = 50
  # no validation: modules/rds-postgres validates allocated_storage_gib.
}

variable "db_max_allocated_storage_gib" {
  description = "Ceiling of RDS storage autoscaling in GiB."
  type        = number
  default     = 500
  # no validation: modules/rds-postgres validates max_allocated_storage_gib.
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  # no validation: modules/policy validates redis_node_type.
}

variable "redis_replicas" {
  description = "Replicas of the Redis primary (1-5)."
  type        = number
  default     = 2
  # no validation: modules/policy validates redis_replicas.
}

# ---- Secrets, buckets -----------------------------------------------------------------------------

variable "secret_version" {
  description = "Version of the generated Redis AUTH token and the app's login passwords; increase it to rotate them (terraform/README.md, EKS: rotation)."
  type        = number
  default     = 1
  # no validation: modules/secret validates secret_version.
}

variable "backup_bucket_name" {
  description = "Bucket of the logical backups the backup job writes (DNS-safe)."
  type        = string
  # no validation: modules/policy validates backup_bucket_name.
}

variable "log_bucket_name" {
  description = "Bucket of the backup bucket's access logs (DNS-safe)."
  type        = string
  # no validation: modules/policy validates log_bucket_name.
}

variable "backup_expiration_days" {
  description = "Age in days at which a logical backup expires."
  type        = number
  default     = 365
  # no validation: modules/policy validates backup_expiration_days.
}
