# State in the same bucket as the single host's (bootstrap/), under its own key, locked with a lock
# object (use_lockfile). Each environment's bucket, key and region: environments/<env>.s3.tfbackend:
#   terraform init -backend-config=environments/staging.s3.tfbackend
terraform {
  backend "s3" {
    use_lockfile = true
    encrypt      = true
  }
}
