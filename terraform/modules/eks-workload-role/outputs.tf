output "arn" {
  description = "Role ARN (externalSecrets.roleArn of the chart for the IRSA role)."
  value       = aws_iam_role.this.arn
}


# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The role and its policy as planned."
  value       = { role = aws_iam_role.this, policy = aws_iam_role_policy.this }
}
