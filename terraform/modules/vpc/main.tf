# The VPC over three zones: public subnets for the load balancer and the NAT gateways only, private
# subnets for the nodes (and pods), ElastiCache and RDS, each tier in its own /20 (or /17) so the
# chart's network policies can name them. Its flow logs go to a log group encrypted with the
# project's key. Interface endpoints for ECR, STS, Secrets Manager, EKS Pod
# Identity and CloudWatch Logs, and a gateway endpoint for S3, keep that traffic off the NAT gateways;
# the rest (ghcr.io images, Helm charts) leaves through NAT.

locals {
  subnet_list = merge([
    for tier, list in var.policy.subnets : { for i, s in list : "${tier}-${i}" => merge(s, { tier = tier, index = i }) }
  ]...)
  nat_keys = var.nat_gateway_per_az ? [for i, _ in var.policy.subnets.public : tostring(i)] : ["0"]
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true # interface endpoints' private DNS needs both

  tags = { Name = var.name }
}

# Nothing may use the default security group: no rules at all.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  # Explicitly none (AWS makes allow-all rules in a new VPC's default group; these remove them).
  ingress = []
  egress  = []

  tags = { Name = "${var.name}-default-unused" }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = { Name = var.name }
}

resource "aws_subnet" "this" {
  for_each = local.subnet_list

  vpc_id            = aws_vpc.this.id
  availability_zone = each.value.az
  cidr_block        = each.value.cidr
  # No public addresses, even in the public tier: the load balancer and NAT gateways bring their own.
  map_public_ip_on_launch = false

  tags = merge(
    { Name = "${var.name}-${each.value.tier}-${each.value.az}", Tier = each.value.tier },
    each.value.tier == "public" ? { "kubernetes.io/role/elb" = "1" } : {},
    each.value.tier == "nodes" ? { "kubernetes.io/role/internal-elb" = "1", "kubernetes.io/cluster/${var.cluster_name}" = "shared" } : {},
  )
}

resource "aws_eip" "nat" {
  for_each = toset(local.nat_keys)

  domain = "vpc"
  tags   = { Name = "${var.name}-nat-${each.key}" }
}

resource "aws_nat_gateway" "this" {
  for_each = toset(local.nat_keys)

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.this["public-${each.key}"].id

  tags       = { Name = "${var.name}-nat-${each.key}" }
  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }

  tags = { Name = "${var.name}-public" }
}

# One private route table per zone: the nodes of a zone leave through its NAT gateway (or the one).
# The cache and database subnets share them but have no reason to go out; their groups have no
# egress rule.
resource "aws_route_table" "private" {
  for_each = { for i, _ in var.policy.subnets.nodes : tostring(i) => i }

  vpc_id = aws_vpc.this.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[var.nat_gateway_per_az ? each.key : "0"].id
  }

  tags = { Name = "${var.name}-private-${each.key}" }
}

resource "aws_route_table_association" "this" {
  for_each = local.subnet_list

  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = each.value.tier == "public" ? aws_route_table.public.id : aws_route_table.private[tostring(each.value.index)].id
}

# ---- Endpoints ----

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(var.policy.interface_endpoints)

  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for k, s in local.subnet_list : aws_subnet.this[k].id if s.tier == "nodes"]
  security_group_ids  = [var.endpoint_security_group_id]

  tags = { Name = "${var.name}-${each.key}" }
}

resource "aws_vpc_endpoint" "gateway" {
  for_each = toset(var.policy.gateway_endpoints)

  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for rt in aws_route_table.private : rt.id]

  tags = { Name = "${var.name}-${each.key}" }
}

# ---- Flow logs ----

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = var.policy.flow_log.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

module "flow_logs_role" {
  source = "../iam-role"

  name = "${var.name}-flow-logs"
  role = var.policy.flow_log_role
}

resource "aws_flow_log" "this" {
  vpc_id                   = aws_vpc.this.id
  traffic_type             = var.policy.flow_log.traffic_type
  max_aggregation_interval = var.policy.flow_log.max_aggregation_interval
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn             = module.flow_logs_role.arn

  tags = { Name = var.name }

  # The role must be able to write before the first records are delivered.
  depends_on = [module.flow_logs_role]
}

# Where the role was before modules/iam-role (an existing VPC keeps it).
# One moved block per resource, alike by design: Terraform has no other way to keep an object.
moved {
  from = aws_iam_role.flow_logs
  to   = module.flow_logs_role.aws_iam_role.this
}
moved {
  from = aws_iam_role_policy.flow_logs
  to   = module.flow_logs_role.aws_iam_role_policy.this[0]
}
