variable "name" {
  description = "Name of the group (and its Name tag), e.g. voting-app-staging-host or voting-eks-production-postgres."
  type        = string
  # no validation: the callers make it from the environment's name, which modules/policy validates.
}

variable "description" {
  description = "What the group guards and lets through, shown in the console."
  type        = string
  # no validation: the callers write it.
}

variable "vpc_id" {
  description = "VPC of the group."
  type        = string
  # no validation: read from the host's subnet (terraform/) or made by modules/vpc (terraform/eks).
}

# The policy module's rule maps by direction: { ingress = { key => rule }, egress = { key => rule } }.
variable "rules" {
  description = "Rules by direction (ingress, egress; either may be left out), each a map of key => { description, from_port, to_port, ip_protocol, and cidr or peer }, from modules/policy."
  type = map(map(object({
    description = string
    from_port   = number
    to_port     = number
    ip_protocol = string
    cidr        = string
    peer        = string
  })))

  validation {
    condition     = alltrue([for d in keys(var.rules) : contains(["ingress", "egress"], d)])
    error_message = "rules may only have the keys ingress and egress."
  }

  validation {
    condition = alltrue(flatten([
      for rules in values(var.rules) : [for r in values(rules) : length(r.description) > 0 && (r.cidr == null) != (r.peer == null)]
    ]))
    error_message = "Every rule needs a description and exactly one of cidr and peer."
  }
}

variable "peers" {
  description = "Security group ids by the peer names the rules use (nodes, alb, host)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue(flatten([for rules in values(var.rules) : [for r in values(rules) : r.peer == null ? true : contains(keys(var.peers), r.peer)]]))
    error_message = "A rule names a peer that peers does not give."
  }
}

variable "peers_only" {
  description = "Refuse every rule that names a CIDR: the group takes (and sends) traffic from its peers' groups only, as the data stores and the VPC endpoints do."
  type        = bool
  default     = false
}
