variable "name" {
  description = "Replication group id and name of its groups."
  type        = string
  # no validation: modules/policy validates the environment's name.
}

variable "security_group_id" {
  description = "The security group of the replication group (modules/security-group, made by the root: its port from the cluster's nodes only, no egress)."
  type        = string
  # no validation: an id this configuration creates.
}

variable "subnet_ids" {
  description = "The three cache subnets."
  type        = list(string)
  # no validation: modules/vpc makes one per zone of modules/policy's availability_zones, which validates that they are three.
}

variable "settings" {
  description = "The replication group's settings (modules/policy redis_settings)."
  type = object({
    engine                     = string
    engine_version             = string
    parameter_group_family     = string
    cluster_mode               = string
    num_node_groups            = number
    replicas_per_node_group    = number
    automatic_failover_enabled = bool
    multi_az_enabled           = bool
    transit_encryption_enabled = bool
    transit_encryption_mode    = string
    at_rest_encryption_enabled = bool
    kms_key_arn                = string
    auth_token_required        = bool
    node_type                  = string
    snapshot_retention_limit   = number
  })

  validation {
    condition     = var.settings.cluster_mode == "disabled" && var.settings.num_node_groups == 1
    error_message = "Cluster mode must stay disabled (one shard): the queue is one list and the worker's Lua scripts touch several keys."
  }
}

variable "parameters" {
  description = "Parameters of the parameter group (modules/policy: maxmemory-policy noeviction)."
  type = list(object({
    name  = string
    value = string
  }))
  # no validation: modules/policy makes and tests it.
}

variable "port" {
  description = "Port Redis listens on."
  type        = number
  # no validation: modules/policy validates redis_port.
}

variable "auth_token_secret_arn" {
  description = "The Secrets Manager secret that holds the AUTH token (the secret module's, which the chart also reads): set-auth-token.sh sends its value to ElastiCache."
  type        = string
  # no validation: the secret this configuration creates (modules/secret).
}
variable "auth_token_version" {
  description = "Version of the AUTH token (the secret module's secret_version): a new one sends the secret's new token, which ElastiCache accepts next to the old one (ROTATE) until the next change."
  type        = number
  # no validation: the secret module validates secret_version.
}
