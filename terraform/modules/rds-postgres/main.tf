# PostgreSQL 15 on RDS: Multi-AZ (a synchronous standby in another zone, failover in one to two
# minutes behind the same endpoint), storage encrypted with the project's key, TLS required
# (rds.force_ssl), automated backups with point-in-time recovery, deletion protection and a final
# snapshot, and the master password generated and kept by RDS in Secrets Manager (never in Terraform's
# state). Reached from the cluster's nodes only (its security group is made by the root with
# modules/security-group). Settings from modules/policy.

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = var.settings.parameter_group_family
  description = "${var.name}: TLS only, max_connections sized for the app's pools"

  dynamic "parameter" {
    for_each = var.parameters
    content {
      name         = parameter.value.name
      value        = parameter.value.value
      apply_method = parameter.value.apply_method
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

# The log groups RDS exports to, made first so they are encrypted with the project's key and kept
# log_retention_days (RDS would make them unencrypted, kept forever).
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(var.settings.enabled_cloudwatch_logs_exports)

  name              = "/aws/rds/instance/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.settings.kms_key_arn
}

resource "aws_db_instance" "this" {
  identifier     = var.name
  engine         = var.settings.engine
  engine_version = var.settings.engine_major_version
  instance_class = var.settings.instance_class
  port           = var.port
  # No db_name: the app uses "postgres" (the chart's postgresql.database), which RDS always makes.
  # The master user is the operator's and the chart's roles Job's only (the app logs in as
  # voting_owner, worker, result and voting_monitor, which that Job makes).
  username                      = "postgres"
  manage_master_user_password   = var.settings.manage_master_user_password
  master_user_secret_kms_key_id = var.settings.master_user_secret_kms_key_arn

  allocated_storage     = var.allocated_storage_gib
  max_allocated_storage = var.max_allocated_storage_gib
  storage_type          = "gp3"
  storage_encrypted     = var.settings.storage_encrypted
  kms_key_id            = var.settings.kms_key_arn

  multi_az               = var.settings.multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [var.security_group_id]
  publicly_accessible    = var.settings.publicly_accessible
  parameter_group_name   = aws_db_parameter_group.this.name

  backup_retention_period   = var.settings.backup_retention_period
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot     = var.settings.copy_tags_to_snapshot
  deletion_protection       = var.settings.deletion_protection
  skip_final_snapshot       = var.settings.skip_final_snapshot
  final_snapshot_identifier = "${var.name}-final"

  iam_database_authentication_enabled   = var.settings.iam_database_authentication_enabled
  performance_insights_enabled          = var.settings.performance_insights_enabled
  performance_insights_kms_key_id       = var.settings.kms_key_arn
  performance_insights_retention_period = 7
  enabled_cloudwatch_logs_exports       = var.settings.enabled_cloudwatch_logs_exports
  auto_minor_version_upgrade            = var.settings.auto_minor_version_upgrade
  ca_cert_identifier                    = "rds-ca-rsa2048-g1"

  # A new parameter group (max_connections) waits for the maintenance window's reboot unless asked.
  apply_immediately = false

  depends_on = [aws_cloudwatch_log_group.this]
}
