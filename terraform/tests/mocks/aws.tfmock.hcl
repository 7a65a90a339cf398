# What the mocked AWS provider answers in the roots' tests (tests/plan.tftest.hcl,
# eks/tests/plan.tftest.hcl, bootstrap/tests/plan.tftest.hcl: mock_provider "aws" { source = ... }).
# With override_during = plan there, what an apply would make (ARNs, ids) is known in the plan, so the
# assertions can compare it; data sources answer like the account would (random strings would fail
# the modules' validations). One block per resource type: a mock gives no defaults to several types.

mock_data "aws_partition" {
  defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
}
mock_data "aws_subnet" {
  defaults = { availability_zone = "eu-west-1a", vpc_id = "vpc-0123456789abcdef0" }
}
mock_data "aws_ssm_parameter" {
  defaults = { value = "ami-0123456789abcdef0", type = "String" }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
    key_id = "0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
  }
}
mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting-app/stack-AbCdEf" }
}

# The Docker host.
mock_resource "aws_ebs_volume" {
  defaults = { id = "vol-0123456789abcdef0" }
}
mock_resource "aws_security_group" {
  defaults = { id = "sg-0123456789abcdef0" }
}
mock_resource "aws_instance" {
  defaults = { id = "i-0123456789abcdef0" }
}
mock_resource "aws_eip" {
  defaults = { public_dns = "ec2-203-0-113-10.eu-west-1.compute.amazonaws.com" }
}

# EKS.
mock_resource "aws_vpc" {
  defaults = { id = "vpc-0123456789abcdef0" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mocked" }
}
mock_resource "aws_elasticache_replication_group" {
  defaults = { id = "voting-eks-mocked" }
}
mock_resource "aws_eks_cluster" {
  defaults = {
    vpc_config            = { cluster_security_group_id = "sg-0c1c2c3c4c5c6c7c8" }
    identity              = [{ oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF" }] }]
    certificate_authority = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==" }]
  }
}
mock_resource "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF" }
}
mock_resource "aws_db_instance" {
  defaults = {
    master_user_secret = [{
      kms_key_id    = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
      secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f-AbCdEf"
      secret_status = "active"
    }]
  }
}
