# Provider-free on purpose, like modules/policy: every security and sizing decision of the EKS
# environment (subnet layout, security group rules, IAM documents, RDS and ElastiCache settings and
# parameters, the connection budget) is computed here from plain inputs, so `terraform test` checks
# them on a machine that cannot download the AWS provider.
terraform {
  required_version = ">= 1.11.0"
}
