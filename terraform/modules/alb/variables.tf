variable "name" {
  description = "Prefix of the load balancer and target group names (at most 32 characters with -alb)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}[a-z0-9]$", var.name))
    error_message = "name must be 3-26 lower-case letters, digits and hyphens."
  }
}

variable "vpc_id" {
  description = "VPC of the target groups."
  type        = string
  # no validation: read from the host's subnet.
}

variable "subnet_ids" {
  description = "Public subnets of the load balancer, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must be at least two subnet ids."
  }
}

variable "security_group_id" {
  description = "Security group of the load balancer (the network module's)."
  type        = string
  # no validation: an id this configuration creates (modules/network).
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener, covering both host names."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "instance_id" {
  description = "The Docker host, target of both pages."
  type        = string
  # no validation: an id this configuration creates (modules/docker-host).
}

variable "pages" {
  description = "The two pages: host name on the listener and port on the host, keyed vote and result."
  type = map(object({
    host = string
    port = number
  }))

  validation {
    condition     = toset(keys(var.pages)) == toset(["vote", "result"]) && alltrue([for p in values(var.pages) : can(regex("^[a-z0-9.-]+\\.[a-z]{2,}$", p.host))])
    error_message = "pages must have the keys vote and result, each with a DNS host name."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer until this is turned off."
  type        = bool
  default     = true
}
