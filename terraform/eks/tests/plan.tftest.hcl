# The EKS root, planned as `terraform plan -var-file=environments/<env>.tfvars` plans it, with a mocked
# AWS provider (no account, no network). terraform/checks/run.sh runs it once per environment:
#   terraform -chdir=terraform/eks test -var-file=environments/staging.tfvars   (and production.tfvars)
# Every assertion reads a planned resource (through the modules' `resources` outputs), never a variable.

# The mocked AWS provider's answers are shared with the single host's tests: ../tests/mocks/aws.tfmock.hcl.
mock_provider "aws" {
  source = "../tests/mocks"

  # What an apply would make (ARNs, ids) is known in the plan here, so the assertions can compare it.
  # A count or for_each that depends on such a value still fails as it does in a real plan.
  override_during = plan
}

# Each secret gets an ARN of its own, so the External Secrets policy can be compared with them
# (one block per secret: override_resource takes no for_each).
override_resource {
  target          = module.redis_auth.aws_secretsmanager_secret.this
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/env/redis-AbCdEf" }
}
override_resource {
  target          = module.db_login_password["owner"].aws_secretsmanager_secret.this
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/env/postgres-owner-AbCdEf" }
}
override_resource {
  target          = module.db_login_password["worker"].aws_secretsmanager_secret.this
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/env/postgres-worker-AbCdEf" }
}
override_resource {
  target          = module.db_login_password["result"].aws_secretsmanager_secret.this
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/env/postgres-result-AbCdEf" }
}
override_resource {
  target          = module.db_login_password["monitor"].aws_secretsmanager_secret.this
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/env/postgres-monitor-AbCdEf" }
}

run "network" {
  command = plan

  assert {
    condition     = alltrue([for s in values(module.vpc.resources.subnets) : !s.map_public_ip_on_launch])
    error_message = "A subnet gives public addresses to what starts in it."
  }

  assert {
    condition = (
      length(module.vpc.resources.default_security_group.ingress) == 0
      && length(module.vpc.resources.default_security_group.egress) == 0
    )
    error_message = "The VPC's default security group has rules: nothing may use it."
  }

  # Flow logs of the whole VPC, to a log group encrypted with the project's key.
  assert {
    condition = (
      module.vpc.resources.flow_log.vpc_id == module.vpc.vpc_id
      && module.vpc.resources.flow_log.traffic_type == "ALL"
      && module.vpc.resources.flow_log.log_destination_type == "cloud-watch-logs"
      && module.vpc.resources.flow_log.log_destination == module.vpc.resources.flow_log_group.arn
      && module.vpc.resources.flow_log_group.kms_key_id == module.kms.arn
      && module.vpc.resources.flow_log_group.retention_in_days == var.log_retention_days
    )
    error_message = "The VPC has no flow log of all its traffic to a KMS-encrypted log group."
  }

  # The flow log service may write into that one group, nothing else.
  assert {
    condition = alltrue([
      for s in jsondecode(module.vpc.resources.flow_log_role_policy.policy).Statement :
      alltrue([for a in flatten([s.Action]) : startswith(a, "logs:") && !strcontains(a, "*")])
    ])
    error_message = "The flow log role may do more than write logs."
  }

  assert {
    condition = alltrue([
      for r in values(module.security_group["endpoints"].resources.ingress) :
      r.cidr_ipv4 == null && r.cidr_ipv6 == null && r.referenced_security_group_id == module.eks.cluster_security_group_id
      && r.from_port == 443 && r.to_port == 443
    ])
    error_message = "The AWS API endpoints take traffic from elsewhere than the cluster's nodes, or on another port."
  }
}

run "cluster" {
  command = plan

  # The control plane logs, every type, to a log group encrypted with the project's key.
  assert {
    condition = (
      module.eks.resources.log_group.name == "/aws/eks/${module.eks.name}/cluster"
      && module.eks.resources.log_group.kms_key_id == module.kms.arn
      && module.eks.resources.log_group.retention_in_days == var.log_retention_days
    )
    error_message = "The control plane's log group is not encrypted with the project's key."
  }

  assert {
    condition = (
      toset(module.eks.resources.cluster.enabled_cluster_log_types) == toset(["api", "audit", "authenticator", "controllerManager", "scheduler"])
      && one(one(module.eks.resources.cluster.encryption_config).provider).key_arn == module.kms.arn
      && one(module.eks.resources.cluster.encryption_config).resources == toset(["secrets"])
    )
    error_message = "The cluster does not log every control plane type, or does not encrypt Secrets with the project's key."
  }

  assert {
    condition = (
      one(module.eks.resources.cluster.access_config).authentication_mode == "API"
      && !one(module.eks.resources.cluster.access_config).bootstrap_cluster_creator_admin_permissions
      && one(module.eks.resources.cluster.vpc_config).endpoint_private_access
      && one(module.eks.resources.cluster.vpc_config).endpoint_public_access == (length(var.cluster_endpoint_public_cidrs) > 0)
      && alltrue([for c in coalesce(one(module.eks.resources.cluster.vpc_config).public_access_cidrs, []) : !contains(["0.0.0.0/0", "::/0"], c)])
    )
    error_message = "The API is open without access entries, gives the creator admin, or is public beyond the given CIDRs."
  }

  assert {
    condition = alltrue([
      for t in values(module.eks.resources.launch_templates) :
      one(t.metadata_options).http_tokens == "required" && one(t.metadata_options).http_put_response_hop_limit == 1
      && alltrue([for d in t.block_device_mappings : one(d.ebs).encrypted == "true"])
    ])
    error_message = "A node launch template allows IMDSv1, lets pods reach the node role, or has an unencrypted disk."
  }

  assert {
    condition     = alltrue([for g in values(module.eks.resources.node_groups) : length(g.remote_access) == 0])
    error_message = "A node group allows SSH."
  }
}

run "data_stores" {
  command = plan

  assert {
    condition = (
      module.rds.resources.instance.storage_encrypted && module.rds.resources.instance.kms_key_id == module.kms.arn
      && module.rds.resources.instance.multi_az && !module.rds.resources.instance.publicly_accessible
      && module.rds.resources.instance.deletion_protection && !module.rds.resources.instance.skip_final_snapshot
      && module.rds.resources.instance.backup_retention_period >= 7
      && module.rds.resources.instance.performance_insights_kms_key_id == module.kms.arn
    )
    error_message = "RDS is unencrypted, single-zone, public, deletable, or without point-in-time recovery."
  }

  # IAM database authentication on (the scanners' rule; the app's logins keep passwords for now), and
  # no password in the configuration: RDS keeps the master's in a secret of its own.
  assert {
    condition = (
      module.rds.resources.instance.iam_database_authentication_enabled
      && module.rds.resources.instance.manage_master_user_password
      && module.rds.resources.instance.password == null
    )
    error_message = "RDS has IAM authentication off, or a master password in the configuration (and so in the state)."
  }

  assert {
    condition     = contains([for p in module.rds.resources.parameter_group.parameter : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "RDS accepts connections without TLS."
  }

  # The logs RDS exports go to log groups made here, encrypted with the project's key.
  assert {
    condition = alltrue([
      for t in module.rds.resources.instance.enabled_cloudwatch_logs_exports :
      module.rds.resources.log_groups[t].name == "/aws/rds/instance/${module.rds.resources.instance.identifier}/${t}"
      && module.rds.resources.log_groups[t].kms_key_id == module.kms.arn
    ])
    error_message = "A log group RDS exports to is not encrypted with the project's key."
  }

  assert {
    condition = alltrue([
      for r in values(merge(module.security_group["postgres"].resources.ingress, module.security_group["redis"].resources.ingress)) :
      r.cidr_ipv4 == null && r.cidr_ipv6 == null && r.referenced_security_group_id == module.eks.cluster_security_group_id
    ])
    error_message = "A data store takes connections from elsewhere than the cluster's nodes."
  }

  assert {
    condition = (
      module.redis.resources.replication_group.transit_encryption_enabled
      && module.redis.resources.replication_group.transit_encryption_mode == "required"
      && module.redis.resources.replication_group.at_rest_encryption_enabled
      && module.redis.resources.replication_group.kms_key_id == module.kms.arn
      && module.redis.resources.replication_group.automatic_failover_enabled
      && module.redis.resources.replication_group.multi_az_enabled
    )
    error_message = "ElastiCache is unencrypted in transit or at rest, or has no automatic failover."
  }

  # The AUTH token is never in the configuration (nor the state); it is sent from its secret.
  assert {
    condition = (
      module.redis.resources.replication_group.auth_token == null
      && module.redis.resources.auth_token.triggers_replace == [module.redis.resources.replication_group.id, var.secret_version]
    )
    error_message = "The AUTH token is in the configuration, or is not sent again on a new secret_version."
  }
}

run "keys_secrets_identities" {
  command = plan

  assert {
    condition     = module.kms.resources.key.enable_key_rotation
    error_message = "The project's key does not rotate."
  }

  # CloudWatch Logs may use the key for this environment's log groups only (its key policy).
  assert {
    condition = length([
      for s in [
        for s in jsondecode(module.kms.resources.key.policy).Statement : s
        if try(s.Principal.Service, "") == "logs.${var.aws_region}.amazonaws.com"
      ] : s
      if alltrue([for a in s.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"] : strcontains(a, ":log-group:/aws/") && strcontains(a, "/${module.eks.name}/")])
    ]) == 1
    error_message = "CloudWatch Logs may not use the project's key, or may use it for other log groups too."
  }

  assert {
    condition = alltrue([
      for s in concat([module.redis_auth.resources.secret], [for l in module.db_login_password : l.resources.secret]) :
      s.kms_key_id == module.kms.arn
    ])
    error_message = "A secret is not encrypted with the project's key."
  }

  # External Secrets reads exactly the app's secrets, decrypting through Secrets Manager only.
  assert {
    condition = alltrue([
      for s in jsondecode(module.secrets_role.resources.policy.policy).Statement :
      s.Sid != "ReadTheStackSecrets" || toset(s.Resource) == toset(concat(
        [module.rds.master_user_secret_arn, module.redis_auth.arn],
        [for l in ["owner", "worker", "result", "monitor"] : module.db_login_password[l].arn],
      ))
    ])
    error_message = "External Secrets may read other secrets than the master's, the Redis token and the four logins'."
  }

  assert {
    condition = (
      jsondecode(module.secrets_role.resources.role.assume_role_policy).Statement[0].Condition.StringEquals[
        "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub"
      ] == "system:serviceaccount:voting-${var.environment}:voting-app-aws"
    )
    error_message = "The External Secrets role trusts another identity than the chart's SecretStore ServiceAccount."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(module.backup_role.resources.policy.policy).Statement :
      s.Effect == "Deny" && contains(s.Action, "s3:DeleteObject")
    ])
    error_message = "The backup job's role does not explicitly deny deleting backups."
  }
}

# Least privilege (issue 22): the master is the operator's (and the roles Job's); the app logs in
# with one role per job, each with its own secret that the chart's External Secrets reads.
run "one_login_per_job" {
  command = plan

  assert {
    condition = alltrue([
      for l in ["owner", "worker", "result", "monitor"] :
      module.db_login_password[l].resources.secret.name == "voting-app/${var.environment}/postgres-${l}"
      && toset(module.db_login_password[l].resources.added_keys.triggers_replace[1]) == toset(["password"])
    ])
    error_message = "Each app login (owner, worker, result, monitor) needs a secret voting-app/<env>/postgres-<login> with the key password."
  }

  assert {
    condition = output.chart_values["externalSecrets.remoteRefs"] == {
      postgresPassword  = { key = module.rds.master_user_secret_arn, property = "password" }
      ownerDbPassword   = { key = "voting-app/${var.environment}/postgres-owner", property = "password" }
      workerDbPassword  = { key = "voting-app/${var.environment}/postgres-worker", property = "password" }
      resultDbPassword  = { key = "voting-app/${var.environment}/postgres-result", property = "password" }
      monitorDbPassword = { key = "voting-app/${var.environment}/postgres-monitor", property = "password" }
      redisPassword     = { key = "voting-app/${var.environment}/redis", property = "auth-token" }
    }
    error_message = "The chart's externalSecrets.remoteRefs printed by chart_values are not the six secrets Terraform writes."
  }
}

run "buckets" {
  command = plan

  assert {
    condition = alltrue([
      for b in [for k in ["logs", "backup"] : module.buckets.resources[k]] :
      b.public_access_block.block_public_acls && b.public_access_block.block_public_policy
      && b.public_access_block.ignore_public_acls && b.public_access_block.restrict_public_buckets
      && one(b.versioning.versioning_configuration).status == "Enabled"
      && anytrue([
        for s in jsondecode(b.policy.policy).Statement :
        s.Effect == "Deny" && s.Condition == { Bool = { "aws:SecureTransport" = "false" } }
      ])
    ])
    error_message = "A bucket is public, unversioned, or takes requests without TLS."
  }

  assert {
    condition = (
      one(one(module.buckets.resources.backup.encryption.rule).apply_server_side_encryption_by_default).kms_master_key_id == module.kms.arn
      && length(module.buckets.resources.backup.logging) == 1
      && module.buckets.resources.backup.logging[0].target_bucket == var.log_bucket_name
    )
    error_message = "The backup bucket is not encrypted with the project's key or does not log its access."
  }
}
