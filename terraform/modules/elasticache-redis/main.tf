# Redis 7 on ElastiCache: one replication group with cluster mode disabled, one primary and replicas
# in the other zones, automatic failover behind the primary endpoint, TLS required, encrypted at rest
# with the project's key, an AUTH token (set from Secrets Manager by set-auth-token.sh, never through
# Terraform's state). Reached from the cluster's nodes only (its security group is made by the root
# with modules/security-group).
#
# Cluster mode stays disabled: the queue is one list (one key cannot be spread over shards), and the
# worker's Lua scripts touch the queue, its processing lists, the registry, the heartbeat and the
# vote clock in one call, which Redis Cluster refuses unless every key hashes to one slot.
# No AOF: ElastiCache does not offer appendonly on Redis 7. A vote's durability is the replicas plus
# the acknowledgement rule REDIS_WAIT_REPLICAS (README); a failover to a replica that had not
# received a write loses it unless that rule held the answer until a replica had it.

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

# Rendered as modules/rds-postgres renders its parameter group (ElastiCache's take no apply_method).
resource "aws_elasticache_parameter_group" "this" {
  name        = var.name
  family      = var.settings.parameter_group_family
  description = "${var.name}: a full Redis refuses writes instead of evicting queued votes"

  dynamic "parameter" {
    for_each = var.parameters
    content {
      name  = parameter.value.name
      value = parameter.value.value
    }
  }
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.name
  description          = "${var.name}: the vote queue"
  engine               = var.settings.engine
  engine_version       = var.settings.engine_version
  node_type            = var.settings.node_type
  port                 = var.port
  parameter_group_name = aws_elasticache_parameter_group.this.name
  subnet_group_name    = aws_elasticache_subnet_group.this.name
  security_group_ids   = [var.security_group_id]

  cluster_mode            = var.settings.cluster_mode
  num_node_groups         = var.settings.num_node_groups
  replicas_per_node_group = var.settings.replicas_per_node_group

  automatic_failover_enabled = var.settings.automatic_failover_enabled
  multi_az_enabled           = var.settings.multi_az_enabled

  transit_encryption_enabled = var.settings.transit_encryption_enabled
  transit_encryption_mode    = var.settings.transit_encryption_mode
  at_rest_encryption_enabled = var.settings.at_rest_encryption_enabled
  kms_key_id                 = var.settings.kms_key_arn

  # No auth_token here: it would be stored in the state, and provider 5.100 has no write-only
  # variant. The token is set by terraform_data.auth_token below, straight from Secrets Manager.

  # Daily snapshots: not a queue's durability (a snapshot is minutes old), but a way back after a
  # mistake such as a FLUSHALL.
  snapshot_retention_limit = var.settings.snapshot_retention_limit
  snapshot_window          = "01:00-02:00"
  maintenance_window       = "sun:04:30-sun:05:30"
  apply_immediately        = false
}

# The AUTH token, from the secret the chart reads it from, sent by set-auth-token.sh with the aws CLI
# on the machine that runs the apply: on creation (then AUTH is required) and on a new version (the
# previous token keeps working next to the new one until the version after, so running pods are not
# cut off while External Secrets brings them the new one).
resource "terraform_data" "auth_token" {
  triggers_replace = [aws_elasticache_replication_group.this.id, var.auth_token_version]

  provisioner "local-exec" {
    command = "bash '${path.module}/set-auth-token.sh'"
    environment = {
      REPLICATION_GROUP_ID = aws_elasticache_replication_group.this.id
      SECRET_ID            = var.auth_token_secret_arn
      SECRET_KEY           = "auth-token" # the chart's externalSecrets.remoteRefs.redisPassword.property
    }
  }
}
