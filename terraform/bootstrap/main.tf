# Run once per AWS account, with local state, before anything else: the bucket that holds the
# environments' Terraform state (versioned, SSE-KMS with its own rotating key, private, TLS only, old
# versions kept 90 days). Locking needs no table: the S3 backend's use_lockfile writes a lock object.
#   cd terraform/bootstrap && terraform init && terraform apply -var state_bucket_name=... -var aws_region=...
# Keep the resulting terraform.tfstate somewhere safe (it holds no secret), or import the bucket later.

module "key" {
  source = "../modules/kms-key"

  name        = "voting-app-tfstate"
  description = "Terraform state of the voting app"
}

module "state_bucket" {
  source = "../modules/s3-bucket"

  name        = var.state_bucket_name
  kms_key_arn = module.key.arn
  policy_json = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::${var.state_bucket_name}", "arn:aws:s3:::${var.state_bucket_name}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  lifecycle_rules = [
    {
      id                                 = "abort-incomplete-multipart-uploads"
      prefix                             = ""
      abort_incomplete_multipart_days    = 7
      noncurrent_version_expiration_days = 90
      transition_days                    = null
      transition_storage_class           = null
      expiration_days                    = null
    },
  ]
}
