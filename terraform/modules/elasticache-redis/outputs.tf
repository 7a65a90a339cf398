output "primary_endpoint" {
  description = "The primary endpoint's DNS name (the chart's redis.host): after a failover it names the new primary."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The replication group and the token provisioner as planned."
  value       = { replication_group = aws_elasticache_replication_group.this, auth_token = terraform_data.auth_token }
  sensitive   = true # the provider marks some of its attributes sensitive (none set here)
}
