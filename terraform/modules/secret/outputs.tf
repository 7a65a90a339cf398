output "arn" {
  description = "ARN of the secret; whatever uses it waits until its values are written."
  value       = aws_secretsmanager_secret.this.arn

  # The host's first boot and ElastiCache's token read the values: they must exist by then.
  depends_on = [terraform_data.rotation, terraform_data.added_keys]
}

output "name" {
  description = "Name of the secret (External Secrets' remote key)."
  value       = aws_secretsmanager_secret.this.name
}


# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The secret (never its value: Terraform has none) and the provisioners that write it, as planned."
  value       = { secret = aws_secretsmanager_secret.this, rotation = terraform_data.rotation, added_keys = terraform_data.added_keys }
}
