# Every security decision of the stack, as plain values. No resource and no provider here: the AWS
# modules only turn these values into resources, and tests/*.tftest.hcl check them offline.

locals {
  p = var.aws_partition

  artifacts_bucket_arn = "arn:${local.p}:s3:::${var.artifacts_bucket_name}"
  backup_bucket_arn    = "arn:${local.p}:s3:::${var.backup_bucket_name}"
  log_bucket_arn       = "arn:${local.p}:s3:::${var.log_bucket_name}"

  # Where the host reads compose bundles and writes backups (issue 13: backups/YYYY/MM/DD/<ts>.dump.age
  # and its manifest). Prefixes end with "/" so "backups/*" cannot match "backups-old/...".
  bundle_prefix = "bundles/"
  backup_prefix = "backups/"

  # AWS calls the host makes go through these services only: the key may decrypt or encrypt data for
  # them, never for a direct kms:Decrypt by whoever holds the role.
  via_secretsmanager = "secretsmanager.${var.aws_region}.amazonaws.com"
  via_s3             = "s3.${var.aws_region}.amazonaws.com"

  # Session Manager's minimal instance permissions (AWS docs, "Create a custom IAM role for Session
  # Manager", without the optional S3/KMS session logging). The ssmmessages actions define no resource
  # type, so "*" is the only resource they accept; the tests allow "*" for exactly these actions.
  ssm_channel_actions = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
  ]

  instance_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadTheStackSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [var.secret_arn]
      },
      {
        # The secret and the artifacts are encrypted with the key; reading them needs Decrypt.
        Sid       = "DecryptThroughSecretsManagerAndS3"
        Effect    = "Allow"
        Action    = ["kms:Decrypt"]
        Resource  = [var.kms_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = [local.via_secretsmanager, local.via_s3] } }
      },
      {
        # SSE-KMS uploads (the backups) need a data key; the bucket key makes this one call per
        # bucket key lifetime rather than one per object.
        Sid       = "EncryptBackupsThroughS3"
        Effect    = "Allow"
        Action    = ["kms:GenerateDataKey"]
        Resource  = [var.kms_key_arn]
        Condition = { StringEquals = { "kms:ViaService" = [local.via_s3] } }
      },
      {
        Sid      = "ReadComposeBundles"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["${local.artifacts_bucket_arn}/${local.bundle_prefix}*"]
      },
      {
        # Write, never delete: retention is the lifecycle rules' job.
        Sid      = "WriteBackups"
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = ["${local.backup_bucket_arn}/${local.backup_prefix}*"]
      },
      {
        # The backup job (issue 13) finds the previous backup's manifest to compare sizes: it may
        # list backups/ and read manifests, never a dump (they are age-encrypted all the same).
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
        # Belt and braces: even a policy attached later by mistake cannot let the host delete
        # backups or weaken the bucket that keeps them.
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
      {
        # The instance id is unknown until the instance exists (and the role must exist first), so
        # the ARN names this account's and region's instances.
        Sid      = "SessionManagerRegistration"
        Effect   = "Allow"
        Action   = ["ssm:UpdateInstanceInformation"]
        Resource = ["arn:${local.p}:ec2:${var.aws_region}:${var.aws_account_id}:instance/*"]
      },
      {
        Sid      = "SessionManagerChannels"
        Effect   = "Allow"
        Action   = local.ssm_channel_actions
        Resource = ["*"]
      },
    ]
  }

  instance_assume_role_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Ec2InThisAccount"
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = ["sts:AssumeRole"]
      Condition = { StringEquals = { "aws:SourceAccount" = var.aws_account_id } }
    }]
  }

  # Every bucket refuses plain HTTP, whoever asks. A Deny on s3:* is the documented way to say so.
  tls_only_statement = {
    for b, arn in {
      artifacts = local.artifacts_bucket_arn
      backup    = local.backup_bucket_arn
      logs      = local.log_bucket_arn
      } : b => {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [arn, "${arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }

  # The access logs of the two buckets go to the log bucket, delivered by the logging service for
  # this account's buckets only.
  log_delivery_statement = {
    Sid       = "S3ServerAccessLogsFromOurBuckets"
    Effect    = "Allow"
    Principal = { Service = "logging.s3.amazonaws.com" }
    Action    = "s3:PutObject"
    Resource  = "${local.log_bucket_arn}/${local.access_log_prefix}*"
    Condition = {
      StringEquals = { "aws:SourceAccount" = var.aws_account_id }
      ArnLike      = { "aws:SourceArn" = [local.artifacts_bucket_arn, local.backup_bucket_arn] }
    }
  }
  access_log_prefix = "s3-access/"

  bucket_policies = {
    artifacts = { Version = "2012-10-17", Statement = [local.tls_only_statement.artifacts] }
    backup    = { Version = "2012-10-17", Statement = [local.tls_only_statement.backup] }
    logs      = { Version = "2012-10-17", Statement = [local.tls_only_statement.logs, local.log_delivery_statement] }
  }

  # Lifecycle rules as plain objects (the s3-bucket module makes one rule block of each). A null
  # field means "no such action in this rule".
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

  lifecycle_rules = {
    artifacts = local.common_lifecycle_rules
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
  }

  # IMDSv2 only. Hop limit 1: a container behind Docker's bridge is one hop further and cannot get
  # the instance role's credentials, which no container of the stack needs.
  metadata_options = {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = var.containers_need_instance_role ? 2 : 1
    http_protocol_ipv6          = "disabled"
    instance_metadata_tags      = "disabled"
  }
}
