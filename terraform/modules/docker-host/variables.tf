variable "name" {
  description = "Name of the host, its role and its instance profile."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lower-case letters, digits and hyphens."
  }
}

variable "ami_id" {
  description = "AMI of the host (Amazon Linux 2023: the user data uses dnf and its repository)."
  type        = string

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be an AMI id (ami-...)."
  }
}

variable "instance_type" {
  description = "Instance type (the policy module checks it against the allowed list)."
  type        = string
  # no validation: the policy module holds the list of allowed types.
}

variable "subnet_id" {
  description = "Subnet of the host."
  type        = string

  validation {
    condition     = can(regex("^subnet-[0-9a-f]{8,17}$", var.subnet_id))
    error_message = "subnet_id must be a subnet id (subnet-...)."
  }
}

variable "security_group_ids" {
  description = "Security groups of the host (the network module's)."
  type        = list(string)

  validation {
    condition     = length(var.security_group_ids) > 0
    error_message = "At least one security group."
  }
}

variable "assume_role_policy_json" {
  description = "Trust policy of the role (policy module)."
  type        = string

  validation {
    condition     = can(jsondecode(var.assume_role_policy_json))
    error_message = "assume_role_policy_json must be JSON."
  }
}

variable "instance_policy_json" {
  description = "Permissions of the role (policy module)."
  type        = string

  validation {
    condition     = can(jsondecode(var.instance_policy_json))
    error_message = "instance_policy_json must be JSON."
  }
}

variable "metadata_options" {
  description = "Instance metadata options (policy module): IMDSv2 required."
  type = object({
    http_endpoint               = string
    http_tokens                 = string
    http_put_response_hop_limit = number
    http_protocol_ipv6          = string
    instance_metadata_tags      = string
  })

  validation {
    condition     = var.metadata_options.http_tokens == "required"
    error_message = "IMDSv2 must be required (http_tokens = required)."
  }
}

variable "user_data" {
  description = "First-boot script (policy module); holds no secret."
  type        = string

  validation {
    condition     = length(var.user_data) < 16384
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

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "data_volume_id" {
  description = "EBS volume with Docker's data, attached as /dev/sdf (the user data finds it by id)."
  type        = string

  validation {
    condition     = can(regex("^vol-[0-9a-f]{8,17}$", var.data_volume_id))
    error_message = "data_volume_id must be a volume id (vol-...)."
  }
}

variable "detailed_monitoring" {
  description = "One-minute CloudWatch metrics for the instance (billed; five-minute metrics are free)."
  type        = bool
  default     = false
}
