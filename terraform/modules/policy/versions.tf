# Provider-free on purpose: every security decision of both environments (IAM documents, network
# rules, bucket lifecycles, instance metadata options, the host's user data; the EKS environment's
# subnets, cluster access, data store settings and connection budget) is computed here from plain
# inputs, so `terraform test` checks them without the AWS provider or an account.
terraform {
  required_version = ">= 1.11.0"
}
