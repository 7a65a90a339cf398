variable "name" {
  description = "Secret name, e.g. voting-app-staging/stack."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", var.name))
    error_message = "name must be 1-512 characters of letters, digits and /_+=.@-."
  }
}

variable "description" {
  description = "What the secret holds."
  type        = string
  default     = "Passwords of the voting app's compose stack, one JSON key each."

  validation {
    condition     = length(var.description) <= 2048
    error_message = "description must be at most 2048 characters."
  }
}

variable "keys" {
  description = "JSON keys of the secret, one generated password each (the policy module's secret_keys)."
  type        = list(string)

  validation {
    condition     = length(var.keys) > 0 && alltrue([for k in var.keys : can(regex("^[a-z][a-z0-9_-]*$", k))])
    error_message = "keys must be a non-empty list of lower-case names (letters, digits, _ and -; the chart's remote refs use auth-token and password)."
  }
}
variable "secret_version" {
  description = "Version of the generated passwords; increase it to generate and store new ones (then see the README: PostgreSQL keeps its old passwords until ALTER ROLE)."
  type        = number
  default     = 1

  validation {
    condition     = var.secret_version >= 1 && floor(var.secret_version) == var.secret_version
    error_message = "secret_version must be a whole number, 1 or more."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the secret."
  type        = string
  # no validation: the key this configuration creates (modules/kms-key).
}
