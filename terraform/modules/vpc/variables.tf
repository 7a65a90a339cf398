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

variable "subnets" {
  description = "Subnets by tier (public, nodes, cache, database), each a list of {az, cidr}: modules/policy's subnets output."
  type = map(list(object({
    az   = string
    cidr = string
  })))

  validation {
    condition     = toset(keys(var.subnets)) == toset(["public", "nodes", "cache", "database"])
    error_message = "subnets must have exactly the tiers public, nodes, cache and database."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per zone (production: a zone's outage leaves the others their way out) or a single one (staging: cheaper)."
  type        = bool
}

variable "interface_endpoints" {
  description = "AWS services reached through interface endpoints in the node subnets (modules/policy)."
  type        = list(string)
  # no validation: modules/policy decides the list.
}

variable "gateway_endpoints" {
  description = "AWS services reached through gateway endpoints on the private route tables (modules/policy)."
  type        = list(string)
  # no validation: modules/policy decides the list.
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

variable "flow_log" {
  description = "Flow log settings (modules/policy flow_log): traffic_type, max_aggregation_interval, log_group_name."
  type = object({
    traffic_type             = string
    max_aggregation_interval = number
    log_group_name           = string
  })
  # no validation: modules/policy makes and tests it.
}

variable "flow_log_assume_role_policy_json" {
  description = "Trust policy of the flow logs' delivery role (modules/policy)."
  type        = string
  # no validation: modules/policy makes and tests it.
}

variable "flow_log_policy_json" {
  description = "Policy of the flow logs' delivery role: write into the flow log group only (modules/policy)."
  type        = string
  # no validation: modules/policy makes and tests it.
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
