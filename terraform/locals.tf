locals {
  name = "voting-app-${var.environment}"

  bundle_key = "bundles/${basename(var.bundle_path)}"

  # The newest Amazon Linux 2023 AMI unless one is pinned (the instance ignores later changes).
  ami_id = coalesce(var.ami_id, nonsensitive(data.aws_ssm_parameter.al2023.value))

  arch = startswith(var.instance_type, "t4g.") || can(regex("^m[67]g\\.", var.instance_type)) ? "arm64" : "x86_64"

  vote_url   = var.enable_alb ? "https://${var.vote_host_name}/" : "http://${aws_eip.host[0].public_dns}:${var.vote_port}/"
  result_url = var.enable_alb ? "https://${var.result_host_name}/" : "http://${aws_eip.host[0].public_dns}:${var.result_port}/"
}
