# Offline tests of the EKS environment's decisions (platform = "eks"): `terraform test` in
# terraform/modules/policy (no provider, no AWS account). Each run plans the module with the inputs
# below and checks its outputs.

variables {
  platform                      = "eks"
  environment                   = "production"
  name                          = "voting-app-eks-test"
  aws_region                    = "eu-west-1"
  aws_account_id                = "123456789012"
  vpc_cidr                      = "10.2.0.0/16"
  availability_zones            = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  cluster_endpoint_public_cidrs = ["203.0.113.0/24"]
  ingress_cidrs                 = ["203.0.113.0/24", "2001:db8::/32"]
  app_namespace                 = "voting-production"
  oidc_provider_arn             = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
  admin_role_arns               = ["arn:aws:iam::123456789012:role/platform-admin"]
  worker_max_replicas           = 20
  result_max_replicas           = 20
  db_instance_class             = "db.r7g.large"
  redis_node_type               = "cache.r7g.large"
  kms_key_arn                   = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
  app_secret_arns = [
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/production/redis-AbCdEf",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/production/postgres-owner-AbCdEf",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/production/postgres-worker-AbCdEf",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/production/postgres-result-AbCdEf",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/production/postgres-monitor-AbCdEf",
  ]
  backup_bucket_name = "voting-app-eks-test-backups"
  log_bucket_name    = "voting-app-eks-test-s3-logs"
}

# ---- No data store reachable from outside the VPC ----

run "data_stores_only_from_the_nodes" {
  command = plan

  assert {
    condition = alltrue([
      for r in values(merge(output.redis_ingress_rules, output.postgres_ingress_rules)) :
      r.cidr == null && r.peer == "nodes"
    ])
    error_message = "A data store's ingress rule names a CIDR or another group: only the nodes' group may reach Redis and PostgreSQL."
  }

  assert {
    condition     = length(output.data_store_cidr_rules) == 0 && length(output.data_egress_rules) == 0
    error_message = "The data stores have a CIDR ingress rule or an egress rule."
  }

  assert {
    condition = (
      [for r in values(output.redis_ingress_rules) : [r.from_port, r.to_port]] == [[6379, 6379]]
      && [for r in values(output.postgres_ingress_rules) : [r.from_port, r.to_port]] == [[5432, 5432]]
    )
    error_message = "Redis must open 6379 only and PostgreSQL 5432 only."
  }

  assert {
    condition     = alltrue([for r in values(output.all_ingress_rules) : r.cidr == null && r.peer == "nodes" && length(r.description) > 0])
    error_message = "Every private group (data stores, endpoints) takes traffic from the nodes only, each rule described."
  }

  assert {
    condition     = output.postgres_settings.publicly_accessible == false
    error_message = "RDS must not be publicly accessible."
  }
}

run "subnets_private_by_tier" {
  command = plan

  # The chart's network policies (argocd/values/production.yaml) name these blocks.
  assert {
    condition     = output.tier_cidrs.cache == "10.2.32.0/20" && output.tier_cidrs.database == "10.2.48.0/20"
    error_message = "The cache and database tiers moved: argocd/values/<env>.yaml redis.cidrs and postgresql.cidrs name 10.x.32.0/20 and 10.x.48.0/20."
  }

  assert {
    condition = alltrue([
      for tier, list in output.subnets : length(list) == 3 && length(distinct([for s in list : s.az])) == 3
    ])
    error_message = "Every tier needs one subnet in each of the three zones."
  }

  assert {
    condition     = length(distinct(flatten([for tier, list in output.subnets : [for s in list : s.cidr]]))) == 12
    error_message = "Subnets overlap."
  }

  assert {
    condition     = output.subnets.nodes[0].cidr == "10.2.128.0/19"
    error_message = "Nodes and pods need large subnets (a /19 per zone: the VPC CNI gives every pod an address)."
  }
}

run "load_balancer_open_with_consent" {
  command = plan

  variables {
    ingress_cidrs               = ["0.0.0.0/0", "::/0"]
    allow_ingress_from_anywhere = true
  }

  assert {
    condition     = toset(output.load_balancer_ingress_cidrs) == toset(["0.0.0.0/0", "::/0"])
    error_message = "With consent the load balancer is open to the internet, as asked."
  }

  # Consent for the pages changes nothing for the data stores.
  assert {
    condition     = alltrue([for r in values(output.all_ingress_rules) : r.cidr == null])
    error_message = "allow_ingress_from_anywhere opened a private group."
  }
}

# ---- TLS everywhere ----

run "tls_everywhere" {
  command = plan

  assert {
    condition     = contains([for p in output.postgres_parameters : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "rds.force_ssl=1 is missing: PostgreSQL would accept clients without TLS."
  }

  assert {
    condition     = contains([for p in output.postgres_parameters : "${p.name}=${p.value}"], "ssl_min_protocol_version=TLSv1.2")
    error_message = "PostgreSQL must refuse TLS older than 1.2."
  }

  assert {
    condition = (
      output.redis_settings.transit_encryption_enabled == true
      && output.redis_settings.transit_encryption_mode == "required"
      && output.redis_settings.auth_token_required == true
    )
    error_message = "Redis must require TLS (transit encryption mode required) and an AUTH token."
  }

  assert {
    condition = alltrue([
      for b, doc in output.bucket_policy_json : length([
        for s in jsondecode(doc).Statement : s
        if s.Effect == "Deny" && s.Action == "s3:*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"
      ]) == 1
    ])
    error_message = "Every bucket must deny requests without TLS."
  }
}

# ---- Encryption, failover, backups ----

run "postgres_managed_and_safe" {
  command = plan

  assert {
    condition = (
      output.postgres_settings.multi_az && output.postgres_settings.storage_encrypted
      && output.postgres_settings.kms_key_arn == var.kms_key_arn
      && output.postgres_settings.deletion_protection
      && output.postgres_settings.backup_retention_period >= 7
      && output.postgres_settings.manage_master_user_password
      && output.postgres_settings.master_user_secret_kms_key_arn == var.kms_key_arn
      && output.postgres_settings.skip_final_snapshot == false
      && output.postgres_settings.engine_major_version == "15"
    )
    error_message = "RDS must be PostgreSQL 15, Multi-AZ, encrypted with the project's key, deletion-protected, with automated backups (PITR), a final snapshot, and its master password managed by RDS in Secrets Manager under the project's key."
  }
}

run "postgres_sized_for_the_pools" {
  command = plan

  # 20 workers x (1 admin + 2 lanes) + 20 result pods x 2 = 100, x1.25 for a rollout = 125,
  # + 10 for operators + 3 reserved = 138, rounded up to 140.
  assert {
    condition     = output.connections.app_with_surge == 125 && output.max_connections == 140
    error_message = "The connection budget is not workers x (1 + concurrency) + results x 2, with surge, operators and reserved."
  }

  assert {
    condition     = contains([for p in output.postgres_parameters : "${p.name}=${p.value}"], "max_connections=140")
    error_message = "The parameter group does not carry the computed max_connections."
  }

  assert {
    condition     = output.max_connections <= output.db_default_max_connections
    error_message = "The budget exceeds what the instance class holds."
  }
}

run "postgres_budget_follows_concurrency" {
  command = plan

  variables {
    worker_concurrency  = 8
    worker_max_replicas = 10
  }

  # 10 x 9 + 20 x 2 = 130, x1.25 = 162.5 -> 163, + 13 = 176 -> 180.
  assert {
    condition     = output.max_connections == 180
    error_message = "The budget does not follow WORKER_CONCURRENCY."
  }
}

run "postgres_class_too_small_for_the_pools" {
  command = plan

  variables {
    db_instance_class   = "db.t4g.medium"
    worker_max_replicas = 200
  }

  expect_failures = [var.db_instance_class]
}

run "redis_replicated_not_clustered" {
  command = plan

  assert {
    condition = (
      output.redis_settings.cluster_mode == "disabled" && output.redis_settings.num_node_groups == 1
      && output.redis_settings.replicas_per_node_group >= 1
      && output.redis_settings.automatic_failover_enabled && output.redis_settings.multi_az_enabled
      && output.redis_settings.at_rest_encryption_enabled && output.redis_settings.kms_key_arn == var.kms_key_arn
    )
    error_message = "Redis must be one shard (cluster mode disabled: one list, multi-key scripts) with replicas, automatic failover, Multi-AZ, encrypted at rest with the project's key."
  }

  assert {
    condition     = [for p in output.redis_parameters : "${p.name}=${p.value}" if p.name == "maxmemory-policy"] == ["maxmemory-policy=noeviction"]
    error_message = "maxmemory-policy must be noeviction: a full Redis must refuse votes, never evict queued ones."
  }
}

run "redis_needs_a_replica" {
  command = plan

  variables {
    redis_replicas = 0
  }

  expect_failures = [var.redis_replicas]
}

# ---- EKS ----

run "cluster_access_and_logging" {
  command = plan

  assert {
    condition     = toset(output.cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"])
    error_message = "Every control plane log type must be on."
  }

  assert {
    condition = (
      output.cluster_access.authentication_mode == "API"
      && output.cluster_access.bootstrap_cluster_creator_admin_permissions == false
      && output.cluster_access.endpoint_private_access
    )
    error_message = "Access entries only (authentication mode API, no aws-auth ConfigMap), no implicit admin for the creator, a private endpoint."
  }

  assert {
    condition     = toset(output.cluster_access.public_access_cidrs) == toset(["203.0.113.0/24"])
    error_message = "The public endpoint must be limited to cluster_endpoint_public_cidrs."
  }
}

run "cluster_private_only" {
  command = plan

  variables {
    cluster_endpoint_public_cidrs = []
  }

  assert {
    condition     = output.cluster_access.endpoint_public_access == false
    error_message = "Without public CIDRs the API must have no public endpoint."
  }
}

run "cluster_api_never_open" {
  command = plan

  variables {
    cluster_endpoint_public_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.cluster_endpoint_public_cidrs]
}

# ---- IAM: no wildcard ----

run "iam_no_wildcards" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for doc in [output.workload_roles.external_secrets.policy_json, output.workload_roles.backup.policy_json] : [
        for s in jsondecode(doc).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]
      ]
    ]))
    error_message = "An IAM action has a wildcard."
  }

  # The only "*" in an Allow's resource: the object-key prefixes of our backup bucket.
  assert {
    condition = alltrue(flatten([
      for doc in [output.workload_roles.external_secrets.policy_json, output.workload_roles.backup.policy_json] : [
        for s in jsondecode(doc).Statement : [
          for r in flatten([s.Resource]) : !strcontains(r, "*") || contains([
            "arn:aws:s3:::voting-app-eks-test-backups/backups/*",
            "arn:aws:s3:::voting-app-eks-test-backups/backups/*.manifest.json",
          ], r)
        ] if s.Effect == "Allow"
      ]
    ]))
    error_message = "An Allow statement has a wildcard resource."
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(output.workload_roles.external_secrets.policy_json).Statement : s.Resource
      if contains(flatten([s.Action]), "secretsmanager:GetSecretValue")
    ])) == toset(var.app_secret_arns)
    error_message = "External Secrets may read exactly the stack's secrets."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.workload_roles.external_secrets.policy_json).Statement :
      s.Condition.StringEquals["kms:ViaService"] == "secretsmanager.eu-west-1.amazonaws.com"
      if contains(flatten([s.Action]), "kms:Decrypt")
    ])
    error_message = "External Secrets may decrypt only through Secrets Manager."
  }

  assert {
    condition = length([
      for s in jsondecode(output.workload_roles.backup.policy_json).Statement : s
      if s.Effect == "Deny" && contains(s.Action, "s3:DeleteObject") && contains(s.Action, "s3:DeleteObjectVersion")
    ]) == 1
    error_message = "The backup job's explicit Deny of deletes is missing."
  }
}

run "trust_policies_exact" {
  command = plan

  assert {
    condition = jsondecode(output.workload_roles.external_secrets.assume_role_policy_json).Statement[0].Condition.StringEquals == {
      "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub" = "system:serviceaccount:voting-production:voting-app-aws"
      "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:aud" = "sts.amazonaws.com"
    }
    error_message = "The External Secrets role must trust exactly the SecretStore's ServiceAccount in the app's namespace, audience sts.amazonaws.com."
  }

  assert {
    condition = alltrue([
      for doc in [output.roles.cluster.assume_role_policy_json, output.roles.node.assume_role_policy_json, output.workload_roles.backup.assume_role_policy_json] :
      jsondecode(doc).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    ])
    error_message = "Service trust policies must be limited to this account (aws:SourceAccount)."
  }

  assert {
    condition     = jsondecode(output.workload_roles.backup.assume_role_policy_json).Statement[0].Principal.Service == "pods.eks.amazonaws.com"
    error_message = "The backup role must be assumable through EKS Pod Identity."
  }

  assert {
    condition = toset(output.roles.node.managed_policy_arns) == toset([
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ])
    error_message = "The node role's managed policies changed: review the new one before allowing it here."
  }
}

# Each input's own validation refuses it (expect_failures needs every one listed to fail).
run "wildcards_open_load_balancer_and_small_vpc_refused" {
  command = plan

  variables {
    app_secret_arns = ["*"]                                # wildcard secret
    admin_role_arns = ["arn:aws:iam::123456789012:role/*"] # wildcard role
    vpc_cidr        = "10.2.0.0/24"                        # not a /16
    ingress_cidrs   = ["0.0.0.0/0"]                        # the whole internet without consent
  }

  expect_failures = [var.app_secret_arns, var.admin_role_arns, var.vpc_cidr, var.ingress_cidrs]
}

# ---- Logs: flow logs, encrypted log groups, IAM database authentication (issue 22) ----

run "logs_encrypted_flow_logs_on" {
  command = plan

  assert {
    condition = (
      output.flow_log.traffic_type == "ALL"
      && output.flow_log.log_group_name == output.log_group_names.flow_logs
      && output.log_group_names.control_plane == "/aws/eks/voting-app-eks-test/cluster"
    )
    error_message = "The VPC's flow logs must record all traffic into the environment's flow log group."
  }

  # The key: AWS's default statement, and CloudWatch Logs for exactly this environment's log groups.
  assert {
    condition = jsondecode(output.kms_key_policy_json).Statement[0] == {
      Sid       = "TheAccountAndItsIamPolicies"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:root" }
      Action    = "kms:*"
      Resource  = "*"
    }
    error_message = "The key policy's first statement must be AWS's default one (the account, through IAM)."
  }

  assert {
    condition = (
      length(jsondecode(output.kms_key_policy_json).Statement) == 2
      && jsondecode(output.kms_key_policy_json).Statement[1].Principal == { Service = "logs.eu-west-1.amazonaws.com" }
      && alltrue([for a in jsondecode(output.kms_key_policy_json).Statement[1].Action : startswith(a, "kms:") && !strcontains(a, "*")])
      && toset(jsondecode(output.kms_key_policy_json).Statement[1].Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]) == toset([
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/eks/voting-app-eks-test/cluster",
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/voting-app-eks-test/flow-logs",
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/instance/voting-app-eks-test/*",
      ])
    )
    error_message = "CloudWatch Logs must be let in for this environment's log groups only, with named actions."
  }

  assert {
    condition = (
      jsondecode(output.roles.flow_logs.assume_role_policy_json).Statement[0].Principal == { Service = "vpc-flow-logs.amazonaws.com" }
      && jsondecode(output.roles.flow_logs.assume_role_policy_json).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
      && jsondecode(output.roles.flow_logs.policy_json).Statement[0].Resource == ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/voting-app-eks-test/flow-logs:*"]
      && alltrue([for a in jsondecode(output.roles.flow_logs.policy_json).Statement[0].Action : startswith(a, "logs:") && !strcontains(a, "*")])
    )
    error_message = "The flow logs' role must be VPC Flow Logs' of this account, writing into the flow log group only."
  }

  assert {
    condition = (
      output.postgres_settings.iam_database_authentication_enabled
      && contains([for p in output.postgres_parameters : "${p.name}=${p.value}"], "log_statement=ddl")
    )
    error_message = "RDS must have IAM database authentication on and log schema changes."
  }
}

# ---- One module, two platforms: each one's inputs required there, its outputs only there ----
# (The mirror of tests/policy.tftest.hcl's runs, shaped alike: each file's variables are one platform's.)

run "docker_host_inputs_required_on_the_host" {
  command = plan

  variables {
    platform = "docker-host"
  }

  expect_failures = [
    var.instance_type, var.data_volume_id, var.compose_sha256, var.artifacts_bucket_name, var.secret_arn,
    var.image_repository, var.image_digests, var.bundle_key, var.bundle_sha256,
  ]
}

run "db_instance_class_required_on_eks" {
  command = plan

  variables {
    db_instance_class = null
  }

  expect_failures = [var.db_instance_class]
}

run "nothing_of_the_host_on_eks" {
  command = plan

  assert {
    condition = (
      output.user_data == null && output.secrets_fetch_script == null && !contains(keys(output.roles), "instance")
      && length(output.host_ingress_rules) == 0 && length(output.host_egress_rules) == 0
      && toset(keys(output.bucket_policy_json)) == toset(["backup", "logs"])
      && toset(keys(output.lifecycle_rules)) == toset(["backup", "logs"])
    )
    error_message = "The EKS platform must get no host policy, rule, script or artifacts bucket."
  }
}
