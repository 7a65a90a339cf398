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
