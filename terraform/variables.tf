# Variables of one environment; environments/<env>.tfvars sets them. Those passed on to
# modules/policy as they are are validated there (the comment says so), once. Same-shaped blocks
# (vote_host_name and result_host_name, the bucket names) by design: one variable per input.

# ---- Where (environment, aws_region, aws_account_id and tags: providers.tf, shared with eks/) -------

variable "subnet_id" {
  description = "Public subnet of the host (its VPC is the security groups'); the data volume is made in its availability zone."
  type        = string

  validation {
    condition     = can(regex("^subnet-[0-9a-f]{8,17}$", var.subnet_id))
    error_message = "subnet_id must be a subnet id (subnet-...)."
  }
}

# ---- Host -----------------------------------------------------------------------------------------

variable "instance_type" {
  description = "EC2 instance type of the Docker host (t3.medium holds the stack; t3.large with monitoring)."
  type        = string
  # no validation: modules/policy holds the list of allowed types.
}

variable "ami_id" {
  description = "AMI of the host (Amazon Linux 2023); null takes the latest from SSM when the host is created, and later releases are ignored until this is set."
  type        = string
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be an AMI id (ami-...) or null."
  }
}

variable "containers_need_instance_role" {
  description = "Raise the IMDSv2 hop limit to 2 so containers can use the instance role: needed when the backup container (issue 13) runs on this host; false (hop limit 1) keeps every container away from the role."
  type        = bool
  default     = false
}

variable "root_volume_size" {
  description = "Root volume (gp3, encrypted) in GiB."
  type        = number
  default     = 20
  # no validation: modules/docker-host validates it.
}

variable "data_volume_size" {
  description = "Data volume (gp3, encrypted; Docker's images and volumes: PostgreSQL, Redis, monitoring) in GiB."
  type        = number
  default     = 30

  validation {
    condition     = var.data_volume_size >= 10 && var.data_volume_size <= 1000
    error_message = "data_volume_size must be 10-1000 GiB."
  }
}

variable "docker_version" {
  description = "Docker Engine version from the Amazon Linux 2023 repository."
  type        = string
  default     = "25.0.8"
  # no validation: modules/policy validates docker_version.
}

variable "compose_version" {
  description = "Docker Compose plugin version (GitHub release)."
  type        = string
  default     = "2.39.4"
  # no validation: modules/policy validates compose_version.
}

variable "compose_sha256" {
  description = "SHA-256 of the Compose binary per architecture (x86_64, aarch64), from the release's .sha256 files."
  type        = map(string)
  # no validation: modules/policy validates compose_sha256.
}

# ---- Network --------------------------------------------------------------------------------------

variable "ingress_cidrs" {
  description = "CIDRs allowed to reach the pages (or the load balancer). 0.0.0.0/0 only with allow_ingress_from_anywhere."
  type        = list(string)
  # no validation: modules/policy validates ingress_cidrs (CIDR syntax, no 0.0.0.0/0 without consent).
}

variable "allow_ingress_from_anywhere" {
  description = "Explicit consent to publish the pages to the whole internet (0.0.0.0/0, ::/0)."
  type        = bool
  default     = false
}

variable "egress_https_cidrs" {
  description = "Where the host may open HTTPS connections (registries, repositories, AWS APIs)."
  type        = list(string)
  default     = ["0.0.0.0/0"]
  # no validation: modules/policy validates egress_https_cidrs.
}

variable "vote_port" {
  description = "Host port of the vote page."
  type        = number
  default     = 5000
  # no validation: modules/policy validates vote_port.
}

variable "result_port" {
  description = "Host port of the result page."
  type        = number
  default     = 5001
  # no validation: modules/policy validates result_port.
}

variable "enable_alb" {
  description = "Put an HTTPS Application Load Balancer in front of the host (needs alb_subnet_ids, alb_certificate_arn and the two host names)."
  type        = bool
  default     = false
}

variable "alb_subnet_ids" {
  description = "Public subnets of the load balancer, in two availability zones or more (enable_alb only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.alb_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))]) && (!var.enable_alb || length(var.alb_subnet_ids) >= 2)
    error_message = "alb_subnet_ids must be subnet ids, at least two (in two availability zones) with enable_alb."
  }
}

variable "alb_certificate_arn" {
  description = "ACM certificate of the load balancer's HTTPS listener, for both host names (enable_alb only)."
  type        = string
  default     = null

  validation {
    condition     = var.alb_certificate_arn == null ? !var.enable_alb : can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$", var.alb_certificate_arn))
    error_message = "alb_certificate_arn must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>); enable_alb needs it, null without."
  }
}

variable "vote_host_name" {
  description = "Host name of the vote page on the load balancer (enable_alb only), e.g. vote.example.com."
  type        = string
  default     = null

  validation {
    condition     = var.vote_host_name == null ? !var.enable_alb : can(regex("^[a-z0-9.-]+\\.[a-z]{2,}$", var.vote_host_name))
    error_message = "vote_host_name must be a DNS name; enable_alb needs it, null without."
  }
}

variable "result_host_name" {
  description = "Host name of the result page on the load balancer (enable_alb only), e.g. result.example.com."
  type        = string
  default     = null

  validation {
    condition     = var.result_host_name == null ? !var.enable_alb : can(regex("^[a-z0-9.-]+\\.[a-z]{2,}$", var.result_host_name))
    error_message = "result_host_name must be a DNS name; enable_alb needs it, null without."
  }
}

variable "alb_deletion_protection" {
  description = "Refuse to delete the load balancer (enable_alb only); set false and apply before a destroy."
  type        = bool
  default     = true
}

# ---- Storage --------------------------------------------------------------------------------------

variable "artifacts_bucket_name" {
  description = "Name of the artifacts bucket (compose bundles); globally unique."
  type        = string
  # no validation: modules/policy validates the bucket names (DNS-safe).
}

variable "backup_bucket_name" {
  description = "Name of the backup bucket; globally unique."
  type        = string
  # no validation: modules/policy validates the bucket names (DNS-safe).
}

variable "log_bucket_name" {
  description = "Name of the bucket of the S3 access logs; globally unique."
  type        = string
  # no validation: modules/policy validates the bucket names (DNS-safe).
}

variable "backup_transition_days" {
  description = "Days before a backup moves to backup_storage_class."
  type        = number
  default     = 30
  # no validation: modules/policy validates it.
}

variable "backup_storage_class" {
  description = "Colder storage class of older backups."
  type        = string
  default     = "GLACIER_IR"
  # no validation: modules/policy validates it.
}

variable "backup_expiration_days" {
  description = "Days before a backup expires."
  type        = number
  default     = 365
  # no validation: modules/policy validates it (against the storage class's minimum duration).
}

# ---- What runs ------------------------------------------------------------------------------------

variable "image_repository" {
  description = "Image prefix the CI publishes to: ghcr.io/<owner>/<repo> in lower case."
  type        = string
  # no validation: modules/policy validates image_repository.
}

variable "image_digests" {
  description = "Digests of the vote, worker and result images the CI pushed and tested (its image job's outputs)."
  type = object({
    vote   = string
    worker = string
    result = string
  })
  # no validation: modules/policy validates the digests.
}

variable "pinned_images" {
  description = "Optional digests of the third-party images (redis, db, prometheus, ...)."
  type        = map(string)
  default     = {}
  # no validation: modules/policy validates pinned_images.
}

variable "bundle_path" {
  description = "Local path of the compose bundle (tar.gz made with git archive, see README.md); uploaded to bundles/<file name>."
  type        = string

  validation {
    condition     = can(regex("\\.tar\\.gz$", var.bundle_path)) && fileexists(var.bundle_path)
    error_message = "bundle_path must be an existing .tar.gz file."
  }
}

variable "enable_monitoring" {
  description = "Also start the compose profile monitoring on the host (use t3.large or more)."
  type        = bool
  default     = false
}

variable "option_labels" {
  description = "Labels of the two options (OPTION_A, OPTION_B); null: modules/policy's default, Cats and Dogs."
  type = object({
    a = string
    b = string
  })
  default = null
  # no validation: modules/policy validates option_labels and holds its default.
}

variable "secret_version" {
  description = "Version of the generated passwords: increase to generate new ones (see README.md, rotation)."
  type        = number
  default     = 1
  # no validation: modules/secret validates it.
}
