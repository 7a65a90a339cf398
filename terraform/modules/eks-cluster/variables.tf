variable "name" {
  description = "Cluster name."
  type        = string
  # no validation: modules/policy validates the environment's name, which the cluster takes.
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane and the node groups, e.g. 1.33."
  type        = string

  validation {
    condition     = can(regex("^1\\.(3[0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be 1.30-1.39 (a version EKS supports in standard support)."
  }
}

variable "subnet_ids" {
  description = "Private node subnets (three zones): the control plane's network interfaces and the nodes go there."
  type        = list(string)
  # no validation: modules/vpc makes one per zone of modules/policy's availability_zones, which validates that they are three.
}

variable "log_retention_days" {
  description = "Days the control plane logs are kept in CloudWatch Logs."
  type        = number
  default     = 90

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180, 365, 400, 545, 731], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention: 30, 60, 90, 120, 150, 180, 365, 400, 545 or 731."
  }
}

variable "kms_key_arn" {
  description = "The project's key: envelope encryption of Kubernetes Secrets in etcd, and the control plane's log group (its key policy must let CloudWatch Logs in)."
  type        = string
  # no validation: modules/policy validates kms_key_arn.
}

# The cluster's decisions, as modules/policy outputs them.
variable "policy" {
  description = "modules/policy's decisions for the cluster: cluster_access (authentication mode, creator admin, private and public endpoint, public CIDRs), cluster_log_types, roles (cluster and node: their trust policies and AWS-managed policies), admin_role_arns and admin_access_policy_arn."
  type = object({
    cluster_access = object({
      authentication_mode                         = string
      bootstrap_cluster_creator_admin_permissions = bool
      endpoint_private_access                     = bool
      endpoint_public_access                      = bool
      public_access_cidrs                         = list(string)
    })
    cluster_log_types = list(string)
    roles = map(object({
      assume_role_policy_json = string
      managed_policy_arns     = list(string)
    }))
    admin_role_arns         = list(string)
    admin_access_policy_arn = string
  })
  # no validation: modules/policy makes and tests it.
}

variable "node_groups" {
  description = "Managed node groups by name: instance types, ON_DEMAND or SPOT, sizes. docs/capacity.md says how many nodes a rate needs."
  type = map(object({
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gib  = number
  }))

  validation {
    condition = length(var.node_groups) > 0 && alltrue([
      for g in values(var.node_groups) :
      contains(["ON_DEMAND", "SPOT"], g.capacity_type) && g.min_size >= 1 && g.min_size <= g.desired_size
      && g.desired_size <= g.max_size && g.max_size <= 450 && g.disk_size_gib >= 20 && length(g.instance_types) > 0
      && alltrue([for t in g.instance_types : can(regex("^(m|c|r)[5-8][a-z]*\\.(large|[0-9]*xlarge)$", t))])
    ])
    error_message = "Each node group needs ON_DEMAND or SPOT, 1 <= min <= desired <= max <= 450, a disk of at least 20 GiB, and m/c/r instance types of generation 5-8 (large or bigger)."
  }
}

variable "addon_versions" {
  description = "Pinned versions of the EKS add-ons (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent); a missing one takes EKS's default for the Kubernetes version. List them with: aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.addon_versions : contains(["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"], k) && can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", v))])
    error_message = "addon_versions keys must be vpc-cni, coredns, kube-proxy or eks-pod-identity-agent, and values versions such as v1.19.2-eksbuild.1."
  }
}
