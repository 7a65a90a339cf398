output "state_bucket" {
  description = "Put this in environments/<env>.s3.tfbackend (bucket)."
  value       = module.state_bucket.name
}

output "state_key_arn" {
  description = "KMS key of the state bucket (kms_key_id in the backend files, optional: the bucket's default encryption uses it anyway)."
  value       = module.key.arn
}
