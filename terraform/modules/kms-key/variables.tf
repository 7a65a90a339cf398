variable "name" {
  description = "Alias of the key (alias/<name>)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,250}$", var.name)) && !startswith(var.name, "aws/")
    error_message = "name must be letters, digits, /, _ and -, not starting with aws/."
  }
}

variable "description" {
  description = "What the key encrypts, shown in the KMS console."
  type        = string

  validation {
    condition     = length(var.description) > 0 && length(var.description) <= 8192
    error_message = "description must be 1-8192 characters."
  }
}

variable "rotation_period_in_days" {
  description = "Days between automatic rotations of the key material."
  type        = number
  default     = 365

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560
    error_message = "rotation_period_in_days must be 90-2560."
  }
}

variable "deletion_window_in_days" {
  description = "Days a scheduled deletion of the key can still be cancelled."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be 7-30."
  }
}

variable "policy_json" {
  description = "Key policy (JSON); null keeps AWS's default policy (the account and its IAM policies decide)."
  type        = string
  default     = null

  validation {
    condition     = var.policy_json == null || can(jsondecode(var.policy_json).Statement)
    error_message = "policy_json must be a JSON policy document or null."
  }
}
