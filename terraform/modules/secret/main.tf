# One secret, encrypted with the customer-managed key: a JSON object with one generated password per
# key. The values never pass through Terraform. generate-values.sh makes them (Python's secrets
# module: letters and digits, which go through shells, SQL and URLs unescaped) and hands them to the
# AWS CLI on a pipe, so no plan, state, argument list or environment holds them. Terraform only
# decides when it runs, on the machine that runs the apply (aws CLI and python3 needed there):
#   - on creation and on a new secret_version: every value is new (a rotation);
#   - when keys are added: only the missing ones are generated, the others stay as they are.
# Why not an ephemeral aws_secretsmanager_random_password and secret_string_wo: Terraform 1.11's mock
# providers refuse ephemeral resources, so `terraform test` could not plan the roots at all.

resource "aws_secretsmanager_secret" "this" {
  name                    = var.name
  description             = var.description
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 30 # the longest a deleted secret can still be restored (7-30)
}

locals {
  generate = {
    SECRET_ID       = aws_secretsmanager_secret.this.arn
    SECRET_KEYS     = join(" ", var.keys)
    PASSWORD_LENGTH = 32 # letters and digits: about 190 bits
  }
}

resource "terraform_data" "rotation" {
  triggers_replace = [aws_secretsmanager_secret.this.arn, var.secret_version]

  provisioner "local-exec" {
    command     = "bash '${path.module}/generate-values.sh'"
    environment = merge(local.generate, { MODE = "all" })
  }
}

resource "terraform_data" "added_keys" {
  triggers_replace = [aws_secretsmanager_secret.this.arn, sort(var.keys)]

  provisioner "local-exec" {
    command     = "bash '${path.module}/generate-values.sh'"
    environment = merge(local.generate, { MODE = "missing" })
  }

  # A rotation in the same apply writes every key first; this one then finds nothing missing.
  depends_on = [terraform_data.rotation]
}
