# Sample inputs of modules/policy on the Docker host, for run.sh: `terraform apply` of the module
# itself (it has no provider, so it runs offline) renders the user data and the secret-fetching
# script, which are shellchecked and run for real against a loopback Secrets Manager stand-in.
# run.sh adds -var enable_monitoring=<false|true> and -var secret_arn=<the stand-in's secret>.
platform              = "docker-host"
name                  = "voting-app-ci"
environment           = "staging"
aws_region            = "eu-west-1"
aws_account_id        = "123456789012"
instance_type         = "t3.medium"
data_volume_id        = "vol-0123456789abcdef0"
compose_sha256        = { x86_64 = "1111111111111111111111111111111111111111111111111111111111111111", aarch64 = "2222222222222222222222222222222222222222222222222222222222222222" }
ingress_cidrs         = ["203.0.113.0/24"]
artifacts_bucket_name = "voting-app-ci-artifacts"
backup_bucket_name    = "voting-app-ci-backups"
log_bucket_name       = "voting-app-ci-logs"
kms_key_arn           = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"
image_repository      = "ghcr.io/example/voting-app"
image_digests = {
  vote   = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
  worker = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
  result = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
}
bundle_key    = "bundles/voting-app-ci.tar.gz"
bundle_sha256 = "4444444444444444444444444444444444444444444444444444444444444444"
