output "name" {
  description = "Cluster name (aws eks update-kubeconfig --name <name>)."
  value       = aws_eks_cluster.this.name
}

output "cluster_security_group_id" {
  description = "The cluster security group: every managed node (and pod) carries it; the data stores take connections from it only."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "The IAM OIDC provider of the cluster (IRSA)."
  value       = aws_iam_openid_connect_provider.this.arn
}

# The resources as planned, for the roots' tests (terraform test reads only outputs of a root's modules).
output "resources" {
  description = "The control plane's log group, the cluster, the launch templates and node groups as planned."
  value = {
    log_group        = aws_cloudwatch_log_group.control_plane
    cluster          = aws_eks_cluster.this
    launch_templates = aws_launch_template.node
    node_groups      = aws_eks_node_group.this
  }
}
