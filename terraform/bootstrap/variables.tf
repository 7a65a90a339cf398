variable "aws_region" {
  description = "Region of the state bucket (the backend files name the same)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "state_bucket_name" {
  description = "Name of the state bucket, globally unique and DNS-safe."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be DNS-safe: 3-63 characters of a-z, 0-9 and '-'."
  }
}
