# Provider-free on purpose: every security decision of the stack (IAM documents, network rules, bucket
# lifecycles, instance metadata options, the host's user data) is computed here from plain inputs, so
# `terraform test` can check them on a machine that cannot download the AWS provider.
terraform {
  required_version = ">= 1.11.0"
}
