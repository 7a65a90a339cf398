variable "name" {
  description = "Prefix of the security group names."
  type        = string
  # no validation: modules/policy validates the environment's name; a group's name takes up to 255 characters.
}

variable "vpc_id" {
  description = "VPC of the security groups."
  type        = string
  # no validation: read from the host's subnet.
}

variable "enable_alb" {
  description = "Whether a load balancer security group is made (the policy module's rules then refer to it as peer \"alb\")."
  type        = bool
  default     = false
}

# The policy module's rule maps: group (host, alb) => direction (ingress, egress) => key => rule.
variable "rules" {
  description = "Rules of the host (the policy module's host_ingress_rules, host_egress_rules) and of the load balancer (alb_ingress_rules: CIDRs only; alb_egress_rules: peers only), as { host = { ingress, egress }, alb = { ingress, egress } }; each rule { description, from_port, to_port, ip_protocol, cidr, peer }."
  # The rules' type is modules/security-group's (each group's rules are passed on to it as they are).
  type = any

  validation {
    condition     = contains(keys(var.rules), "host") && alltrue([for g in keys(var.rules) : contains(["host", "alb"], g)])
    error_message = "rules must have the group host, and may have alb, nothing else."
  }

  validation {
    condition = alltrue(concat(
      [for r in values(lookup(lookup(var.rules, "alb", {}), "ingress", {})) : r.cidr != null],
      [for r in values(lookup(lookup(var.rules, "alb", {}), "egress", {})) : r.peer != null],
    ))
    error_message = "Every load balancer ingress rule needs a CIDR, and every egress rule a peer."
  }
}
