# State in S3, locked with a lock object next to it (use_lockfile, Terraform 1.10+: no DynamoDB
# table). The same for both roots (terraform/eks/backend.tf is a link to this file); each
# environment's bucket, key and region are in environments/<env>.s3.tfbackend beside the root:
#   terraform init -backend-config=environments/staging.s3.tfbackend
# The bucket is made once by bootstrap/ (versioned, encrypted, private); see README.md.
terraform {
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
