output "arn" {
  description = "Role ARN (externalSecrets.roleArn of the chart for the IRSA role)."
  value       = aws_iam_role.this.arn
}
