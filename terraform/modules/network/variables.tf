variable "name" {
  description = "Prefix of the security group names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lower-case letters, digits and hyphens."
  }
}

variable "vpc_id" {
  description = "VPC of the security groups."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "enable_alb" {
  description = "Whether a load balancer security group is made (the policy module's rules then refer to it as peer \"alb\")."
  type        = bool
  default     = false
}

# The rule maps of the policy module: key => { description, from_port, to_port, ip_protocol, cidr, peer }.
variable "host_ingress_rules" {
  description = "Ingress rules of the host (policy module output host_ingress_rules)."
  type = map(object({
    description = string
    from_port   = number
    to_port     = number
    ip_protocol = string
    cidr        = string
    peer        = string
  }))

  validation {
    condition     = alltrue([for r in values(var.host_ingress_rules) : length(r.description) > 0 && (r.cidr == null) != (r.peer == null)])
    error_message = "Every rule needs a description and exactly one of cidr and peer."
  }
}

variable "host_egress_rules" {
  description = "Egress rules of the host (policy module output host_egress_rules)."
  type = map(object({
    description = string
    from_port   = number
    to_port     = number
    ip_protocol = string
    cidr        = string
    peer        = string
  }))

  validation {
    condition     = alltrue([for r in values(var.host_egress_rules) : length(r.description) > 0 && (r.cidr == null) != (r.peer == null)])
    error_message = "Every rule needs a description and exactly one of cidr and peer."
  }
}

variable "alb_ingress_rules" {
  description = "Ingress rules of the load balancer (policy module output alb_ingress_rules), CIDRs only."
  type = map(object({
    description = string
    from_port   = number
    to_port     = number
    ip_protocol = string
    cidr        = string
    peer        = string
  }))
  default = {}

  validation {
    condition     = alltrue([for r in values(var.alb_ingress_rules) : length(r.description) > 0 && r.cidr != null])
    error_message = "Every load balancer ingress rule needs a description and a CIDR."
  }
}

variable "alb_egress_rules" {
  description = "Egress rules of the load balancer (policy module output alb_egress_rules), peers only."
  type = map(object({
    description = string
    from_port   = number
    to_port     = number
    ip_protocol = string
    cidr        = string
    peer        = string
  }))
  default = {}

  validation {
    condition     = alltrue([for r in values(var.alb_egress_rules) : length(r.description) > 0 && r.peer != null])
    error_message = "Every load balancer egress rule needs a description and a peer."
  }
}
