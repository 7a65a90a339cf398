variable "name" {
  description = "Identifier of the instance and name of its groups."
  type        = string
  # no validation: modules/policy validates the environment's name.
}

variable "security_group_id" {
  description = "The security group of the instance (modules/security-group, made by the root: its port from the cluster's nodes only, no egress)."
  type        = string
  # no validation: an id this configuration creates.
}

variable "subnet_ids" {
  description = "The three database subnets."
  type        = list(string)
  # no validation: modules/vpc makes one per zone of modules/policy's availability_zones, which validates that they are three.
}

variable "settings" {
  description = "The instance's settings (modules/policy postgres_settings)."
  type = object({
    engine                              = string
    engine_major_version                = string
    parameter_group_family              = string
    multi_az                            = bool
    storage_encrypted                   = bool
    kms_key_arn                         = string
    publicly_accessible                 = bool
    deletion_protection                 = bool
    backup_retention_period             = number
    manage_master_user_password         = bool
    master_user_secret_kms_key_arn      = string
    iam_database_authentication_enabled = bool
    performance_insights_enabled        = bool
    copy_tags_to_snapshot               = bool
    skip_final_snapshot                 = bool
    auto_minor_version_upgrade          = bool
    enabled_cloudwatch_logs_exports     = list(string)
    instance_class                      = string
  })
  # no validation: modules/policy makes and tests it.
}

variable "parameters" {
  description = "Parameters of the parameter group (modules/policy: rds.force_ssl, max_connections, ...)."
  type = list(object({
    name         = string
    value        = string
    apply_method = string
  }))

  validation {
    condition     = contains([for p in var.parameters : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "The parameter group must set rds.force_ssl=1."
  }
}

variable "port" {
  description = "Port PostgreSQL listens on."
  type        = number
  # no validation: modules/policy validates postgres_port.
}

variable "allocated_storage_gib" {
  description = "Initial gp3 storage in GiB (storage autoscaling grows it up to max_allocated_storage_gib)."
  type        = number
  default     = 50

  validation {
    condition     = var.allocated_storage_gib >= 20 && var.allocated_storage_gib <= 65536
    error_message = "allocated_storage_gib must be 20-65536."
  }
}

variable "max_allocated_storage_gib" {
  description = "Ceiling of storage autoscaling in GiB."
  type        = number
  default     = 500

  validation {
    condition     = var.max_allocated_storage_gib >= var.allocated_storage_gib && var.max_allocated_storage_gib <= 65536
    error_message = "max_allocated_storage_gib must be at least allocated_storage_gib and at most 65536."
  }
}
variable "log_retention_days" {
  description = "Days the logs RDS exports (postgresql, upgrade) are kept in CloudWatch Logs."
  type        = number
  default     = 90
  # no validation: the root's log_retention_days, which modules/eks-cluster validates.
}
