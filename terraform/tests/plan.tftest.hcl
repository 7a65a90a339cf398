# The single host's root, planned as `terraform plan -var-file=environments/<env>.tfvars` plans it, with
# a mocked AWS provider (no account, no network). checks/run.sh runs it once per environment:
#   terraform test -var-file=environments/staging.tfvars      (and production.tfvars)
# The environment's file says where and how big; what runs (release.tfvars) is below. Every assertion
# reads a planned resource (through the modules' `resources` outputs), never a variable.

# The mocked AWS provider's answers are shared with terraform/eks's tests: tests/mocks/aws.tfmock.hcl.
mock_provider "aws" {
  source = "./tests/mocks"

  # What an apply would make (ARNs, ids) is known in the plan here, so the assertions can compare it.
  # A count or for_each that depends on such a value still fails as it does in a real plan.
  override_during = plan
}

# What runs: a release file's values (environments/release.tfvars.example), with a bundle made for tests.
variables {
  image_repository = "ghcr.io/example/voting-app"
  image_digests = {
    vote   = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
    worker = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
    result = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
  }
  bundle_path = "tests/fixtures/bundle.tar.gz"
  compose_sha256 = {
    x86_64  = "4444444444444444444444444444444444444444444444444444444444444444"
    aarch64 = "5555555555555555555555555555555555555555555555555555555555555555"
  }
}

run "buckets_hardened" {
  command = plan

  assert {
    condition = alltrue([
      for b in [for k in ["logs", "artifacts", "backup"] : module.buckets.resources[k]] :
      b.public_access_block.block_public_acls && b.public_access_block.block_public_policy
      && b.public_access_block.ignore_public_acls && b.public_access_block.restrict_public_buckets
    ])
    error_message = "A bucket lacks one of the four public access blocks."
  }

  assert {
    condition = alltrue([
      for b in [for k in ["logs", "artifacts", "backup"] : module.buckets.resources[k]] :
      one(b.ownership.rule).object_ownership == "BucketOwnerEnforced"
      && one(b.versioning.versioning_configuration).status == "Enabled"
      && !b.bucket.force_destroy
    ])
    error_message = "A bucket allows ACLs, is not versioned, or may be destroyed with its objects."
  }

  # Every bucket denies plain HTTP, to everyone, for every action.
  assert {
    condition = alltrue([
      for b in [for k in ["logs", "artifacts", "backup"] : module.buckets.resources[k]] :
      anytrue([
        for s in jsondecode(b.policy.policy).Statement :
        s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:*"
        && s.Condition == { Bool = { "aws:SecureTransport" = "false" } }
        && toset(flatten([s.Resource])) == toset(["arn:aws:s3:::${b.bucket.bucket}", "arn:aws:s3:::${b.bucket.bucket}/*"])
      ])
    ])
    error_message = "A bucket policy does not deny requests without TLS on the bucket and its objects."
  }

  assert {
    condition = alltrue([
      for b in [for k in ["logs", "artifacts", "backup"] : module.buckets.resources[k]] :
      anytrue([for r in b.lifecycle.rule : length(r.abort_incomplete_multipart_upload) == 1 && r.status == "Enabled"])
    ])
    error_message = "A bucket has no lifecycle rule that aborts incomplete multipart uploads."
  }

  # SSE-KMS with the project's key and a bucket key; the log bucket SSE-S3 (all S3 logging delivers to).
  assert {
    condition = alltrue([
      for b in [for k in ["artifacts", "backup"] : module.buckets.resources[k]] :
      one(one(b.encryption.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
      && one(one(b.encryption.rule).apply_server_side_encryption_by_default).kms_master_key_id == module.kms.arn
      && one(b.encryption.rule).bucket_key_enabled
    ])
    error_message = "The artifacts or backup bucket is not encrypted with the project's key and a bucket key."
  }

  assert {
    condition     = one(one(module.buckets.resources.logs.encryption.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "The log bucket must be SSE-S3: S3 server access logs are delivered only to such buckets."
  }

  # Access logs of the artifacts and backup buckets go to the log bucket; the log bucket logs nowhere.
  assert {
    condition = alltrue([
      for b in [for k in ["artifacts", "backup"] : module.buckets.resources[k]] :
      length(b.logging) == 1 && b.logging[0].target_bucket == var.log_bucket_name
      && b.logging[0].target_prefix == "s3-access/${b.bucket.bucket}/"
    ])
    error_message = "The artifacts or backup bucket does not send its access logs to the log bucket."
  }

  assert {
    condition     = length(module.buckets.resources.logs.logging) == 0
    error_message = "The log bucket logs into a bucket (into itself, it would loop)."
  }
}

run "host_locked_down" {
  command = plan

  assert {
    condition = (
      one(module.host.resources.instance.metadata_options).http_tokens == "required"
      && one(module.host.resources.instance.metadata_options).http_endpoint == "enabled"
      && one(module.host.resources.instance.metadata_options).http_put_response_hop_limit == (var.containers_need_instance_role ? 2 : 1)
    )
    error_message = "The host does not require IMDSv2, or its hop limit lets containers reach the role without consent."
  }

  assert {
    condition = (
      one(module.host.resources.instance.root_block_device).encrypted
      && one(module.host.resources.instance.root_block_device).kms_key_id == module.kms.arn
      && aws_ebs_volume.data.encrypted && aws_ebs_volume.data.kms_key_id == module.kms.arn
    )
    error_message = "The root or data volume is not encrypted with the project's key."
  }

  assert {
    condition     = module.kms.resources.key.enable_key_rotation && module.kms.resources.key.deletion_window_in_days == 30
    error_message = "The project's key does not rotate, or could be deleted without 30 days to cancel."
  }

  # The role reads exactly the stack's secret and calls no action with a wildcard.
  assert {
    condition = alltrue([
      for s in jsondecode(module.host.resources.role_policy.policy).Statement :
      alltrue([for a in flatten([s.Action]) : !strcontains(a, "*")])
      && (!contains(flatten([s.Action]), "secretsmanager:GetSecretValue") || s.Resource == [module.secret.arn])
    ])
    error_message = "The instance role has a wildcard action, or may read another secret than the stack's."
  }

  assert {
    condition     = jsondecode(module.host.resources.role.assume_role_policy).Statement[0].Principal == { Service = "ec2.amazonaws.com" }
    error_message = "The instance role trusts another principal than EC2."
  }
}

run "network_closed" {
  command = plan

  # Only the two pages, only from ingress_cidrs (no SSH, nothing open to the internet without consent).
  assert {
    condition = alltrue([
      for r in values(module.network.resources.host_ingress) :
      contains([5000, 5001], r.from_port) && r.from_port == r.to_port && r.ip_protocol == "tcp"
      && contains(var.ingress_cidrs, coalesce(r.cidr_ipv4, r.cidr_ipv6))
      && !contains(["0.0.0.0/0", "::/0"], coalesce(r.cidr_ipv4, r.cidr_ipv6)) && length(r.description) > 0
    ])
    error_message = "The host takes traffic on another port, from another CIDR, or from anywhere."
  }

  assert {
    condition     = length(module.network.resources.host_ingress) == 2 * length(var.ingress_cidrs)
    error_message = "The host should have one rule per page and CIDR."
  }

  assert {
    condition = alltrue([
      for r in values(module.network.resources.host_egress) :
      r.from_port == 443 && r.to_port == 443 && r.ip_protocol == "tcp" && length(r.description) > 0
    ])
    error_message = "The host may open other connections than HTTPS."
  }

  assert {
    condition     = length(module.network.resources.alb_security_group) == 0 && length(aws_eip.host) == 1
    error_message = "Without enable_alb there is no load balancer group, and the host has a fixed address."
  }
}

# The stack's passwords never pass through Terraform: the secret holds no value in the plan, the
# provisioner that writes them gets only the ARN and the key names.
run "secret_without_values" {
  command = plan

  assert {
    condition = (
      module.secret.resources.secret.kms_key_id == module.kms.arn
      && module.secret.resources.secret.name == "voting-app-${var.environment}/stack"
      && module.secret.resources.secret.recovery_window_in_days == 30
    )
    error_message = "The stack's secret is not encrypted with the project's key, or is named otherwise."
  }

  assert {
    condition = (
      module.secret.resources.rotation.triggers_replace == [module.secret.arn, var.secret_version]
      && module.secret.resources.added_keys.triggers_replace == [module.secret.arn, sort(module.policy.secret_keys)]
    )
    error_message = "The values are not generated on creation, on a new secret_version and for added keys only."
  }
}

run "with_a_load_balancer" {
  command = plan

  variables {
    enable_alb          = true
    alb_subnet_ids      = ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
    alb_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
    vote_host_name      = "vote.example.com"
    result_host_name    = "result.example.com"
  }

  # The host's pages from the load balancer's group only, never from a CIDR.
  assert {
    condition = alltrue([
      for r in values(module.network.resources.host_ingress) :
      r.cidr_ipv4 == null && r.cidr_ipv6 == null && r.referenced_security_group_id == module.network.alb_security_group_id
    ])
    error_message = "With a load balancer, the host must take traffic from its group only."
  }

  assert {
    condition = alltrue([
      for r in values(module.network.resources.alb_ingress) :
      contains([80, 443], r.from_port) && contains(var.ingress_cidrs, coalesce(r.cidr_ipv4, r.cidr_ipv6))
    ])
    error_message = "The load balancer takes other ports than 80 and 443, or traffic from outside ingress_cidrs."
  }

  assert {
    condition = (
      module.alb[0].resources.load_balancer.drop_invalid_header_fields
      && module.alb[0].resources.load_balancer.enable_deletion_protection
      && module.alb[0].resources.https.protocol == "HTTPS"
      && module.alb[0].resources.https.ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
      && one(module.alb[0].resources.http.default_action).type == "redirect"
    )
    error_message = "The load balancer keeps invalid headers, may be deleted, or serves without modern TLS."
  }
}
