output "instance_id" {
  description = "Instance id (aws ssm start-session --target <id>)."
  value       = aws_instance.this.id
}

output "public_ip" {
  description = "Public IPv4 address, if the subnet gives one."
  value       = aws_instance.this.public_ip
}

output "role_name" {
  description = "Name of the instance role (issue 13's backup job runs with it)."
  value       = aws_iam_role.this.name
}


# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The instance and its role as planned."
  value       = { instance = aws_instance.this, role = aws_iam_role.this, role_policy = aws_iam_role_policy.this }
  sensitive   = true # the provider marks some of its attributes sensitive (none set here)
}
