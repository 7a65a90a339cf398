terraform {
  # 1.11: S3 native state locking (use_lockfile), and `terraform test` with mock providers whose
  # values can be known at plan time (override_during).
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The version `terraform test` runs with (.terraform.lock.hcl pins it exactly; README.md, "Provider
      # and lock file"). 6.x would need the configuration and its tests checked again.
      version = "~> 5.100.0"
    }
  }
}
