# The Docker host's role and instance metadata options (platform = "docker-host"; null on EKS).

locals {
  # Where the host reads compose bundles.
  bundle_prefix = "bundles/"

  # Session Manager's minimal instance permissions (AWS docs, "Create a custom IAM role for Session
  # Manager", without the optional S3/KMS session logging). The ssmmessages actions define no resource
  # type, so "*" is the only resource they accept; the tests allow "*" for exactly these actions.
  ssm_channel_actions = [
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
  ]

  instance_policy = local.on_host ? {
    Version = "2012-10-17"
    Statement = concat(
      [
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
          Condition = { StringEquals = { "kms:ViaService" = [local.via_sm, local.via_s3] } }
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
      ],
      local.backup_statements,
      [
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
      ],
    )
  } : null

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
