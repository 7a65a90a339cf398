terraform {
  # 1.11: write-only arguments (the Redis AUTH token and the passwords never reach the state) and S3
  # native state locking. The random provider is required by modules/secret.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # auth_token_wo of aws_elasticache_replication_group (hashicorp/terraform-provider-aws#49268)
      # needs a 6.x release that has it: `terraform init -upgrade` takes the newest 6.x.
      version = ">= 6.0, < 7.0"
    }
  }
}
