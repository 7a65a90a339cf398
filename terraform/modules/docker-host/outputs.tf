output "instance_id" {
  description = "Instance id (aws ssm start-session --target <id>)."
  value       = aws_instance.this.id
}

output "public_ip" {
  description = "Public IPv4 address, if the subnet gives one."
  value       = aws_instance.this.public_ip
}

output "private_ip" {
  description = "Private IPv4 address."
  value       = aws_instance.this.private_ip
}

output "role_arn" {
  description = "ARN of the instance role."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the instance role (issue 13's backup job runs with it)."
  value       = aws_iam_role.this.name
}
