# Production. Staging differs only by its own file (environments/staging.tfvars).
# Nothing here is secret: the passwords are generated into Secrets Manager by the apply.
environment    = "production"
aws_region     = "eu-west-1"
aws_account_id = "123456789012" # replace with the production account
subnet_id      = "subnet-0123456789abcdef0"

instance_type     = "t3.large"
enable_monitoring = true

# Who may open the pages: the office and the VPN (documentation ranges here; replace them).
ingress_cidrs = ["203.0.113.0/24", "198.51.100.0/24"]

artifacts_bucket_name  = "example-voting-app-production-artifacts"
backup_bucket_name     = "example-voting-app-production-backups"
log_bucket_name        = "example-voting-app-production-s3-logs"
backup_expiration_days = 365

# What runs is not here but in a release file given after this one (README.md, "Deploy a commit"):
#   terraform plan -var-file=environments/production.tfvars -var-file=release.tfvars
# with image_repository, image_digests (the CI image job's outputs), bundle_path and compose_sha256.

option_labels = { a = "Cats", b = "Dogs" }
