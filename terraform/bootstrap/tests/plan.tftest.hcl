# The state bucket's root, planned with a mocked AWS provider (no account): the bucket that holds
# every environment's state is private, versioned, encrypted with its own rotating key, TLS only.

# The mocked provider's answers are the other roots' (../tests/mocks/aws.tfmock.hcl: the key's ARN).
mock_provider "aws" {
  source          = "../tests/mocks"
  override_during = plan
}

variables {
  aws_region        = "eu-west-1"
  state_bucket_name = "example-voting-app-tfstate"
}

run "state_bucket_private_and_encrypted" {
  command = plan

  assert {
    condition = (
      module.state_bucket.resources.public_access_block.block_public_acls
      && module.state_bucket.resources.public_access_block.block_public_policy
      && module.state_bucket.resources.public_access_block.ignore_public_acls
      && module.state_bucket.resources.public_access_block.restrict_public_buckets
      && one(module.state_bucket.resources.versioning.versioning_configuration).status == "Enabled"
      && !module.state_bucket.resources.bucket.force_destroy
    )
    error_message = "The state bucket is public, unversioned, or may be destroyed with the states in it."
  }

  assert {
    condition = (
      one(one(module.state_bucket.resources.encryption.rule).apply_server_side_encryption_by_default).kms_master_key_id == module.key.arn
      && module.key.resources.key.enable_key_rotation
    )
    error_message = "The state bucket is not encrypted with its own rotating key."
  }

  assert {
    condition = anytrue([
      for s in jsondecode(module.state_bucket.resources.policy.policy).Statement :
      s.Effect == "Deny" && s.Condition == { Bool = { "aws:SecureTransport" = "false" } }
    ])
    error_message = "The state bucket takes requests without TLS."
  }
}
