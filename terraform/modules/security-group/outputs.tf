output "id" {
  description = "The security group's id."
  value       = aws_security_group.this.id
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The group and its rules as planned."
  value       = { security_group = aws_security_group.this, ingress = aws_vpc_security_group_ingress_rule.this, egress = aws_vpc_security_group_egress_rule.this }
}
