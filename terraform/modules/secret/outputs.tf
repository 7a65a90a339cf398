output "arn" {
  description = "ARN of the secret (the one the instance role may read)."
  value       = aws_secretsmanager_secret.this.arn
}
