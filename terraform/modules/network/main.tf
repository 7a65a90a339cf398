# The host's security group, and the load balancer's when there is one. Every rule comes from the
# policy module; this only turns each into a resource (IPv4 or IPv6 by the CIDR, or a peer group).

resource "aws_security_group" "host" {
  name        = "${var.name}-host"
  description = "Docker host of ${var.name}: the vote and result ports, HTTPS out"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-host" }
}

resource "aws_security_group" "alb" {
  count = var.enable_alb ? 1 : 0

  name        = "${var.name}-alb"
  description = "Load balancer of ${var.name}: 80/443 in, the host's two ports out"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-alb" }
}

locals {
  peers = {
    host = aws_security_group.host.id
    alb  = one(aws_security_group.alb[*].id)
  }
}

resource "aws_vpc_security_group_ingress_rule" "host" {
  for_each = var.host_ingress_rules

  security_group_id            = aws_security_group.host.id
  description                  = each.value.description
  ip_protocol                  = each.value.ip_protocol
  from_port                    = each.value.from_port
  to_port                      = each.value.to_port
  cidr_ipv4                    = each.value.cidr != null && !strcontains(coalesce(each.value.cidr, "-"), ":") ? each.value.cidr : null
  cidr_ipv6                    = each.value.cidr != null && strcontains(coalesce(each.value.cidr, "-"), ":") ? each.value.cidr : null
  referenced_security_group_id = each.value.peer == null ? null : local.peers[each.value.peer]
}

resource "aws_vpc_security_group_egress_rule" "host" {
  for_each = var.host_egress_rules

  security_group_id            = aws_security_group.host.id
  description                  = each.value.description
  ip_protocol                  = each.value.ip_protocol
  from_port                    = each.value.from_port
  to_port                      = each.value.to_port
  cidr_ipv4                    = each.value.cidr != null && !strcontains(coalesce(each.value.cidr, "-"), ":") ? each.value.cidr : null
  cidr_ipv6                    = each.value.cidr != null && strcontains(coalesce(each.value.cidr, "-"), ":") ? each.value.cidr : null
  referenced_security_group_id = each.value.peer == null ? null : local.peers[each.value.peer]
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = var.enable_alb ? var.alb_ingress_rules : {}

  security_group_id = aws_security_group.alb[0].id
  description       = each.value.description
  ip_protocol       = each.value.ip_protocol
  from_port         = each.value.from_port
  to_port           = each.value.to_port
  cidr_ipv4         = !strcontains(each.value.cidr, ":") ? each.value.cidr : null
  cidr_ipv6         = strcontains(each.value.cidr, ":") ? each.value.cidr : null
}

resource "aws_vpc_security_group_egress_rule" "alb" {
  for_each = var.enable_alb ? var.alb_egress_rules : {}

  security_group_id            = aws_security_group.alb[0].id
  description                  = each.value.description
  ip_protocol                  = each.value.ip_protocol
  from_port                    = each.value.from_port
  to_port                      = each.value.to_port
  referenced_security_group_id = local.peers[each.value.peer]
}
