output "name" {
  description = "Bucket name (as configured: known when planning, unlike the id)."
  value       = aws_s3_bucket.this.bucket
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The bucket's resources as planned (bucket, ownership, public access block, versioning, encryption, policy, lifecycle, logging)."
  value = {
    bucket              = aws_s3_bucket.this
    ownership           = aws_s3_bucket_ownership_controls.this
    public_access_block = aws_s3_bucket_public_access_block.this
    versioning          = aws_s3_bucket_versioning.this
    encryption          = aws_s3_bucket_server_side_encryption_configuration.this
    policy              = aws_s3_bucket_policy.this
    lifecycle           = aws_s3_bucket_lifecycle_configuration.this
    logging             = aws_s3_bucket_logging.this
  }
}
