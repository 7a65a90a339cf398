# The AWS provider and the variables it reads, the same in both roots: terraform/eks/providers.tf is a
# link to this file (as are its backend.tf and versions.tf), so the two cannot drift. The variables are
# here rather than in each root's variables.tf for that reason, hence the tflint-ignore annotations.

provider "aws" {
  region = var.aws_region

  # Refuse to touch any other account: a wrong profile fails the plan instead of changing something.
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = merge(var.tags, {
      Project     = "voting-app"
      Environment = var.environment
      ManagedBy   = "terraform"
    })
  }
}

# tflint-ignore: terraform_standard_module_structure # shared with terraform/eks (see above)
variable "environment" {
  description = "Environment: staging or production. Names every resource (voting-app-<environment> on the Docker host, voting-eks-<environment> on EKS)."
  type        = string
  # no validation: modules/policy validates environment.
}

# tflint-ignore: terraform_standard_module_structure # shared with terraform/eks (see above)
variable "aws_region" {
  description = "AWS region of everything here, e.g. eu-west-1."
  type        = string
  # no validation: modules/policy validates aws_region.
}

# tflint-ignore: terraform_standard_module_structure # shared with terraform/eks (see above)
variable "aws_account_id" {
  description = "The only AWS account this configuration may change (the provider refuses any other)."
  type        = string
  # no validation: modules/policy validates aws_account_id.
}

# tflint-ignore: terraform_standard_module_structure # shared with terraform/eks (see above)
variable "tags" {
  description = "Extra tags on every resource (Project, Environment and ManagedBy are always set)."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(var.tags) <= 40
    error_message = "At most 40 extra tags."
  }
}
