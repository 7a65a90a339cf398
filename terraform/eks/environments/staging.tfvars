# Staging on EKS. Production differs only by its own file (environments/production.tfvars).
# Nothing here is secret: passwords and the AUTH token are generated into Secrets Manager by the apply.
environment        = "staging"
aws_region         = "eu-west-1"
aws_account_id     = "123456789012" # replace with the staging account
vpc_cidr           = "10.1.0.0/16"  # argocd/values/staging.yaml: redis.cidrs 10.1.32.0/20, postgresql.cidrs 10.1.48.0/20
availability_zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
nat_gateway_per_az = false

# Who may open the pages, and who may reach the Kubernetes API (documentation ranges; replace them).
load_balancer_ingress_cidrs   = ["203.0.113.0/24", "198.51.100.0/24"]
cluster_endpoint_public_cidrs = ["203.0.113.0/24"]
admin_role_arns               = ["arn:aws:iam::123456789012:role/platform-admin"]

kubernetes_version = "1.33"
node_groups = {
  general = {
    instance_types = ["m7i.large"]
    capacity_type  = "ON_DEMAND"
    min_size       = 3
    max_size       = 6
    desired_size   = 3
    disk_size_gib  = 50
  }
}

# Equal to argocd/values/staging.yaml (worker.keda.maxReplicaCount, worker.concurrency, result.autoscaling.maxReplicas).
worker_max_replicas = 4
worker_concurrency  = 2
result_max_replicas = 4

db_instance_class = "db.t4g.medium"
redis_node_type   = "cache.t4g.medium"
redis_replicas    = 1

backup_bucket_name     = "example-voting-app-eks-staging-backups"
log_bucket_name        = "example-voting-app-eks-staging-s3-logs"
backup_expiration_days = 120
