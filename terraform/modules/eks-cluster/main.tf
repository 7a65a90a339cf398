# The EKS control plane and its managed node groups. Access is by access entries only (authentication
# mode API: no aws-auth ConfigMap), every control plane log type goes to CloudWatch Logs, Kubernetes
# Secrets are envelope-encrypted with the project's key, and the IAM OIDC provider lets one
# ServiceAccount (External Secrets' SecretStore) assume its role (IRSA); EKS Pod Identity's agent
# serves the other workload roles (the backup job). Decisions come from modules/policy.

locals {
  addons = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns"]
}

# Made before the cluster so the retention and the encryption are ours (EKS would make it without
# either). The key's policy lets CloudWatch Logs use it for this group.
resource "aws_cloudwatch_log_group" "control_plane" {
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# The control plane's role and the nodes' role: a trust policy and AWS-managed policies each.
module "role" {
  source   = "../iam-role"
  for_each = var.policy.roles

  name = "${var.name}-${each.key}"
  role = each.value
}

# Where the roles were before modules/iam-role (an existing cluster keeps them).
# One moved block per resource, alike by design: Terraform has no other way to keep an object.
moved {
  from = aws_iam_role.cluster
  to   = module.role["cluster"].aws_iam_role.this
}
moved {
  from = aws_iam_role_policy_attachment.cluster
  to   = module.role["cluster"].aws_iam_role_policy_attachment.this
}
moved {
  from = aws_iam_role.node
  to   = module.role["node"].aws_iam_role.this
}
moved {
  from = aws_iam_role_policy_attachment.node
  to   = module.role["node"].aws_iam_role_policy_attachment.this
}

resource "aws_eks_cluster" "this" {
  name     = var.name
  version  = var.kubernetes_version
  role_arn = module.role["cluster"].arn

  enabled_cluster_log_types = var.policy.cluster_log_types

  access_config {
    authentication_mode                         = var.policy.cluster_access.authentication_mode
    bootstrap_cluster_creator_admin_permissions = var.policy.cluster_access.bootstrap_cluster_creator_admin_permissions
  }

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = var.policy.cluster_access.endpoint_private_access
    endpoint_public_access  = var.policy.cluster_access.endpoint_public_access
    public_access_cidrs     = var.policy.cluster_access.endpoint_public_access ? var.policy.cluster_access.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = var.kms_key_arn
    }
  }

  depends_on = [aws_cloudwatch_log_group.control_plane, module.role]
}

# ---- Who may use the API ----

resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.policy.admin_role_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = toset(var.policy.admin_role_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin[each.key].principal_arn
  policy_arn    = var.policy.admin_access_policy_arn

  access_scope {
    type = "cluster"
  }
}

# IRSA: the chart's SecretStore gets tokens for its ServiceAccount from this issuer. No thumbprint:
# IAM trusts the EKS issuers' certificates by its own root store.
resource "aws_iam_openid_connect_provider" "this" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]
}

# ---- Nodes ----

# IMDSv2 only, hop limit 1: pods (one hop further) cannot take the node role's credentials; they use
# IRSA or Pod Identity. The root volume is encrypted with the account's EBS key: a customer key would
# also need a grant for the Auto Scaling service-linked role.
resource "aws_launch_template" "node" {
  for_each = var.node_groups

  name_prefix            = "${var.name}-${each.key}-"
  update_default_version = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = each.value.disk_size_gib
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${var.name}-${each.key}" }
  }
}

resource "aws_eks_node_group" "this" {
  for_each = var.node_groups

  cluster_name    = aws_eks_cluster.this.name
  node_group_name = each.key
  version         = var.kubernetes_version
  node_role_arn   = module.role["node"].arn
  subnet_ids      = var.subnet_ids
  ami_type        = "AL2023_x86_64_STANDARD"
  capacity_type   = each.value.capacity_type
  instance_types  = each.value.instance_types

  launch_template {
    id      = aws_launch_template.node[each.key].id
    version = aws_launch_template.node[each.key].latest_version
  }

  scaling_config {
    min_size     = each.value.min_size
    max_size     = each.value.max_size
    desired_size = each.value.desired_size
  }

  update_config {
    max_unavailable_percentage = 33
  }

  # A cluster autoscaler (or an operator) moves desired_size; an apply must not move it back.
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [module.role]
}

resource "aws_eks_addon" "this" {
  for_each = toset(local.addons)

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = lookup(var.addon_versions, each.key, null)
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  # CoreDNS needs nodes to become active.
  depends_on = [aws_eks_node_group.this]
}
