output "arn" {
  description = "Key ARN."
  value       = aws_kms_key.this.arn
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The key as planned."
  value       = { key = aws_kms_key.this }
}
