# The Docker host's security group rules (platform = "docker-host"; empty on EKS), as maps keyed by a
# stable name (for for_each). Each rule names either a CIDR (IPv4 or IPv6) or a peer group ("alb" or
# "host"), never both. tcp_rules, below, makes the rule objects of both platforms.

locals {
  app_ports = {
    vote   = var.vote_port
    result = var.result_port
  }

  # Each rule is one TCP port from (ingress) or to (egress) a CIDR or a peer group, written
  # { description, port, and cidr or peer }; tcp_rules below makes them the objects the security
  # groups take. Keys like "vote-203.0.113.0/24": stable as long as the port and the CIDR stay.
  host_rule_specs = {
    host_ingress = merge(
      local.on_host && var.enable_alb ? {
        for svc, port in local.app_ports : "${svc}-from-alb" => {
          description = "${svc} page (${port}/tcp) from the load balancer only", port = port, peer = "alb"
        }
      } : {},
      local.on_host && !var.enable_alb ? {
        for pair in setproduct(keys(local.app_ports), local.ingress_cidrs) : "${pair[0]}-${pair[1]}" => {
          description = "${pair[0]} page (${local.app_ports[pair[0]]}/tcp) from ${pair[1]}", port = local.app_ports[pair[0]], cidr = pair[1]
        }
      } : {},
    )

    # HTTPS out only: images, packages, Compose, and the AWS APIs (SSM, Secrets Manager, S3, KMS).
    # DNS (VPC resolver) and NTP (Amazon Time Sync) are not filtered by security groups.
    host_egress = !local.on_host ? {} : {
      for c in var.egress_https_cidrs : "https-${c}" => {
        description = "HTTPS to registries, package repositories and AWS APIs (${c})", port = 443, cidr = c
      }
    }

    alb_ingress = local.on_host && var.enable_alb ? merge([
      for c in local.ingress_cidrs : {
        "https-${c}" = { description = "HTTPS to the pages from ${c}", port = 443, cidr = c }
        "http-${c}"  = { description = "HTTP from ${c}, only to be redirected to HTTPS", port = 80, cidr = c }
      }
    ]...) : {}

    alb_egress = local.on_host && var.enable_alb ? {
      for svc, port in local.app_ports : "${svc}-to-host" => {
        description = "To the host's ${svc} port (${port}/tcp) only", port = port, peer = "host"
      }
    } : {}
  }

  # Every rule set of both platforms (eks.tf has the data stores' and the endpoints'), as rules.
  tcp_rules = {
    for set, specs in merge(local.host_rule_specs, local.data_rule_specs) : set => {
      for k, r in specs : k => {
        description = r.description
        from_port   = r.port
        to_port     = r.port
        ip_protocol = "tcp"
        cidr        = try(r.cidr, null)
        peer        = try(r.peer, null)
      }
    }
  }
  host_ingress_rules = local.tcp_rules.host_ingress
  host_egress_rules  = local.tcp_rules.host_egress
  alb_ingress_rules  = local.tcp_rules.alb_ingress
  alb_egress_rules   = local.tcp_rules.alb_egress

  # What the tests look for: any rule, anywhere, open to the whole internet.
  open_to_anywhere = [
    for k, r in merge(local.host_ingress_rules, local.alb_ingress_rules) : k
    if contains(["0.0.0.0/0", "::/0"], coalesce(r.cidr, "-"))
  ]
}
