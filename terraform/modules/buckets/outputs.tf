output "names" {
  description = "Bucket names by key (as configured: known when planning)."
  value       = merge({ logs = module.log_bucket.name }, { for k, b in module.bucket : k => b.name })
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "Each bucket's resources as planned, by key (modules/s3-bucket's resources)."
  value       = merge({ logs = module.log_bucket.resources }, { for k, b in module.bucket : k => b.resources })
}
