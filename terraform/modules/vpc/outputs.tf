output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "subnet_ids" {
  description = "Subnet ids by tier (public, nodes, cache, database), in zone order."
  value = {
    for tier, list in var.subnets : tier => [for i, _ in list : aws_subnet.this["${tier}-${i}"].id]
  }
}

output "nat_public_ips" {
  description = "Addresses the nodes' outbound traffic leaves from (allow-list them where needed)."
  value       = [for e in aws_eip.nat : e.public_ip]
}
