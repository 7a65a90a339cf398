# One workload's IAM role: a trust policy and one inline policy, both from modules/policy, and
# with EKS Pod Identity the association that binds it to one ServiceAccount of one namespace.

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = var.assume_role_policy_json
}

resource "aws_iam_role_policy" "this" {
  name   = var.name
  role   = aws_iam_role.this.id
  policy = var.policy_json
}

resource "aws_eks_pod_identity_association" "this" {
  count = var.pod_identity == null ? 0 : 1

  cluster_name    = var.pod_identity.cluster_name
  namespace       = var.pod_identity.namespace
  service_account = var.pod_identity.service_account
  role_arn        = aws_iam_role.this.arn
}
