output "address" {
  description = "The instance's DNS name (the chart's postgresql.host); it follows a Multi-AZ failover."
  value       = aws_db_instance.this.address
}

output "master_user_secret_arn" {
  description = "The Secrets Manager secret RDS keeps the master password in (JSON: username, password); RDS rotates it."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The instance, its parameter group and log groups as planned."
  value = {
    instance        = aws_db_instance.this
    parameter_group = aws_db_parameter_group.this
    log_groups      = aws_cloudwatch_log_group.this
  }
  sensitive = true # the provider marks some of aws_db_instance's attributes sensitive (password: never set here)
}
