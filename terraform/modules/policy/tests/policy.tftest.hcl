# Offline tests of the security decisions: `terraform test` in terraform/modules/policy (no provider,
# no AWS account). Each run plans the module with the inputs below and checks its outputs.

variables {
  platform              = "docker-host"
  name                  = "voting-app-test"
  environment           = "staging"
  aws_region            = "eu-west-1"
  aws_account_id        = "123456789012"
  instance_type         = "t3.medium"
  data_volume_id        = "vol-0123456789abcdef0"
  compose_sha256        = { x86_64 = "0000000000000000000000000000000000000000000000000000000000000000" }
  ingress_cidrs         = ["203.0.113.0/24", "2001:db8::/32"]
  artifacts_bucket_name = "voting-app-test-artifacts"
  backup_bucket_name    = "voting-app-test-backups"
  log_bucket_name       = "voting-app-test-logs"
  secret_arn            = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app-test/stack-AbCdEf"
  kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
  image_repository      = "ghcr.io/example/voting-app"
  image_digests = {
    vote   = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
    worker = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
    result = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
  }
  bundle_key    = "bundles/voting-app-0123abc.tar.gz"
  bundle_sha256 = "4444444444444444444444444444444444444444444444444444444444444444"
}

run "iam_no_wildcards" {
  command = plan

  assert {
    condition = alltrue([
      for s in jsondecode(output.roles.instance.policy_json).Statement :
      alltrue([for a in flatten([s.Action]) : !strcontains(a, "*")])
    ])
    error_message = "An IAM action of the instance policy has a wildcard."
  }

  # A "*" in an Allow's resource is accepted only where AWS offers nothing narrower: the
  # ssmmessages actions (no resource type), an object-key prefix in one of our buckets, and the
  # instance ARN of ssm:UpdateInstanceInformation (the instance id does not exist before the role).
  assert {
    condition = alltrue([
      for s in jsondecode(output.roles.instance.policy_json).Statement : alltrue([
        for r in flatten([s.Resource]) :
        !strcontains(r, "*")
        || (r == "*" && length(setsubtract(flatten([s.Action]), [
          "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
          "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
        ])) == 0)
        || contains([
          "arn:aws:s3:::voting-app-test-artifacts/bundles/*",
          "arn:aws:s3:::voting-app-test-backups/backups/*",
          "arn:aws:s3:::voting-app-test-backups/backups/*.manifest.json",
        ], r)
        || (r == "arn:aws:ec2:eu-west-1:123456789012:instance/*" && flatten([s.Action]) == ["ssm:UpdateInstanceInformation"])
      ]) if s.Effect == "Allow"
    ])
    error_message = "An Allow statement has a wildcard resource where a narrower ARN exists."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.roles.instance.policy_json).Statement :
      !contains(flatten([s.Resource]), "*") || s.Sid == "SessionManagerChannels"
    ])
    error_message = "Resource \"*\" appears outside the Session Manager channels statement."
  }
}

run "s3_put_only_on_backups" {
  command = plan

  assert {
    condition = toset(distinct(flatten([
      for s in jsondecode(output.roles.instance.policy_json).Statement : flatten([s.Resource])
      if s.Effect == "Allow" && contains(flatten([s.Action]), "s3:PutObject")
    ]))) == toset(["arn:aws:s3:::voting-app-test-backups/backups/*"])
    error_message = "s3:PutObject must be allowed on backups/* of the backup bucket and nowhere else."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.roles.instance.policy_json).Statement : alltrue([
        for a in flatten([s.Action]) : !startswith(a, "s3:Delete") && !startswith(a, "s3:Put") || a == "s3:PutObject"
      ]) if s.Effect == "Allow"
    ])
    error_message = "The instance role may delete objects or change bucket settings."
  }

  assert {
    condition = length([
      for s in jsondecode(output.roles.instance.policy_json).Statement : s
      if s.Effect == "Deny" && contains(flatten([s.Action]), "s3:DeleteObject") && contains(flatten([s.Action]), "s3:DeleteObjectVersion")
      && contains(flatten([s.Resource]), "arn:aws:s3:::voting-app-test-backups/*")
    ]) == 1
    error_message = "The explicit Deny of deleting backups is missing."
  }

  assert {
    condition = toset(distinct(flatten([
      for s in jsondecode(output.roles.instance.policy_json).Statement : flatten([s.Resource])
      if s.Effect == "Allow" && contains(flatten([s.Action]), "s3:GetObject")
    ]))) == toset(["arn:aws:s3:::voting-app-test-artifacts/bundles/*", "arn:aws:s3:::voting-app-test-backups/backups/*.manifest.json"])
    error_message = "s3:GetObject must be allowed on the compose bundles and the backup manifests only, never on a dump."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.roles.instance.policy_json).Statement :
      flatten([s.Resource]) == ["arn:aws:s3:::voting-app-test-backups"] && s.Condition.StringLike["s3:prefix"] == ["backups/*"]
      if s.Effect == "Allow" && contains(flatten([s.Action]), "s3:ListBucket")
    ])
    error_message = "s3:ListBucket only on the backup bucket, only under backups/."
  }
}

run "one_secret" {
  command = plan

  assert {
    condition = flatten([
      for s in jsondecode(output.roles.instance.policy_json).Statement : flatten([s.Resource])
      if s.Effect == "Allow" && contains(flatten([s.Action]), "secretsmanager:GetSecretValue")
    ]) == [var.secret_arn]
    error_message = "secretsmanager:GetSecretValue must be allowed on exactly the one secret ARN."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.roles.instance.policy_json).Statement :
      try(length(s.Condition.StringEquals["kms:ViaService"]) > 0, false)
      if anytrue([for a in flatten([s.Action]) : startswith(a, "kms:")])
    ])
    error_message = "Every KMS permission must be limited to calls through Secrets Manager or S3 (kms:ViaService)."
  }

  assert {
    condition     = jsondecode(output.roles.instance.assume_role_policy_json).Statement[0].Principal.Service == "ec2.amazonaws.com"
    error_message = "Only EC2 may assume the instance role."
  }
}

run "network_closed_by_default" {
  command = plan

  assert {
    condition     = length(output.open_to_anywhere) == 0
    error_message = "An ingress rule is open to 0.0.0.0/0 or ::/0 without allow_ingress_from_anywhere."
  }

  assert {
    condition     = toset([for r in values(output.host_ingress_rules) : r.from_port]) == toset([5000, 5001])
    error_message = "The host must open the vote and result ports only."
  }

  assert {
    condition     = alltrue([for r in values(merge(output.host_ingress_rules, output.host_egress_rules)) : length(r.description) > 0])
    error_message = "Every security group rule needs a description."
  }

  assert {
    condition     = alltrue([for r in values(output.host_egress_rules) : r.from_port == 443 && r.to_port == 443])
    error_message = "The host may only open HTTPS connections."
  }

  assert {
    condition     = length(output.alb_ingress_rules) == 0
    error_message = "No load balancer rule without enable_alb."
  }
}

run "anywhere_only_when_explicit" {
  command = plan

  variables {
    ingress_cidrs               = ["0.0.0.0/0", "::/0"]
    allow_ingress_from_anywhere = true
  }

  assert {
    condition     = length(output.open_to_anywhere) == 4
    error_message = "With explicit consent, both pages are open to 0.0.0.0/0 and ::/0."
  }
}

run "anywhere_refused_without_consent" {
  command = plan

  variables {
    ingress_cidrs = ["203.0.113.0/24", "0.0.0.0/0"]
  }

  expect_failures = [var.ingress_cidrs]
}

run "alb_in_front" {
  command = plan

  variables {
    enable_alb = true
  }

  assert {
    condition     = alltrue([for r in values(output.host_ingress_rules) : r.peer == "alb" && r.cidr == null])
    error_message = "Behind the load balancer, the host must accept its ports from the load balancer only."
  }

  assert {
    condition     = toset([for r in values(output.alb_ingress_rules) : r.from_port]) == toset([80, 443])
    error_message = "The load balancer opens 80 and 443 only."
  }
}

run "imdsv2_required" {
  command = plan

  assert {
    condition     = output.metadata_options.http_tokens == "required" && output.metadata_options.http_endpoint == "enabled"
    error_message = "IMDSv2 must be required."
  }

  assert {
    condition     = output.metadata_options.http_put_response_hop_limit == 1
    error_message = "No container needs the instance role: the hop limit must be 1."
  }
}

run "hop_limit_two_only_on_request" {
  command = plan

  variables {
    containers_need_instance_role = true
  }

  assert {
    condition     = output.metadata_options.http_put_response_hop_limit == 2 && output.metadata_options.http_tokens == "required"
    error_message = "A container that needs the role gets hop limit 2, still with IMDSv2 required."
  }
}

run "bucket_rules" {
  command = plan

  assert {
    condition = alltrue([
      for b, doc in output.bucket_policy_json : anytrue([
        for s in jsondecode(doc).Statement :
        s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"] == "false", false)
      ])
    ])
    error_message = "Every bucket must deny requests without TLS."
  }

  assert {
    condition = alltrue([
      for b, rules in output.lifecycle_rules :
      anytrue([for r in rules : r.abort_incomplete_multipart_days != null])
      && anytrue([for r in rules : r.noncurrent_version_expiration_days != null])
    ])
    error_message = "Every bucket aborts incomplete uploads and expires old versions."
  }

  assert {
    condition = anytrue([
      for r in output.lifecycle_rules.backup :
      r.prefix == "backups/" && r.transition_storage_class == "GLACIER_IR" && try(r.expiration_days > r.transition_days, false)
    ])
    error_message = "Backups move to a colder class, then expire."
  }
}

run "user_data" {
  command = plan

  assert {
    condition     = length(output.user_data) < 16384
    error_message = "EC2 user data is limited to 16 KiB."
  }

  assert {
    condition = alltrue([
      for d in values(var.image_digests) : strcontains(output.user_data, d)
    ]) && strcontains(output.user_data, "ghcr.io/example/voting-app/vote@sha256:")
    error_message = "The host must pull the role images by digest."
  }

  assert {
    condition     = strcontains(output.user_data, "up -d --wait") && !strcontains(output.user_data, "--profile monitoring")
    error_message = "The unit starts the stack with up -d --wait, without the monitoring profile by default."
  }

  assert {
    condition     = !can(regex("(?i)(password|secret)[a-z_]*\\s*[:=]\\s*['\"]?[A-Za-z0-9+/]{12,}", output.user_data))
    error_message = "The user data seems to hold a password."
  }

  assert {
    condition     = strcontains(output.secrets_fetch_script, var.secret_arn) && length(output.secret_readers.grafana_admin_password) == 0
    error_message = "The fetch script reads the one secret; Grafana's password is for no container without monitoring."
  }
}

# Least privilege (issue 22): the master password (pg_password) is the database's and the roles job's;
# the app logs in with one role per job, each password a file of its own readable by the app's UID.
run "one_login_per_job" {
  command = plan

  assert {
    condition = toset(output.secret_keys) == toset([
      "pg_password", "owner_db_password", "worker_db_password", "result_db_password", "monitor_db_password",
      "redis_password", "grafana_admin_password",
    ])
    error_message = "The stack's secret must hold the master's, the four logins' (owner, worker, result, monitor), Redis's and Grafana's passwords."
  }

  assert {
    condition = alltrue([
      for k in ["owner_db_password", "worker_db_password", "monitor_db_password"] : toset(output.secret_readers[k]) == toset([65532])
    ])
    error_message = "Without monitoring, the new logins' files are for the app's UID (65532: migrate, worker, the roles job) only."
  }

  assert {
    condition = alltrue([
      for k in ["OWNER_DB_PASSWORD_FILE", "WORKER_DB_PASSWORD_FILE", "MONITOR_DB_PASSWORD_FILE"] :
      strcontains(output.user_data, "${k}=/run/voting-app-test/secrets/${lower(trimsuffix(k, "_FILE"))}")
    ])
    error_message = "compose.env must point each login's secret at its file in the secrets folder."
  }
}

run "monitoring_profile" {
  command = plan

  variables {
    enable_monitoring = true
  }

  assert {
    condition     = strcontains(output.user_data, "--profile monitoring") && toset(output.secret_readers.grafana_admin_password) == toset([472])
    error_message = "enable_monitoring starts the monitoring profile and lets Grafana read its password."
  }

  # postgres_exporter logs in as voting_monitor, not as the master.
  assert {
    condition = (
      toset(output.secret_readers.monitor_db_password) == toset([65532, 65534])
      && !contains(output.secret_readers.pg_password, 65534)
    )
    error_message = "With monitoring, postgres_exporter (65534) reads the monitor login's password and not the master's."
  }
}

# The root's option_labels defaults to null, which takes this module's default (nullable = false).
run "option_labels_null_takes_the_default" {
  command = plan
  variables {
    option_labels = null
  }
  assert {
    condition     = strcontains(output.user_data, "OPTION_A=Cats\nOPTION_B=Dogs\n")
    error_message = "A null option_labels must take the default labels, Cats and Dogs."
  }
}

# ---- Invalid inputs are refused ----

# Each input's own validation refuses it (expect_failures needs every one listed to fail). Two runs:
# ingress_cidrs and the bucket names are refused for two reasons each.
run "invalid_inputs_refused" {
  command = plan
  variables {
    ingress_cidrs      = ["10.0.0.0/33"]      # not a CIDR
    instance_type      = "t2.micro"           # outside the list
    backup_bucket_name = "Voting_App.Backups" # not DNS-safe
    secret_arn         = "*"                  # not a secret's ARN
  }
  expect_failures = [var.ingress_cidrs, var.instance_type, var.backup_bucket_name, var.secret_arn]
}

run "invalid_inputs_refused_too" {
  command = plan
  variables {
    ingress_cidrs         = ["10.0.0.1/24"]        # host bits set
    artifacts_bucket_name = "voting.app.artifacts" # dots
  }
  expect_failures = [var.ingress_cidrs, var.artifacts_bucket_name]
}

# ---- One module, two platforms: each one's inputs required there, its outputs only there ----
# (The mirror of tests/eks.tftest.hcl's runs, shaped alike: each file's variables are one platform's.)

run "eks_inputs_required_on_eks" {
  command = plan

  variables {
    platform = "eks"
  }

  # db_instance_class is checked against the pools' budget, which needs the replicas above: with
  # those missing its check cannot run (tests/eks.tftest.hcl has it missing alone).
  expect_failures = [
    var.vpc_cidr, var.availability_zones, var.cluster_endpoint_public_cidrs, var.app_namespace, var.oidc_provider_arn,
    var.admin_role_arns, var.worker_max_replicas, var.result_max_replicas, var.redis_node_type, var.app_secret_arns,
  ]
}

run "nothing_of_eks_on_the_host" {
  command = plan

  assert {
    condition = (
      output.subnets == null && output.cluster_access == null && length(output.workload_roles) == 0
      && output.kms_key_policy_json == null && output.connections == null && output.postgres_parameters == null
      && toset(keys(output.bucket_policy_json)) == toset(["artifacts", "backup", "logs"])
    )
    error_message = "The Docker host must get no EKS subnet, access, identity, key policy or data store setting."
  }
}
