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
variable "policy_json" {
  description = "Key policy (JSON); null keeps AWS's default policy (the account and its IAM policies decide)."
  type        = string
  default     = null

  validation {
    condition     = var.policy_json == null || can(jsondecode(var.policy_json).Statement)
    error_message = "policy_json must be a JSON policy document or null."
  }
}
