# State in S3, locked with a lock object next to it (use_lockfile, Terraform 1.10+: no DynamoDB
# table). The bucket, key and region of each environment are in environments/<env>.s3.tfbackend:
#   terraform init -backend-config=environments/staging.s3.tfbackend
# The bucket is made once by bootstrap/ (versioned, encrypted, private); see README.md.
terraform {
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
