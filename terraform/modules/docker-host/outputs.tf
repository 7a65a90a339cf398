output "instance_id" {
  description = "Instance id (aws ssm start-session --target <id>)."
  value       = aws_instance.this.id
}

output "role_name" {
  description = "Name of the instance role (issue 13's backup job runs with it)."
  value       = module.role.name
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The instance and its role as planned."
  value       = { instance = aws_instance.this, role = module.role.resources.role, role_policy = module.role.resources.policy }
  sensitive   = true # the provider marks some of its attributes sensitive (none set here)
}
