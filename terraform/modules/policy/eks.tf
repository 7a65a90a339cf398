# The EKS environment's decisions (platform = "eks"; null or empty on the Docker host): the subnet
# layout, security group rules, cluster access and logging, IAM documents, RDS and ElastiCache settings
# and the connection budget. The AWS modules (vpc, eks-cluster, rds-postgres, elasticache-redis,
# iam-role) only turn these values into resources.

locals {
  # ---- Subnets: three zones, four tiers ----
  # Redis and PostgreSQL get tiers of their own, so the chart's network policies can name them
  # (argocd/values/<env>.yaml: redis.cidrs and postgresql.cidrs are these /20 blocks).
  tier_blocks = !local.on_eks ? null : {
    public   = cidrsubnet(var.vpc_cidr, 4, 0) # 10.x.0.0/20: the load balancer and the NAT gateways only
    cache    = cidrsubnet(var.vpc_cidr, 4, 2) # 10.x.32.0/20: ElastiCache
    database = cidrsubnet(var.vpc_cidr, 4, 3) # 10.x.48.0/20: RDS
    nodes    = cidrsubnet(var.vpc_cidr, 1, 1) # 10.x.128.0/17: nodes and pods (the VPC CNI gives pods VPC addresses)
  }
  subnets = !local.on_eks ? null : {
    for tier, block in local.tier_blocks : tier => [
      for i, az in var.availability_zones : {
        az   = az
        cidr = cidrsubnet(block, 2, i)
      }
    ]
  }

  # ---- Security group rules ----
  # Written as network.tf's (one TCP port; a CIDR or a peer group, never both). The peer
  # "nodes" is the EKS cluster security group, which managed node groups (and so every pod, with the
  # VPC CNI) carry. The data stores take their one port from it and from nothing else, and have no
  # egress rule at all (answers to accepted connections pass anyway: groups are stateful).
  data_rule_specs = {
    redis_ingress = { "redis-from-nodes" = {
      description = "Redis (${var.redis_port}/tcp, TLS) from the cluster's nodes and pods only", port = var.redis_port, peer = "nodes"
    } }
    postgres_ingress = { "postgres-from-nodes" = {
      description = "PostgreSQL (${var.postgres_port}/tcp, TLS) from the cluster's nodes and pods only", port = var.postgres_port, peer = "nodes"
    } }
    # The interface endpoints (ECR, STS, Secrets Manager, ...) answer HTTPS to the nodes only.
    endpoint_ingress = { "https-from-nodes" = {
      description = "HTTPS to the AWS API endpoints from the cluster's nodes and pods only", port = 443, peer = "nodes"
    } }
  }
  redis_ingress_rules    = local.tcp_rules.redis_ingress
  postgres_ingress_rules = local.tcp_rules.postgres_ingress
  endpoint_ingress_rules = local.tcp_rules.endpoint_ingress
  data_egress_rules      = {}

  # Interface endpoints that take the image pulls, token exchanges and secret reads off the NAT
  # gateways (S3, where ECR keeps the layers, is a free gateway endpoint). eks-auth serves EKS Pod
  # Identity's credentials.
  interface_endpoints = ["ecr.api", "ecr.dkr", "sts", "secretsmanager", "eks-auth", "logs"]
  gateway_endpoints   = ["s3"]

  # ---- EKS ----
  cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  cluster_access = !local.on_eks ? null : {
    # Access entries only: the aws-auth ConfigMap is never read, and whoever runs the apply is not
    # made an admin behind anyone's back.
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
    endpoint_private_access                     = true
    endpoint_public_access                      = length(var.cluster_endpoint_public_cidrs) > 0
    public_access_cidrs                         = var.cluster_endpoint_public_cidrs
  }
  admin_access_policy_arn = "arn:${local.p}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  # AWS-managed policies of the cluster's and the nodes' roles: AWS's to keep narrow; the tests pin the
  # exact list.
  cluster_role_managed_policies = ["arn:${local.p}:iam::aws:policy/AmazonEKSClusterPolicy"]
  node_role_managed_policies = [
    "arn:${local.p}:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:${local.p}:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:${local.p}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
    "arn:${local.p}:iam::aws:policy/AmazonSSMManagedInstanceCore",
  ]

  # ---- Logs ----
  # The environment's log groups, all encrypted with the project's key: EKS and RDS require these
  # names; the flow logs' is ours.
  log_group_names = {
    control_plane = "/aws/eks/${var.name}/cluster"
    flow_logs     = "/aws/vpc/${var.name}/flow-logs"
    rds           = "/aws/rds/instance/${var.name}/"
  }
  log_group_arn_prefix = "arn:${local.p}:logs:${var.aws_region}:${var.aws_account_id}:log-group:"
  flow_log = {
    traffic_type             = "ALL"
    max_aggregation_interval = 600 # seconds; 60 costs ten times the records for little more detail
    log_group_name           = local.log_group_names.flow_logs
  }

  # AWS's default key policy (the account, hence IAM policies, decide who uses the key), plus CloudWatch
  # Logs, which a key policy must name, for this environment's log groups only.
  kms_key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "TheAccountAndItsIamPolicies"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.p}:iam::${var.aws_account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsOfThisEnvironment"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.aws_region}.amazonaws.com" }
        Action = [
          "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
          "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = [
              "${local.log_group_arn_prefix}${local.log_group_names.control_plane}",
              "${local.log_group_arn_prefix}${local.log_group_names.flow_logs}",
              "${local.log_group_arn_prefix}${local.log_group_names.rds}*",
            ]
          }
        }
      },
    ]
  }

  # VPC Flow Logs deliver with a role of ours (trusted by this account's flow logs): into the one log group.
  flow_log_policy = {
    Version = "2012-10-17"
    Statement = [{
      # ":*" is the group's log streams, which the service names itself.
      Sid      = "WriteTheFlowLogGroup"
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"]
      Resource = ["${local.log_group_arn_prefix}${local.log_group_names.flow_logs}:*"]
    }]
  }

  # ---- Workload identities ----
  oidc_issuer = !local.on_eks ? null : replace(var.oidc_provider_arn, "/^arn:[^:]+:iam::[0-9]+:oidc-provider\\//", "")

  # External Secrets, with IRSA: the chart's SecretStore asks a token for its own ServiceAccount
  # (auth.jwt.serviceAccountRef), so the role trusts exactly that one, in that one namespace.
  external_secrets_assume_role_policy = !local.on_eks ? null : {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "TheSecretStoreServiceAccountOnly"
      Effect    = "Allow"
      Principal = { Federated = var.oidc_provider_arn }
      Action    = ["sts:AssumeRoleWithWebIdentity"]
      Condition = {
        StringEquals = {
          "${local.oidc_issuer}:sub" = "system:serviceaccount:${var.app_namespace}:${var.external_secrets_service_account}"
          "${local.oidc_issuer}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  }
  external_secrets_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadTheStackSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
        Resource = sort(coalesce(var.app_secret_arns, []))
      },
      {
        Sid       = "DecryptThroughSecretsManager"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.kms_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = local.via_sm } }
      },
    ]
  }

  # The backup job, with EKS Pod Identity (the pod uses the SDK's default chain: no annotation, no
  # token audience to get right). The same rights as the single host's backups: write under
  # backups/, list it, read manifests, never read a dump or delete anything.
  backup_policy = {
    Version = "2012-10-17"
    Statement = concat(local.backup_statements, [{
      Sid       = "EncryptBackupsThroughS3"
      Effect    = "Allow"
      Action    = ["kms:GenerateDataKey", "kms:Decrypt"]
      Resource  = [var.kms_key_arn]
      Condition = { StringEquals = { "kms:ViaService" = local.via_s3 } }
    }])
  }

  # ---- PostgreSQL: the connection budget and the parameter group ----
  db_instance_memory_gib = {
    "db.t4g.medium" = 4, "db.t4g.large" = 8,
    "db.m7g.large"  = 8, "db.m7g.xlarge" = 16, "db.m7g.2xlarge" = 32, "db.m7g.4xlarge" = 64,
    "db.r7g.large"  = 16, "db.r7g.xlarge" = 32, "db.r7g.2xlarge" = 64, "db.r7g.4xlarge" = 128, "db.r7g.8xlarge" = 256, "db.r7g.16xlarge" = 512,
  }
  # Per pod, from the code: a worker opens one admin connection plus one per lane
  # (WorkerVerticle: PgLink of size 1 each); a result pod one pooled connection for the tally plus
  # one LISTEN connection (TallyFeed); vote opens none.
  connections = !local.on_eks ? null : {
    per_worker     = 1 + var.worker_concurrency
    per_result     = 2
    per_vote       = 0
    workers        = var.worker_max_replicas * (1 + var.worker_concurrency)
    results        = var.result_max_replicas * 2
    app_with_surge = ceil((var.worker_max_replicas * (1 + var.worker_concurrency) + var.result_max_replicas * 2) * (100 + var.rollout_surge_percent) / 100)
    operators      = var.operator_connections
    reserved       = 3 # superuser_reserved_connections: rdsadmin and the master user in an emergency
  }
  # Rounded up to a multiple of 10, so small changes of replicas do not reboot the database
  # (max_connections is static: it takes effect at the next reboot).
  connections_needed = !local.on_eks ? null : local.connections.app_with_surge + local.connections.operators + local.connections.reserved
  max_connections    = !local.on_eks ? null : ceil(local.connections_needed / 10) * 10
  # AWS's default for the class: LEAST(DBInstanceClassMemory/9531392, 5000), DBInstanceClassMemory
  # being about 90% of the class's memory. The variable's validation refuses a class under the budget.
  db_class_max_connections   = { for c, gib in local.db_instance_memory_gib : c => min(5000, floor(gib * 0.9 * 1073741824 / 9531392)) }
  db_default_max_connections = !local.on_eks ? null : lookup(local.db_class_max_connections, var.db_instance_class, 0)

  postgres_parameters = !local.on_eks ? null : [
    { name = "rds.force_ssl", value = "1", apply_method = "immediate" },
    { name = "ssl_min_protocol_version", value = "TLSv1.2", apply_method = "immediate" },
    { name = "password_encryption", value = "scram-sha-256", apply_method = "immediate" },
    { name = "max_connections", value = tostring(local.max_connections), apply_method = "pending-reboot" },
    # A session idle in a transaction holds the tally rows' locks and blocks every batch: cut it.
    { name = "idle_in_transaction_session_timeout", value = "60000", apply_method = "immediate" },
    { name = "log_min_duration_statement", value = "1000", apply_method = "immediate" },
    # Schema changes (migrations, the roles job, an operator's DDL) are logged: a trail of who changed what.
    { name = "log_statement", value = "ddl", apply_method = "immediate" },
  ]

  postgres_settings = {
    engine                         = "postgres"
    engine_major_version           = "15"
    parameter_group_family         = "postgres15"
    multi_az                       = true
    storage_encrypted              = true
    kms_key_arn                    = var.kms_key_arn
    publicly_accessible            = false
    deletion_protection            = true
    backup_retention_period        = var.db_backup_retention_days
    manage_master_user_password    = true
    master_user_secret_kms_key_arn = var.kms_key_arn
    # On for the scanners' rule and as a way to short-lived tokens; the app's logins keep passwords.
    iam_database_authentication_enabled = true
    performance_insights_enabled        = true
    copy_tags_to_snapshot               = true
    skip_final_snapshot                 = false
    auto_minor_version_upgrade          = true
    enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
    instance_class                      = var.db_instance_class
  }

  # ---- Redis ----
  # Cluster mode disabled: the queue is one list and the worker's Lua scripts touch several keys
  # (queue, processing lists, registry, heartbeat, clock), which Redis Cluster refuses across slots.
  redis_settings = {
    engine                     = "redis"
    engine_version             = "7.1"
    parameter_group_family     = "redis7"
    cluster_mode               = "disabled"
    num_node_groups            = 1
    replicas_per_node_group    = var.redis_replicas
    automatic_failover_enabled = true
    multi_az_enabled           = true
    transit_encryption_enabled = true
    transit_encryption_mode    = "required"
    at_rest_encryption_enabled = true
    kms_key_arn                = var.kms_key_arn
    auth_token_required        = true
    node_type                  = var.redis_node_type
    snapshot_retention_limit   = 7
  }
  # noeviction: a full Redis refuses a new vote (503, the voter retries) instead of silently
  # evicting queued ones; ElastiCache's default is volatile-lru. No AOF: ElastiCache does not offer it
  # on Redis 7 (durability is the replicas plus REDIS_WAIT_REPLICAS).
  redis_parameters = [
    { name = "maxmemory-policy", value = "noeviction" },
  ]

  # What the tests look for, across every group of the environment.
  all_ingress = merge(
    { for k, r in local.redis_ingress_rules : "redis/${k}" => r },
    { for k, r in local.postgres_ingress_rules : "postgres/${k}" => r },
    { for k, r in local.endpoint_ingress_rules : "endpoints/${k}" => r },
  )
  data_store_cidr_rules = [for k, r in merge(local.redis_ingress_rules, local.postgres_ingress_rules) : k if r.cidr != null]
}
