output "arn" {
  description = "Role ARN (externalSecrets.roleArn of the chart for the IRSA role)."
  value       = aws_iam_role.this.arn
}

output "name" {
  description = "Role name (an instance profile's role)."
  value       = aws_iam_role.this.name
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The role and its inline policy (null without one) as planned."
  value       = { role = aws_iam_role.this, policy = one(aws_iam_role_policy.this) }
}
