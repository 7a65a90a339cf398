output "arn" {
  description = "Key ARN."
  value       = aws_kms_key.this.arn
}

output "alias" {
  description = "Key alias."
  value       = aws_kms_alias.this.name
}
