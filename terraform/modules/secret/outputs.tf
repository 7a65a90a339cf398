output "arn" {
  description = "ARN of the secret (the one the instance role may read)."
  value       = aws_secretsmanager_secret.this.arn
}

# Ephemeral: never in plan or state. The EKS environment hands the Redis AUTH token to ElastiCache's
# write-only argument in the same apply that writes it here.
output "values" {
  description = "The generated passwords by key, ephemeral (only for write-only arguments of the same apply)."
  value       = { for k in var.keys : k => ephemeral.random_password.this[k].result }
  ephemeral   = true
}
