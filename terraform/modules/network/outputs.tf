output "host_security_group_id" {
  description = "Security group of the Docker host."
  value       = aws_security_group.host.id
}

output "alb_security_group_id" {
  description = "Security group of the load balancer, or null without one."
  value       = one(aws_security_group.alb[*].id)
}
