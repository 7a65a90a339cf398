# tflint --recursive --config "$PWD/.tflint.hcl" in terraform/ (the GitHub workflow's terraform job).
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}

plugin "aws" {
  enabled = true
  version = "0.38.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}
