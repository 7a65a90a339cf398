# The host's security group, and the load balancer's when there is one. Every rule comes from the
# policy module; modules/security-group turns each into a resource. The two groups name each other as
# peers: the host's pages from the load balancer's group, the load balancer's way out to the host's.

module "host" {
  source = "../security-group"

  name        = "${var.name}-host"
  description = "Docker host of ${var.name}: the vote and result ports, HTTPS out"
  vpc_id      = var.vpc_id
  rules       = var.rules["host"]
  peers       = { alb = one(module.alb[*].id) }
}

module "alb" {
  source = "../security-group"
  count  = var.enable_alb ? 1 : 0

  name        = "${var.name}-alb"
  description = "Load balancer of ${var.name}: 80/443 in, the host's two ports out"
  vpc_id      = var.vpc_id
  rules       = lookup(var.rules, "alb", {})
  peers       = { host = module.host.id }
}

# Where these were before modules/security-group (an existing stack keeps its groups and rules).
# One moved block per resource, alike by design: Terraform has no other way to keep an object.
moved {
  from = aws_security_group.host
  to   = module.host.aws_security_group.this
}
moved {
  from = aws_vpc_security_group_ingress_rule.host
  to   = module.host.aws_vpc_security_group_ingress_rule.this
}
moved {
  from = aws_vpc_security_group_egress_rule.host
  to   = module.host.aws_vpc_security_group_egress_rule.this
}
moved {
  from = aws_security_group.alb[0]
  to   = module.alb[0].aws_security_group.this
}
moved {
  from = aws_vpc_security_group_ingress_rule.alb
  to   = module.alb[0].aws_vpc_security_group_ingress_rule.this
}
moved {
  from = aws_vpc_security_group_egress_rule.alb
  to   = module.alb[0].aws_vpc_security_group_egress_rule.this
}
