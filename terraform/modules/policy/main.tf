# Every security decision of both environments, as plain values: the single Docker host
# (docker_host.tf, network.tf, user_data.tf) and EKS (eks.tf), and what they share (here: the buckets,
# the backup rights, the ingress consent). No resource and no provider: the AWS modules only turn
# these values into resources, and tests/*.tftest.hcl check them offline.

locals {
  p        = var.aws_partition
  on_host  = var.platform == "docker-host"
  on_eks   = var.platform == "eks"
  via_s3   = "s3.${var.aws_region}.amazonaws.com"
  via_sm   = "secretsmanager.${var.aws_region}.amazonaws.com"
  bucket_p = "arn:${local.p}:s3:::"

  backup_bucket_arn    = "${local.bucket_p}${var.backup_bucket_name}"
  log_bucket_arn       = "${local.bucket_p}${var.log_bucket_name}"
  artifacts_bucket_arn = local.on_host ? "${local.bucket_p}${var.artifacts_bucket_name}" : null

  # Where backups are written (issue 13: backups/YYYY/MM/DD/<ts>.dump.age and its manifest) and where
  # access logs go. Prefixes end with "/" so "backups/*" cannot match "backups-old/...".
  backup_prefix     = "backups/"
  access_log_prefix = "s3-access/"

  # The buckets of this platform whose access logs go to the log bucket (the log bucket logs nowhere:
  # into itself, it would loop).
  logged_buckets = merge(
    { backup = local.backup_bucket_arn },
    local.on_host ? { artifacts = local.artifacts_bucket_arn } : {},
  )

  # Without consent, a CIDR of the whole internet never becomes a rule, whatever got past validation.
  ingress_cidrs = [
    for c in var.ingress_cidrs : c
    if var.allow_ingress_from_anywhere || !contains(["0.0.0.0/0", "::/0"], c)
  ]

  # ---- Trust policies of the roles AWS services assume, in this account only ----
  # The Docker host's (EC2), and on EKS the cluster's, the flow logs' (from this account's flow logs
  # only) and EKS Pod Identity's. The nodes' role trusts EC2 as the host's does.
  this_account = { StringEquals = { "aws:SourceAccount" = var.aws_account_id } }
  service_trust = {
    for role, t in {
      instance     = { sid = "Ec2InThisAccount", service = "ec2.amazonaws.com", actions = ["sts:AssumeRole"], condition = local.this_account }
      cluster      = { sid = "EksInThisAccount", service = "eks.amazonaws.com", actions = ["sts:AssumeRole", "sts:TagSession"], condition = local.this_account }
      pod_identity = { sid = "EksPodIdentityInThisAccount", service = "pods.eks.amazonaws.com", actions = ["sts:AssumeRole", "sts:TagSession"], condition = local.this_account }
      flow_logs = {
        sid       = "VpcFlowLogsOfThisAccount"
        service   = "vpc-flow-logs.amazonaws.com"
        actions   = ["sts:AssumeRole"]
        condition = merge(local.this_account, { ArnLike = { "aws:SourceArn" = "arn:${local.p}:ec2:${var.aws_region}:${var.aws_account_id}:vpc-flow-log/*" } })
      }
      } : role => {
      Version   = "2012-10-17"
      Statement = [{ Sid = t.sid, Effect = "Allow", Principal = { Service = t.service }, Action = t.actions, Condition = t.condition }]
    }
  }

  # ---- The roles of this platform, as modules/iam-role takes them ----
  # Each one's trust policy, its inline policy (null: none) and its AWS-managed policies. Those AWS
  # services assume: the host's instance role (docker_host.tf); on EKS the cluster's and the nodes'
  # (AWS-managed policies only; the nodes trust EC2 as the host does) and the flow logs' (eks.tf).
  # The workloads' on EKS apart (External Secrets' with IRSA, the backup job's with EKS Pod Identity):
  # they name the cluster's OIDC provider and the data stores' secrets, which need the roles above.
  roles = merge(
    local.on_host ? {
      instance = { assume_role_policy_json = jsonencode(local.service_trust.instance), policy_json = jsonencode(local.instance_policy), managed_policy_arns = tolist([]) }
    } : {},
    local.on_eks ? {
      cluster   = { assume_role_policy_json = jsonencode(local.service_trust.cluster), policy_json = null, managed_policy_arns = local.cluster_role_managed_policies }
      node      = { assume_role_policy_json = jsonencode(local.service_trust.instance), policy_json = null, managed_policy_arns = local.node_role_managed_policies }
      flow_logs = { assume_role_policy_json = jsonencode(local.service_trust.flow_logs), policy_json = jsonencode(local.flow_log_policy), managed_policy_arns = tolist([]) }
    } : {},
  )
  workload_roles = !local.on_eks ? {} : {
    external_secrets = { assume_role_policy_json = jsonencode(local.external_secrets_assume_role_policy), policy_json = jsonencode(local.external_secrets_policy) }
    backup           = { assume_role_policy_json = jsonencode(local.service_trust.pod_identity), policy_json = jsonencode(local.backup_policy) }
  }

  # ---- The backup job's rights, the same on both platforms ----
  # Write under backups/, list it, read manifests (to compare with the previous backup), never read a
  # dump, and an explicit Deny of deleting or loosening, whatever policy is attached later.
  backup_statements = [
    {
      # Write, never delete: retention is the lifecycle rules' job.
      Sid      = "WriteBackups"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = ["${local.backup_bucket_arn}/${local.backup_prefix}*"]
    },
    {
      Sid       = "ListBackups"
      Effect    = "Allow"
      Action    = ["s3:ListBucket"]
      Resource  = [local.backup_bucket_arn]
      Condition = { StringLike = { "s3:prefix" = ["${local.backup_prefix}*"] } }
    },
    {
      Sid      = "ReadBackupManifests"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = ["${local.backup_bucket_arn}/${local.backup_prefix}*.manifest.json"]
    },
    {
      Sid    = "NeverDeleteOrLoosenBackups"
      Effect = "Deny"
      Action = [
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketVersioning",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutEncryptionConfiguration",
      ]
      Resource = [local.backup_bucket_arn, "${local.backup_bucket_arn}/*"]
    },
  ]

  # ---- Bucket policies ----
  # Every bucket refuses plain HTTP, whoever asks. A Deny on s3:* is the documented way to say so.
  tls_only_statement = {
    for b, arn in merge(local.logged_buckets, { logs = local.log_bucket_arn }) : b => {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [arn, "${arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }

  # The access logs go to the log bucket, delivered by the logging service for our buckets only.
  log_delivery_statement = {
    Sid       = "S3ServerAccessLogsFromOurBuckets"
    Effect    = "Allow"
    Principal = { Service = "logging.s3.amazonaws.com" }
    Action    = "s3:PutObject"
    Resource  = "${local.log_bucket_arn}/${local.access_log_prefix}*"
    Condition = {
      StringEquals = { "aws:SourceAccount" = var.aws_account_id }
      ArnLike      = { "aws:SourceArn" = values(local.logged_buckets) }
    }
  }

  bucket_policies = merge(
    { for b, _ in local.logged_buckets : b => { Version = "2012-10-17", Statement = [local.tls_only_statement[b]] } },
    { logs = { Version = "2012-10-17", Statement = [local.tls_only_statement.logs, local.log_delivery_statement] } },
  )

  # ---- Lifecycle rules ----
  # As plain objects (the s3-bucket module makes one rule block of each). A null field means "no such
  # action in this rule".
  common_lifecycle_rules = [
    {
      id                                 = "abort-incomplete-multipart-uploads"
      prefix                             = ""
      abort_incomplete_multipart_days    = var.abort_incomplete_multipart_days
      noncurrent_version_expiration_days = null
      transition_days                    = null
      transition_storage_class           = null
      expiration_days                    = null
    },
    {
      id                                 = "expire-old-versions"
      prefix                             = ""
      abort_incomplete_multipart_days    = null
      noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
      transition_days                    = null
      transition_storage_class           = null
      expiration_days                    = null
    },
  ]

  lifecycle_rules = merge(
    {
      backup = concat(local.common_lifecycle_rules, [{
        id                                 = "backups-colder-then-expire"
        prefix                             = local.backup_prefix
        abort_incomplete_multipart_days    = null
        noncurrent_version_expiration_days = null
        transition_days                    = var.backup_transition_days
        transition_storage_class           = var.backup_storage_class
        expiration_days                    = var.backup_expiration_days
      }])
      logs = concat(local.common_lifecycle_rules, [{
        id                                 = "expire-access-logs"
        prefix                             = ""
        abort_incomplete_multipart_days    = null
        noncurrent_version_expiration_days = null
        transition_days                    = null
        transition_storage_class           = null
        expiration_days                    = var.log_expiration_days
      }])
    },
    local.on_host ? { artifacts = local.common_lifecycle_rules } : {},
  )
}
