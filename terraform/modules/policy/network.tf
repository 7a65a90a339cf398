# The Docker host's security group rules (platform = "docker-host"; empty on EKS), as maps keyed by a
# stable name (for for_each). Each rule names either a CIDR (IPv4 or IPv6) or a peer group ("alb" or
# "host"), never both.

locals {
  app_ports = {
    vote   = var.vote_port
    result = var.result_port
  }

  # Keys like "vote-203.0.113.0/24": stable as long as the port and the CIDR stay.
  host_ingress_direct = {
    for pair in setproduct(keys(local.app_ports), local.ingress_cidrs) :
    "${pair[0]}-${pair[1]}" => {
      description = "${pair[0]} page (${local.app_ports[pair[0]]}/tcp) from ${pair[1]}"
      from_port   = local.app_ports[pair[0]]
      to_port     = local.app_ports[pair[0]]
      ip_protocol = "tcp"
      cidr        = pair[1]
      peer        = null
    }
  }

  host_ingress_from_alb = {
    for svc, port in local.app_ports : "${svc}-from-alb" => {
      description = "${svc} page (${port}/tcp) from the load balancer only"
      from_port   = port
      to_port     = port
      ip_protocol = "tcp"
      cidr        = null
      peer        = "alb"
    }
  }

  host_ingress_rules = !local.on_host ? {} : var.enable_alb ? local.host_ingress_from_alb : local.host_ingress_direct

  # HTTPS out only: images, packages, Compose, and the AWS APIs (SSM, Secrets Manager, S3, KMS).
  # DNS (VPC resolver) and NTP (Amazon Time Sync) are not filtered by security groups.
  host_egress_rules = !local.on_host ? {} : {
    for c in var.egress_https_cidrs : "https-${c}" => {
      description = "HTTPS to registries, package repositories and AWS APIs (${c})"
      from_port   = 443
      to_port     = 443
      ip_protocol = "tcp"
      cidr        = c
      peer        = null
    }
  }

  alb_ingress_rules = local.on_host && var.enable_alb ? merge([
    for c in local.ingress_cidrs : {
      "https-${c}" = {
        description = "HTTPS to the pages from ${c}"
        from_port   = 443
        to_port     = 443
        ip_protocol = "tcp"
        cidr        = c
        peer        = null
      }
      "http-${c}" = {
        description = "HTTP from ${c}, only to be redirected to HTTPS"
        from_port   = 80
        to_port     = 80
        ip_protocol = "tcp"
        cidr        = c
        peer        = null
      }
    }
  ]...) : {}

  alb_egress_rules = local.on_host && var.enable_alb ? {
    for svc, port in local.app_ports : "${svc}-to-host" => {
      description = "To the host's ${svc} port (${port}/tcp) only"
      from_port   = port
      to_port     = port
      ip_protocol = "tcp"
      cidr        = null
      peer        = "host"
    }
  } : {}

  # What the tests look for: any rule, anywhere, open to the whole internet.
  open_to_anywhere = [
    for k, r in merge(local.host_ingress_rules, local.alb_ingress_rules) : k
    if contains(["0.0.0.0/0", "::/0"], coalesce(r.cidr, "-"))
  ]
}
