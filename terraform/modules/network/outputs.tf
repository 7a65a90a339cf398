output "host_security_group_id" {
  description = "Security group of the Docker host."
  value       = module.host.id
}

output "alb_security_group_id" {
  description = "Security group of the load balancer, or null without one."
  value       = one(module.alb[*].id)
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The security groups' rules (and the load balancer's group) as planned."
  value = {
    host_ingress       = module.host.resources.ingress
    host_egress        = module.host.resources.egress
    alb_security_group = [for m in module.alb : m.resources.security_group]
    alb_ingress        = merge({}, [for m in module.alb : m.resources.ingress]...)
  }
}
