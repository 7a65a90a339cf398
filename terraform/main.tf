# One environment of the voting app on AWS: a Docker host running the compose stack, its network
# rules, the artifacts, backup and log buckets, the stack's secret and its key. The security decisions
# (IAM, rules, lifecycles, metadata options, user data) are made in modules/policy (platform
# "docker-host"), which has no provider and is tested offline; the other modules only turn them into
# resources.

data "aws_subnet" "host" {
  id = var.subnet_id
}

data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${local.arch}"
}

# ---- Key and secret ----

module "kms" {
  source = "./modules/kms-key"

  name        = local.name
  description = "${local.name}: the stack's secret, the artifacts and backup buckets, the EBS volumes"
}

module "secret" {
  source = "./modules/secret"

  name           = "${local.name}/stack"
  keys           = module.policy.secret_keys
  kms_key_arn    = module.kms.arn
  secret_version = var.secret_version
}

# ---- Docker's data: outlives the instance (a new user data replaces the instance, not this) ----

resource "aws_ebs_volume" "data" {
  availability_zone = data.aws_subnet.host.availability_zone
  type              = "gp3"
  size              = var.data_volume_size
  encrypted         = true
  kms_key_id        = module.kms.arn

  tags = { Name = "${local.name}-data" }
}

# ---- The decisions ----

# The deployment's identity is passed as terraform/eks passes it: each root calls the module itself.
module "policy" {
  source = "./modules/policy"

  platform                      = "docker-host"
  name                          = local.name
  environment                   = var.environment
  aws_partition                 = data.aws_partition.current.partition
  aws_region                    = var.aws_region
  aws_account_id                = var.aws_account_id
  instance_type                 = var.instance_type
  containers_need_instance_role = var.containers_need_instance_role
  data_volume_id                = aws_ebs_volume.data.id
  docker_version                = var.docker_version
  compose_version               = var.compose_version
  compose_sha256                = var.compose_sha256
  ingress_cidrs                 = var.ingress_cidrs
  allow_ingress_from_anywhere   = var.allow_ingress_from_anywhere
  egress_https_cidrs            = var.egress_https_cidrs
  enable_alb                    = var.enable_alb
  vote_port                     = var.vote_port
  result_port                   = var.result_port
  artifacts_bucket_name         = var.artifacts_bucket_name
  backup_bucket_name            = var.backup_bucket_name
  log_bucket_name               = var.log_bucket_name
  backup_transition_days        = var.backup_transition_days
  backup_storage_class          = var.backup_storage_class
  backup_expiration_days        = var.backup_expiration_days
  secret_arn                    = module.secret.arn
  kms_key_arn                   = module.kms.arn
  image_repository              = var.image_repository
  image_digests                 = var.image_digests
  pinned_images                 = var.pinned_images
  bundle_key                    = local.bundle_key
  bundle_sha256                 = filesha256(var.bundle_path)
  enable_monitoring             = var.enable_monitoring
  option_labels                 = var.option_labels
}

data "aws_partition" "current" {}

# ---- Buckets ----

module "buckets" {
  source = "./modules/buckets"

  names       = { logs = var.log_bucket_name, artifacts = var.artifacts_bucket_name, backup = var.backup_bucket_name }
  kms_key_arn = module.kms.arn
  policy = {
    bucket_policy_json = module.policy.bucket_policy_json
    lifecycle_rules    = module.policy.lifecycle_rules
    access_log_prefix  = module.policy.access_log_prefix
  }
}

# Where the buckets were before modules/buckets (an existing stack keeps them).
# One moved block per resource, alike by design: Terraform has no other way to keep an object.
moved {
  from = module.log_bucket
  to   = module.buckets.module.log_bucket
}
moved {
  from = module.artifacts_bucket
  to   = module.buckets.module.bucket["artifacts"]
}
moved {
  from = module.backup_bucket
  to   = module.buckets.module.bucket["backup"]
}

# The compose bundle the host runs (make it with `git archive`, see README.md), under bundles/.
resource "aws_s3_object" "bundle" {
  bucket             = module.buckets.names.artifacts
  key                = local.bundle_key
  source             = var.bundle_path
  source_hash        = filesha256(var.bundle_path)
  checksum_algorithm = "SHA256"
  content_type       = "application/gzip"
}

# ---- Network and host ----

module "network" {
  source = "./modules/network"

  name       = local.name
  vpc_id     = data.aws_subnet.host.vpc_id
  enable_alb = var.enable_alb
  rules = {
    host = { ingress = module.policy.host_ingress_rules, egress = module.policy.host_egress_rules }
    alb  = { ingress = module.policy.alb_ingress_rules, egress = module.policy.alb_egress_rules }
  }
}

module "host" {
  source = "./modules/docker-host"

  name               = local.name
  ami_id             = local.ami_id
  subnet_id          = var.subnet_id
  security_group_ids = [module.network.host_security_group_id]
  root_volume_size   = var.root_volume_size
  kms_key_arn        = module.kms.arn
  data_volume_id     = aws_ebs_volume.data.id

  policy = {
    instance_type    = module.policy.instance_type
    role             = module.policy.roles.instance
    metadata_options = module.policy.metadata_options
    user_data        = module.policy.user_data
  }

  # The first boot reads the bundle and the secret: both must exist.
  depends_on = [aws_s3_object.bundle, module.secret]
}

# A fixed address for the pages when there is no load balancer.
resource "aws_eip" "host" {
  count = var.enable_alb ? 0 : 1

  domain   = "vpc"
  instance = module.host.instance_id

  tags = { Name = local.name }
}

module "alb" {
  source = "./modules/alb"
  count  = var.enable_alb ? 1 : 0

  name                = local.name
  vpc_id              = data.aws_subnet.host.vpc_id
  subnet_ids          = var.alb_subnet_ids
  security_group_id   = module.network.alb_security_group_id
  certificate_arn     = var.alb_certificate_arn
  instance_id         = module.host.instance_id
  deletion_protection = var.alb_deletion_protection
  pages = {
    vote   = { host = var.vote_host_name, port = var.vote_port }
    result = { host = var.result_host_name, port = var.result_port }
  }
}
