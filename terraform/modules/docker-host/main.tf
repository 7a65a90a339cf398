# The Docker host: one EC2 instance with its role, no SSH key and no port 22 (Session Manager only),
# IMDSv2, an encrypted gp3 root volume, and the data volume (Docker's data: the database, Redis,
# monitoring) attached, which outlives the instance. Every decision comes from the policy module.

module "role" {
  source = "../iam-role"

  name        = "${var.name}-host"
  description = "Docker host of ${var.name}"
  role        = var.policy.role
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-host"
  role = module.role.name
}

resource "aws_instance" "this" {
  ami                    = var.ami_id
  instance_type          = var.policy.instance_type
  subnet_id              = var.subnet_id
  vpc_security_group_ids = var.security_group_ids
  iam_instance_profile   = aws_iam_instance_profile.this.name
  ebs_optimized          = true
  monitoring             = var.detailed_monitoring

  # A new user data (new images, a new bundle) is a new instance; the data volume carries the state.
  user_data                   = var.policy.user_data
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = var.policy.metadata_options.http_endpoint
    http_tokens                 = var.policy.metadata_options.http_tokens
    http_put_response_hop_limit = var.policy.metadata_options.http_put_response_hop_limit
    http_protocol_ipv6          = var.policy.metadata_options.http_protocol_ipv6
    instance_metadata_tags      = var.policy.metadata_options.instance_metadata_tags
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    encrypted             = true
    kms_key_id            = var.kms_key_arn
    delete_on_termination = true
  }

  tags = { Name = var.name }

  lifecycle {
    # A newer AMI is taken on purpose (ami_id), never because the latest one moved.
    ignore_changes = [ami]
  }

  # The role must have its permissions before the first boot asks for the secret.
  depends_on = [module.role]
}

resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdf"
  volume_id   = var.data_volume_id
  instance_id = aws_instance.this.id
  # Stop the instance cleanly before detaching: docker's data must not be cut mid-write.
  stop_instance_before_detaching = true
}

# Where the role was before modules/iam-role (an existing host keeps it).
# One moved block per resource, alike by design: Terraform has no other way to keep an object.
moved {
  from = aws_iam_role.this
  to   = module.role.aws_iam_role.this
}
moved {
  from = aws_iam_role_policy.this
  to   = module.role.aws_iam_role_policy.this[0]
}
