# Inputs of the decisions. `platform` says which environment they are for: the single Docker host
# (terraform/) or EKS (terraform/eks). Each platform's own inputs are in variables_docker_host.tf and
# variables_eks.tf: null by default, and required (by their validations) on that platform only.

# ---- Identity of the deployment -------------------------------------------------------------------

variable "platform" {
  description = "The environment these decisions are for: docker-host (terraform/: one EC2 instance running the compose stack) or eks (terraform/eks: EKS, RDS, ElastiCache)."
  type        = string

  validation {
    condition     = contains(["docker-host", "eks"], var.platform)
    error_message = "platform must be docker-host or eks."
  }
}

variable "name" {
  description = "Name of the deployment, the prefix of every resource name (roles, security groups, units; the cluster, RDS and ElastiCache on EKS), e.g. voting-app-staging or voting-eks-production."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,37}[a-z0-9]$", var.name))
    error_message = "name must be 3-39 characters: lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment (staging or production): tags, the compose project name on the host."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "aws_partition" {
  description = "AWS partition of every ARN built here (aws, aws-cn, aws-us-gov)."
  type        = string
  default     = "aws"

  validation {
    condition     = contains(["aws", "aws-cn", "aws-us-gov"], var.aws_partition)
    error_message = "aws_partition must be aws, aws-cn or aws-us-gov."
  }
}

variable "aws_region" {
  description = "AWS region of everything here, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "aws_account_id" {
  description = "AWS account id (12 digits) every ARN and trust condition names."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be 12 digits."
  }
}

# ---- Network ------------------------------------------------------------------------------------

variable "ingress_cidrs" {
  description = "CIDR blocks (IPv4 or IPv6) allowed to reach the pages: on the Docker host its vote and result ports (or the load balancer's 80/443 with enable_alb), on EKS the public load balancer in front of the ingress controller. 0.0.0.0/0 and ::/0 are refused unless allow_ingress_from_anywhere is true."
  type        = list(string)

  validation {
    condition     = length(var.ingress_cidrs) > 0 && alltrue([for c in var.ingress_cidrs : try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "ingress_cidrs must be a non-empty list of valid CIDR blocks in canonical form (no host bits set), such as 203.0.113.0/24."
  }

  validation {
    condition     = var.allow_ingress_from_anywhere || length(setintersection(toset(var.ingress_cidrs), toset(["0.0.0.0/0", "::/0"]))) == 0
    error_message = "ingress_cidrs contains 0.0.0.0/0 or ::/0: set allow_ingress_from_anywhere = true to publish the pages to the whole internet on purpose."
  }
}

variable "allow_ingress_from_anywhere" {
  description = "Explicit consent to open the pages (the host, or a load balancer) to 0.0.0.0/0 and ::/0. False refuses such CIDRs in ingress_cidrs."
  type        = bool
  default     = false
}

# ---- Buckets and the key ------------------------------------------------------------------------

variable "backup_bucket_name" {
  description = "Name of the backup bucket (logical PostgreSQL dumps under backups/YYYY/MM/DD/, one bucket per environment). DNS-safe: 3-63 lower-case letters, digits and hyphens, no dots."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.backup_bucket_name)) && !can(regex("^xn--|^sthree-|-s3alias$|--ol-s3$|--x-s3$", var.backup_bucket_name))
    error_message = "backup_bucket_name must be DNS-safe: 3-63 characters of a-z, 0-9 and '-', no dots, starting and ending with a letter or digit, without the prefixes and suffixes S3 reserves."
  }
}

variable "log_bucket_name" {
  description = "Name of the bucket that receives the S3 server access logs of the other buckets (SSE-S3, the only encryption log delivery supports). DNS-safe like backup_bucket_name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.log_bucket_name)) && !can(regex("^xn--|^sthree-|-s3alias$|--ol-s3$|--x-s3$", var.log_bucket_name)) && var.log_bucket_name != var.backup_bucket_name
    error_message = "log_bucket_name must be DNS-safe: 3-63 characters of a-z, 0-9 and '-', no dots, starting and ending with a letter or digit, without the prefixes and suffixes S3 reserves, and not the backup bucket."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days an overwritten or deleted object version is kept before it expires, in every bucket."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650
    error_message = "noncurrent_version_expiration_days must be 1-3650."
  }
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which an unfinished multipart upload is aborted (its parts are billed until then), in every bucket."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_days >= 1 && var.abort_incomplete_multipart_days <= 365
    error_message = "abort_incomplete_multipart_days must be 1-365."
  }
}

variable "backup_transition_days" {
  description = "Age in days at which a backup moves to backup_storage_class."
  type        = number
  default     = 30

  validation {
    condition     = var.backup_transition_days >= 1
    error_message = "backup_transition_days must be at least 1."
  }
}

variable "backup_storage_class" {
  description = "The colder storage class backups move to after backup_transition_days (GLACIER_IR keeps restores instant)."
  type        = string
  default     = "GLACIER_IR"

  validation {
    condition     = contains(["STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], var.backup_storage_class)
    error_message = "backup_storage_class must be STANDARD_IA, ONEZONE_IA, GLACIER_IR, GLACIER or DEEP_ARCHIVE."
  }
}

variable "backup_expiration_days" {
  description = "Age in days at which a backup expires. It must leave the colder class's minimum storage duration (90 days for GLACIER_IR and GLACIER, 180 for DEEP_ARCHIVE, 30 for the IA classes) after the transition, or early deletion is billed."
  type        = number
  default     = 365

  validation {
    condition = var.backup_expiration_days - var.backup_transition_days >= lookup({
      STANDARD_IA = 30, ONEZONE_IA = 30, GLACIER_IR = 90, GLACIER = 90, DEEP_ARCHIVE = 180
    }, var.backup_storage_class, 90)
    error_message = "backup_expiration_days must come after backup_transition_days by at least the storage class's minimum duration (30, 90 or 180 days)."
  }
}

variable "log_expiration_days" {
  description = "Days the S3 access logs are kept."
  type        = number
  default     = 90

  validation {
    condition     = var.log_expiration_days >= 1 && var.log_expiration_days <= 3650
    error_message = "log_expiration_days must be 1-3650."
  }
}

variable "kms_key_arn" {
  description = "ARN of the project's customer-managed KMS key: on the host the secret, the artifacts and backup buckets and the EBS volumes; on EKS RDS, ElastiCache, the secrets, Kubernetes Secrets, the backup bucket and the log groups."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$", var.kms_key_arn))
    error_message = "kms_key_arn must be the full ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<uuid>)."
  }
}
