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
