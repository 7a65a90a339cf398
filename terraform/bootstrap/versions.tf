terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # As the environments' roots (../versions.tf): the version .terraform.lock.hcl pins.
      version = "~> 5.100.0"
    }
  }
}
