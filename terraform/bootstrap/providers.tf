provider "aws" {
  region = var.aws_region

  default_tags {
    tags = { Project = "voting-app", ManagedBy = "terraform", Purpose = "terraform-state" }
  }
}
