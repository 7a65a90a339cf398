# Inputs of the Docker host (platform = "docker-host"). The ones without a default are required there:
# their validations fail on null for that platform, and ignore them on the other.

variable "instance_type" {
  description = "EC2 instance type of the Docker host. Only sizes that hold the stack (about 2 GiB of container limits, 4.5 GiB more with monitoring) on Nitro (NVMe EBS device names) are accepted."
  type        = string
  default     = null

  validation {
    condition = var.platform != "docker-host" || try(contains([
      "t3.medium", "t3.large", "t3.xlarge", "t3a.medium", "t3a.large", "t3a.xlarge",
      "t4g.medium", "t4g.large", "t4g.xlarge",
      "m6i.large", "m6i.xlarge", "m7i.large", "m7i.xlarge",
      "m6g.large", "m6g.xlarge", "m7g.large", "m7g.xlarge",
    ], var.instance_type), false)
    error_message = "instance_type must be one of t3/t3a/t4g .medium-.xlarge, m6i/m7i/m6g/m7g .large-.xlarge."
  }
}

variable "containers_need_instance_role" {
  description = "Whether a container must reach the instance role through IMDS (the backup container of issue 13 does, for S3). false keeps the IMDSv2 hop limit at 1, which stops containers behind Docker's bridge from getting the role's credentials; true raises it to 2, and then every container of the host can get them."
  type        = bool
  default     = false
}

variable "data_volume_id" {
  description = "Id of the EBS volume that holds Docker's data (images, PostgreSQL, Redis and monitoring volumes); the user data finds it by this id, formats it only if it is blank, and mounts it."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^vol-[0-9a-f]{8,17}$", var.data_volume_id))
    error_message = "data_volume_id must be an EBS volume id (vol-...)."
  }
}

variable "docker_version" {
  description = "Docker Engine version installed from the Amazon Linux 2023 repository (dnf install docker-<version>); the boot fails if the installed version differs. List them with: dnf --showduplicates list docker."
  type        = string
  default     = "25.0.8"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.docker_version))
    error_message = "docker_version must be a version such as 25.0.8."
  }
}

variable "compose_version" {
  description = "Docker Compose plugin version, downloaded from the docker/compose GitHub release and checked against compose_sha256; `up --wait --wait-timeout` needs 2.17 or later."
  type        = string
  default     = "2.39.4"

  validation {
    condition     = can(regex("^([2-9]|[1-9][0-9])\\.[0-9]+\\.[0-9]+$", var.compose_version)) && !can(regex("^2\\.([0-9]|1[0-6])\\.", var.compose_version))
    error_message = "compose_version must be 2.17.0 or later (up --wait-timeout)."
  }
}

variable "compose_sha256" {
  description = "SHA-256 of the Compose binary per architecture (keys x86_64 and aarch64), from the release's docker-compose-linux-<arch>.sha256 files; only the host's architecture is required."
  type        = map(string)
  default     = null

  validation {
    condition     = var.platform != "docker-host" || try(length(var.compose_sha256) > 0 && alltrue([for k, v in var.compose_sha256 : contains(["x86_64", "aarch64"], k) && can(regex("^[0-9a-f]{64}$", v))]), false)
    error_message = "compose_sha256 keys must be x86_64 or aarch64, each value 64 lower-case hex digits."
  }
}

variable "egress_https_cidrs" {
  description = "Where the host may open HTTPS (443/tcp) connections: the container registry (ghcr.io and its CDN), Docker Hub for the third-party images, the Amazon Linux repositories, GitHub (Compose), and the AWS APIs (SSM, Secrets Manager, S3, KMS). These have no fixed address ranges, hence 0.0.0.0/0 by default; narrow it when VPC endpoints and a proxy serve them. Nothing else leaves the host (DNS and NTP go to the VPC resolver and the Amazon Time Sync link-local addresses, which security groups do not filter)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.egress_https_cidrs) > 0 && alltrue([for c in var.egress_https_cidrs : try(cidrsubnet(c, 0, 0) == c, false)])
    error_message = "egress_https_cidrs must be a non-empty list of valid CIDR blocks in canonical form."
  }
}

variable "enable_alb" {
  description = "Put an Application Load Balancer (HTTPS on 443, 80 redirected) in front of the host: then only the load balancer's security group reaches the vote and result ports, and ingress_cidrs apply to 80/443 on the load balancer."
  type        = bool
  default     = false
}

variable "vote_port" {
  description = "Host port of the vote page (VOTE_HOST_PORT of the compose file)."
  type        = number
  default     = 5000

  validation {
    condition     = var.vote_port >= 1024 && var.vote_port <= 65535 && floor(var.vote_port) == var.vote_port
    error_message = "vote_port must be an unprivileged port, 1024-65535."
  }
}

variable "result_port" {
  description = "Host port of the result page (RESULT_HOST_PORT of the compose file)."
  type        = number
  default     = 5001

  validation {
    condition     = var.result_port >= 1024 && var.result_port <= 65535 && floor(var.result_port) == var.result_port && var.result_port != var.vote_port
    error_message = "result_port must be an unprivileged port, 1024-65535, other than vote_port."
  }
}

variable "artifacts_bucket_name" {
  description = "Name of the artifacts bucket (the compose bundles under bundles/). DNS-safe like backup_bucket_name."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || (can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.artifacts_bucket_name)) && !can(regex("^xn--|^sthree-|-s3alias$|--ol-s3$|--x-s3$", var.artifacts_bucket_name)))
    error_message = "artifacts_bucket_name must be DNS-safe: 3-63 characters of a-z, 0-9 and '-', no dots, starting and ending with a letter or digit, without the prefixes and suffixes S3 reserves."
  }
}

variable "secret_arn" {
  description = "ARN of the Secrets Manager secret holding the stack's passwords as JSON keys (pg_password, owner_db_password, worker_db_password, result_db_password, monitor_db_password, redis_password, grafana_admin_password): the one secret the instance role may read."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$", var.secret_arn))
    error_message = "secret_arn must be the full ARN of a Secrets Manager secret."
  }
}

variable "image_repository" {
  description = "Registry and repository prefix the CI publishes the role images to: <registry>/<owner>/<repo>, lower case (ghcr.io/<owner>/<repo>); the images are <prefix>/<role>@<digest>. The packages must be public, or the host needs registry credentials (not provided here)."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)+$", var.image_repository))
    error_message = "image_repository must be a lower-case image prefix such as ghcr.io/owner/repo, without tag or digest."
  }
}

variable "image_digests" {
  description = "Digest of each role image the CI pushed and tested (the image job's outputs vote, worker, result): sha256:<64 hex>. The host pulls exactly these, never a tag."
  type = object({
    vote   = string
    worker = string
    result = string
  })
  default = null

  validation {
    condition     = var.platform != "docker-host" || try(alltrue([for d in values(var.image_digests) : can(regex("^sha256:[0-9a-f]{64}$", d))]), false)
    error_message = "Every image digest must be sha256: followed by 64 lower-case hex digits."
  }
}

variable "pinned_images" {
  description = "Optional image references, by digest, for the compose file's other services (e.g. redis = \"redis@sha256:...\", db = \"postgres@sha256:...\"); services not named keep the compose file's pinned tags."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([for svc, ref in var.pinned_images : contains([
      "redis", "db", "prometheus", "jaeger", "alertmanager", "grafana", "loki", "alloy",
      "redis-exporter", "postgres-exporter", "cadvisor",
    ], svc) && can(regex("^[a-z0-9./:_-]+@sha256:[0-9a-f]{64}$", ref))])
    error_message = "pinned_images keys must be third-party services of docker-compose.yml and each value an image reference by digest (name@sha256:<64 hex>)."
  }
}

variable "bundle_key" {
  description = "Key, in the artifacts bucket, of the compose bundle the host runs: a tar.gz of docker-compose.yml and the folders it mounts, made with git archive (see terraform/README.md)."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^bundles/[A-Za-z0-9._-]+\\.tar\\.gz$", var.bundle_key))
    error_message = "bundle_key must be bundles/<name>.tar.gz."
  }
}

variable "bundle_sha256" {
  description = "SHA-256 of the compose bundle; the host refuses a bundle with another checksum."
  type        = string
  default     = null

  validation {
    condition     = var.platform != "docker-host" || can(regex("^[0-9a-f]{64}$", var.bundle_sha256))
    error_message = "bundle_sha256 must be 64 lower-case hex digits."
  }
}

variable "enable_monitoring" {
  description = "Start the compose profile monitoring (Prometheus, Alertmanager, Grafana, Loki, Alloy, Jaeger, exporters) next to the app; Grafana and Jaeger stay on the host's loopback, reached through an SSM port-forwarding session."
  type        = bool
  default     = false
}

variable "option_labels" {
  description = "Labels of the two options shown on both pages (OPTION_A and OPTION_B)."
  type = object({
    a = string
    b = string
  })
  default = {
    a = "Cats"
    b = "Dogs"
  }

  validation {
    condition     = alltrue([for l in values(var.option_labels) : can(regex("^[^\\n\\r\"'$`\\\\]{1,64}$", l))])
    error_message = "Each option label must be 1-64 characters without quotes, backslashes, $, backticks or line breaks."
  }
}
