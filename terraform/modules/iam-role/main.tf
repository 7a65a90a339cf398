# One IAM role as modules/policy decides it: its trust policy, its permissions (an inline policy,
# AWS-managed policies, or both) and, with EKS Pod Identity, the association that binds it to one
# ServiceAccount of one namespace. Every role of both environments: the Docker host's, the VPC flow
# logs', the EKS cluster's and nodes', and the workloads' (External Secrets with IRSA, the backup job).

resource "aws_iam_role" "this" {
  name               = var.name
  description        = var.description
  assume_role_policy = var.role.assume_role_policy_json
}

resource "aws_iam_role_policy" "this" {
  count = var.role.policy_json == null ? 0 : 1

  name   = var.name
  role   = aws_iam_role.this.id
  policy = var.role.policy_json
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = toset(var.role.managed_policy_arns)

  role       = aws_iam_role.this.name
  policy_arn = each.value
}

resource "aws_eks_pod_identity_association" "this" {
  count = var.pod_identity == null ? 0 : 1

  cluster_name    = var.pod_identity.cluster_name
  namespace       = var.pod_identity.namespace
  service_account = var.pod_identity.service_account
  role_arn        = aws_iam_role.this.arn
}
