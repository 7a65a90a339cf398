# One EKS environment of the voting app, next to the single Docker host (../): a VPC over three
# zones, an EKS cluster with managed node groups, RDS PostgreSQL 15 Multi-AZ, ElastiCache Redis 7
# with replicas, the secrets External Secrets hands to the chart, the roles of External Secrets
# (IRSA) and of the backup job (EKS Pod Identity), and the backup bucket. The decisions are made in
# ../modules/policy (platform "eks"), which has no provider and is tested offline; the other modules only turn
# them into resources. What runs in the cluster (KEDA, External Secrets, Argo CD, the chart through
# Argo CD) is installed by install.sh (terraform/README.md, "EKS").

data "aws_partition" "current" {}

# ---- Key and secrets ----

module "kms" {
  source = "../modules/kms-key"

  name        = local.name
  description = "${local.name}: RDS storage and its master secret, ElastiCache at rest, the app's secrets, Kubernetes Secrets, the backup bucket, the log groups"
  policy_json = module.policy.kms_key_policy_json
}

# The Redis AUTH token, in the name and property the chart reads (argocd/values/<env>.yaml:
# voting-app/<env>/redis, auth-token). ElastiCache gets it from this secret (module.redis).
module "redis_auth" {
  source = "../modules/secret"

  name           = "voting-app/${var.environment}/redis"
  description    = "AUTH token of ${local.name}'s ElastiCache replication group (JSON key auth-token)."
  keys           = ["auth-token"]
  kms_key_arn    = module.kms.arn
  secret_version = var.secret_version
}

# The app's PostgreSQL logins, one secret each (voting-app/<env>/postgres-<login>, key password), which
# the chart's External Secrets reads. The master user is the operator's and the roles Job's only; the
# roles Job creates these roles and sets their passwords from these secrets (terraform/README.md,
# "EKS": first install, rotation).
module "db_login_password" {
  source   = "../modules/secret"
  for_each = local.db_logins

  name           = "voting-app/${var.environment}/postgres-${each.key}"
  description    = "Password of the PostgreSQL login ${each.value} (JSON key password)."
  keys           = ["password"]
  kms_key_arn    = module.kms.arn
  secret_version = var.secret_version
}

moved {
  from = module.result_db_password
  to   = module.db_login_password["result"]
}

# ---- The decisions ----

# The deployment's identity is passed as terraform/main.tf passes it: each root calls the module itself.
module "policy" {
  source = "../modules/policy"

  platform                      = "eks"
  environment                   = var.environment
  name                          = local.name
  aws_partition                 = data.aws_partition.current.partition
  aws_region                    = var.aws_region
  aws_account_id                = var.aws_account_id
  vpc_cidr                      = var.vpc_cidr
  availability_zones            = var.availability_zones
  cluster_endpoint_public_cidrs = var.cluster_endpoint_public_cidrs
  ingress_cidrs                 = var.load_balancer_ingress_cidrs
  allow_ingress_from_anywhere   = var.allow_ingress_from_anywhere
  app_namespace                 = local.namespace
  oidc_provider_arn             = module.eks.oidc_provider_arn
  admin_role_arns               = var.admin_role_arns
  worker_max_replicas           = var.worker_max_replicas
  worker_concurrency            = var.worker_concurrency
  result_max_replicas           = var.result_max_replicas
  db_instance_class             = var.db_instance_class
  db_backup_retention_days      = var.db_backup_retention_days
  redis_node_type               = var.redis_node_type
  redis_replicas                = var.redis_replicas
  kms_key_arn                   = module.kms.arn
  app_secret_arns               = concat([module.rds.master_user_secret_arn, module.redis_auth.arn], values(module.db_login_password)[*].arn)
  backup_bucket_name            = var.backup_bucket_name
  log_bucket_name               = var.log_bucket_name
  backup_expiration_days        = var.backup_expiration_days
}

# ---- Network and cluster ----

module "vpc" {
  source = "../modules/vpc"

  name                       = module.policy.name
  cluster_name               = local.name
  vpc_cidr                   = var.vpc_cidr
  nat_gateway_per_az         = var.nat_gateway_per_az
  region                     = var.aws_region
  endpoint_security_group_id = module.security_group["endpoints"].id
  kms_key_arn                = module.kms.arn
  log_retention_days         = var.log_retention_days

  policy = {
    subnets             = module.policy.subnets
    interface_endpoints = module.policy.interface_endpoints
    gateway_endpoints   = module.policy.gateway_endpoints
    flow_log            = module.policy.flow_log
    flow_log_role       = module.policy.roles.flow_logs
  }
}

module "eks" {
  source = "../modules/eks-cluster"

  name               = module.policy.name
  kubernetes_version = var.kubernetes_version
  subnet_ids         = module.vpc.subnet_ids.nodes
  log_retention_days = var.log_retention_days
  kms_key_arn        = module.kms.arn
  node_groups        = var.node_groups
  addon_versions     = var.addon_versions

  policy = {
    cluster_access          = module.policy.cluster_access
    cluster_log_types       = module.policy.cluster_log_types
    roles                   = { for role in ["cluster", "node"] : role => module.policy.roles[role] }
    admin_role_arns         = module.policy.admin_role_arns
    admin_access_policy_arn = module.policy.admin_access_policy_arn
  }
}

# ---- Security groups of the data stores and the VPC endpoints ----

# Each takes its port from the cluster security group (every managed node, hence every pod, carries
# it) and from nothing else: no CIDR, no egress.
module "security_group" {
  source = "../modules/security-group"
  for_each = {
    postgres = {
      description = "RDS PostgreSQL of ${module.policy.name}: its port from the cluster's nodes only, no egress"
      rules       = module.policy.postgres_ingress_rules
    }
    redis = {
      description = "ElastiCache Redis of ${module.policy.name}: its port from the cluster's nodes only, no egress"
      rules       = module.policy.redis_ingress_rules
    }
    endpoints = {
      description = "Interface endpoints of ${module.policy.name}: HTTPS from the cluster's nodes only"
      rules       = module.policy.endpoint_ingress_rules
    }
  }

  name        = "${module.policy.name}-${each.key}"
  description = each.value.description
  vpc_id      = module.vpc.vpc_id
  rules       = { ingress = each.value.rules }
  peers       = { nodes = module.eks.cluster_security_group_id }
  peers_only  = true
}

# One moved block per resource, alike by design: Terraform has no other way to keep an object.
# Where the groups were before modules/security-group: inside modules/rds-postgres,
# modules/elasticache-redis and modules/vpc (an existing environment keeps them).
moved {
  from = module.rds.aws_security_group.this
  to   = module.security_group["postgres"].aws_security_group.this
}
moved {
  from = module.rds.aws_vpc_security_group_ingress_rule.this
  to   = module.security_group["postgres"].aws_vpc_security_group_ingress_rule.this
}
moved {
  from = module.redis.aws_security_group.this
  to   = module.security_group["redis"].aws_security_group.this
}
moved {
  from = module.redis.aws_vpc_security_group_ingress_rule.this
  to   = module.security_group["redis"].aws_vpc_security_group_ingress_rule.this
}
moved {
  from = module.vpc.aws_security_group.endpoints
  to   = module.security_group["endpoints"].aws_security_group.this
}
moved {
  from = module.vpc.aws_vpc_security_group_ingress_rule.endpoints
  to   = module.security_group["endpoints"].aws_vpc_security_group_ingress_rule.this
}

# ---- Data stores ----

module "rds" {
  source = "../modules/rds-postgres"

  name                      = module.policy.name
  subnet_ids                = module.vpc.subnet_ids.database
  security_group_id         = module.security_group["postgres"].id
  settings                  = module.policy.postgres_settings
  parameters                = module.policy.postgres_parameters
  port                      = 5432
  allocated_storage_gib     = var.db_allocated_storage_gib
  max_allocated_storage_gib = var.db_max_allocated_storage_gib
  log_retention_days        = var.log_retention_days
}

module "redis" {
  source = "../modules/elasticache-redis"

  name                  = module.policy.name
  subnet_ids            = module.vpc.subnet_ids.cache
  security_group_id     = module.security_group["redis"].id
  settings              = module.policy.redis_settings
  parameters            = module.policy.redis_parameters
  port                  = 6379
  auth_token_secret_arn = module.redis_auth.arn
  auth_token_version    = var.secret_version
}

# ---- Workload identities ----

# External Secrets' SecretStore (IRSA): the name argocd/values/<env>.yaml gives as externalSecrets.roleArn.
module "secrets_role" {
  source = "../modules/iam-role"

  name = "voting-app-${var.environment}-secrets"
  role = module.policy.workload_roles.external_secrets
}

# The backup job (issue 13) through EKS Pod Identity: its ServiceAccount in the app's namespace.
module "backup_role" {
  source = "../modules/iam-role"

  name = "${local.name}-backup"
  role = module.policy.workload_roles.backup
  pod_identity = {
    cluster_name    = module.eks.name
    namespace       = local.namespace
    service_account = module.policy.backup_service_account
  }
}

# ---- Buckets ----

module "buckets" {
  source = "../modules/buckets"

  names       = { logs = var.log_bucket_name, backup = var.backup_bucket_name }
  kms_key_arn = module.kms.arn
  policy = {
    bucket_policy_json = module.policy.bucket_policy_json
    lifecycle_rules    = module.policy.lifecycle_rules
    access_log_prefix  = module.policy.access_log_prefix
  }
}

# Where the buckets were before modules/buckets (an existing environment keeps them).
# One moved block per resource, alike by design: Terraform has no other way to keep an object.
moved {
  from = module.log_bucket
  to   = module.buckets.module.log_bucket
}
moved {
  from = module.backup_bucket
  to   = module.buckets.module.bucket["backup"]
}
