output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "subnet_ids" {
  description = "Subnet ids by tier (public, nodes, cache, database), in zone order."
  value = {
    for tier, list in var.policy.subnets : tier => [for i, _ in list : aws_subnet.this["${tier}-${i}"].id]
  }
}

output "nat_public_ips" {
  description = "Addresses the nodes' outbound traffic leaves from (allow-list them where needed)."
  value       = [for e in aws_eip.nat : e.public_ip]
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The subnets, the default security group and the flow log as planned."
  value = {
    subnets                = aws_subnet.this
    default_security_group = aws_default_security_group.this
    flow_log               = aws_flow_log.this
    flow_log_group         = aws_cloudwatch_log_group.flow_logs
    flow_log_role_policy   = module.flow_logs_role.resources.policy
  }
}
