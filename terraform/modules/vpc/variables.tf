variable "name" {
  description = "Name prefix of the VPC and its parts."
  type        = string
  # no validation: modules/policy validates the environment's name.
}

variable "cluster_name" {
  description = "The EKS cluster's name, for the subnet tags the load balancer controller and Karpenter-style discovery read."
  type        = string
  # no validation: modules/policy validates the environment's name, which the cluster takes.
}

variable "vpc_cidr" {
  description = "The VPC's IPv4 /16."
  type        = string
  # no validation: modules/policy validates vpc_cidr.
}

# The network's decisions, as modules/policy outputs them.
variable "policy" {
  description = "modules/policy's decisions for the network: subnets by tier (public, nodes, cache, database; a list of {az, cidr} each), the interface and gateway endpoints' services, and the flow log (settings, its role's trust policy and policy)."
  type = object({
    subnets = map(list(object({
      az   = string
      cidr = string
    })))
    interface_endpoints = list(string)
    gateway_endpoints   = list(string)
    flow_log = object({
      traffic_type             = string
      max_aggregation_interval = number
      log_group_name           = string
    })
    flow_log_role = object({
      assume_role_policy_json = string
      policy_json             = string
    })
  })

  validation {
    condition     = toset(keys(var.policy.subnets)) == toset(["public", "nodes", "cache", "database"])
    error_message = "subnets must have exactly the tiers public, nodes, cache and database."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per zone (production: a zone's outage leaves the others their way out) or a single one (staging: cheaper)."
  type        = bool
}

variable "endpoint_security_group_id" {
  description = "The interface endpoints' security group (modules/security-group, made by the root: HTTPS from the cluster's nodes only)."
  type        = string
  # no validation: an id this configuration creates.
}

variable "region" {
  description = "AWS region of the endpoints' service names."
  type        = string
  # no validation: modules/policy validates aws_region.
}

variable "kms_key_arn" {
  description = "The project's key, which encrypts the flow log group (its key policy lets CloudWatch Logs in)."
  type        = string
  # no validation: modules/policy validates kms_key_arn.
}

variable "log_retention_days" {
  description = "Days the flow logs are kept."
  type        = number
  # no validation: the root's log_retention_days, which modules/eks-cluster validates.
}
