# The state bucket's root, planned with a mocked AWS provider (no account): the bucket that holds
# every environment's state is private, versioned, encrypted with its own rotating key, TLS only.

mock_provider "aws" {
  override_during = plan

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
      key_id = "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
    }
  }
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
