terraform {
  # 1.11: write-only arguments (the passwords never reach the state) and S3 native state locking.
  # The random provider (ephemeral passwords) is required by modules/secret.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}
