variable "name" {
  description = "Name of the host, its role and its instance profile."
  type        = string
  # no validation: the environment's name, voting-app-<environment> (modules/policy validates the environment; modules/iam-role the role's name).
}

variable "ami_id" {
  description = "AMI of the host (Amazon Linux 2023: the user data uses dnf and its repository)."
  type        = string
  # no validation: the root's ami_id (validated there), or the latest Amazon Linux 2023 from SSM.
}

variable "subnet_id" {
  description = "Subnet of the host."
  type        = string
  # no validation: the root validates subnet_id.
}

variable "security_group_ids" {
  description = "Security groups of the host (the network module's)."
  type        = list(string)
  # no validation: ids this configuration creates (modules/network).
}

# The host's decisions, as modules/policy outputs them.
variable "policy" {
  description = "modules/policy's decisions for the host: instance_type (checked against the allowed list), the instance role (its roles.instance: trust policy and permissions), metadata_options (IMDSv2 required) and the first-boot script (user_data; holds no secret)."
  type = object({
    instance_type = string
    role = object({
      assume_role_policy_json = string
      policy_json             = string
    })
    metadata_options = object({
      http_endpoint               = string
      http_tokens                 = string
      http_put_response_hop_limit = number
      http_protocol_ipv6          = string
      instance_metadata_tags      = string
    })
    user_data = string
  })

  validation {
    condition     = can(jsondecode(var.policy.role.assume_role_policy_json)) && can(jsondecode(var.policy.role.policy_json))
    error_message = "The instance role's trust policy and permissions must be JSON."
  }

  validation {
    condition     = var.policy.metadata_options.http_tokens == "required"
    error_message = "IMDSv2 must be required (http_tokens = required)."
  }

  validation {
    condition     = length(var.policy.user_data) < 16384
    error_message = "EC2 user data is limited to 16 KiB."
  }
}

variable "root_volume_size" {
  description = "Size of the encrypted gp3 root volume in GiB (the OS and Docker's binaries; Docker's data is on the data volume)."
  type        = number
  default     = 20

  validation {
    condition     = var.root_volume_size >= 8 && var.root_volume_size <= 200
    error_message = "root_volume_size must be 8-200 GiB."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key of the root volume."
  type        = string
  # no validation: the key this configuration creates (modules/kms-key).
}

variable "data_volume_id" {
  description = "EBS volume with Docker's data, attached as /dev/sdf (the user data finds it by id)."
  type        = string
  # no validation: a volume this configuration creates.
}

variable "detailed_monitoring" {
  description = "One-minute CloudWatch metrics for the instance (billed; five-minute metrics are free)."
  type        = bool
  default     = false
}
