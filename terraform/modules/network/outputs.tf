output "host_security_group_id" {
  description = "Security group of the Docker host."
  value       = aws_security_group.host.id
}

output "alb_security_group_id" {
  description = "Security group of the load balancer, or null without one."
  value       = one(aws_security_group.alb[*].id)
}


# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The security groups' rules (and the load balancer's group) as planned."
  value = {
    host_ingress       = aws_vpc_security_group_ingress_rule.host
    host_egress        = aws_vpc_security_group_egress_rule.host
    alb_security_group = aws_security_group.alb
    alb_ingress        = aws_vpc_security_group_ingress_rule.alb
  }
}
