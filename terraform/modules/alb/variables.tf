variable "name" {
  description = "Prefix of the load balancer and target group names (AWS allows 32 characters: with -alb and -result, 25 for the prefix)."
  type        = string
  # no validation: the environment's name, voting-app-<environment> (modules/policy validates the environment).
}

variable "vpc_id" {
  description = "VPC of the target groups."
  type        = string
  # no validation: read from the host's subnet.
}

variable "subnet_ids" {
  description = "Public subnets of the load balancer, in at least two availability zones."
  type        = list(string)
  # no validation: the root's alb_subnet_ids, validated there (at least two subnet ids with enable_alb).
}

variable "security_group_id" {
  description = "Security group of the load balancer (the network module's)."
  type        = string
  # no validation: an id this configuration creates (modules/network).
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener, covering both host names."
  type        = string
  # no validation: the root's alb_certificate_arn, validated there (an ACM certificate ARN with enable_alb).
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

  # The host names are the root's vote_host_name and result_host_name, validated there.
  validation {
    condition     = toset(keys(var.pages)) == toset(["vote", "result"])
    error_message = "pages must have the keys vote and result."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the load balancer until this is turned off."
  type        = bool
  default     = true
}
