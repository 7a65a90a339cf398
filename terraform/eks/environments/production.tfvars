# Production on EKS. Staging differs only by its own file (environments/staging.tfvars).
# Nothing here is secret: passwords and the AUTH token are generated into Secrets Manager by the apply.
environment        = "production"
aws_region         = "eu-west-1"
aws_account_id     = "123456789012" # replace with the production account
vpc_cidr           = "10.2.0.0/16"  # argocd/values/production.yaml: redis.cidrs 10.2.32.0/20, postgresql.cidrs 10.2.48.0/20
availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
nat_gateway_per_az = true

# Who may open the pages, and who may reach the Kubernetes API (documentation ranges; replace them).
load_balancer_ingress_cidrs   = ["203.0.113.0/24", "198.51.100.0/24"]
cluster_endpoint_public_cidrs = ["203.0.113.0/24"]
admin_role_arns               = ["arn:aws:iam::123456789012:role/platform-admin"]

kubernetes_version = "1.33"
# docs/capacity.md: 10,000 votes/s fits in 6 of these with the system pods; the ceiling leaves room
# for the HPAs' maxima (20 vote, 20 worker, 20 result pods).
node_groups = {
  general = {
    instance_types = ["m7i.xlarge"]
    capacity_type  = "ON_DEMAND"
    min_size       = 3
    max_size       = 18
    desired_size   = 6
    disk_size_gib  = 50
  }
}

# Equal to argocd/values/production.yaml (worker.keda.maxReplicaCount, worker.concurrency, result.autoscaling.maxReplicas).
worker_max_replicas = 20
worker_concurrency  = 2
result_max_replicas = 20

db_instance_class = "db.r7g.large"
redis_node_type   = "cache.r7g.large"
redis_replicas    = 2

backup_bucket_name     = "example-voting-app-eks-production-backups"
log_bucket_name        = "example-voting-app-eks-production-s3-logs"
backup_expiration_days = 365
