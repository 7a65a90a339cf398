# One security group and its rules, as the policy module decides them: every rule names a CIDR (IPv4
# or IPv6, told apart here) or a peer, another group by the name the policy gives it ("nodes", "alb",
# "host"), which the caller maps to an id. Used for every group of both environments: the Docker
# host's and its load balancer's (modules/network), RDS's, ElastiCache's and the VPC endpoints'.

resource "aws_security_group" "this" {
  name        = var.name
  description = var.description
  vpc_id      = var.vpc_id

  tags = { Name = var.name }

  lifecycle {
    precondition {
      condition     = !var.peers_only || alltrue(flatten([for rules in values(var.rules) : [for r in values(rules) : r.cidr == null]]))
      error_message = "${var.name} takes connections from its peers' security groups only, never from a CIDR."
    }
  }
}

locals {
  # Each rule with the arguments of its resource: exactly one of the two CIDRs or the peer's group.
  rules = {
    for direction in ["ingress", "egress"] : direction => {
      for key, r in lookup(var.rules, direction, {}) : key => {
        description                  = r.description
        ip_protocol                  = r.ip_protocol
        from_port                    = r.from_port
        to_port                      = r.to_port
        cidr_ipv4                    = r.cidr != null && !strcontains(coalesce(r.cidr, "-"), ":") ? r.cidr : null
        cidr_ipv6                    = r.cidr != null && strcontains(coalesce(r.cidr, "-"), ":") ? r.cidr : null
        referenced_security_group_id = r.peer == null ? null : var.peers[r.peer]
      }
    }
  }
}

# Ingress and egress are two resource types with the same arguments: the one repetition left here.
resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = local.rules.ingress

  security_group_id            = aws_security_group.this.id
  description                  = each.value.description
  ip_protocol                  = each.value.ip_protocol
  from_port                    = each.value.from_port
  to_port                      = each.value.to_port
  cidr_ipv4                    = each.value.cidr_ipv4
  cidr_ipv6                    = each.value.cidr_ipv6
  referenced_security_group_id = each.value.referenced_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each = local.rules.egress

  security_group_id            = aws_security_group.this.id
  description                  = each.value.description
  ip_protocol                  = each.value.ip_protocol
  from_port                    = each.value.from_port
  to_port                      = each.value.to_port
  cidr_ipv4                    = each.value.cidr_ipv4
  cidr_ipv6                    = each.value.cidr_ipv6
  referenced_security_group_id = each.value.referenced_security_group_id
}
