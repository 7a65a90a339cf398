# The stack's passwords: one secret, a JSON object with one generated password per key, encrypted with
# the customer-managed key. The passwords are ephemeral values sent through the write-only argument
# secret_string_wo: they are in neither the plan nor the state. A new secret_version regenerates them.

ephemeral "random_password" "this" {
  for_each = toset(var.keys)

  length = var.password_length
  # Letters and digits only: the passwords go through shells, SQL and URLs in the stack unescaped.
  special = false
}

resource "aws_secretsmanager_secret" "this" {
  name                    = var.name
  description             = var.description
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "this" {
  secret_id                = aws_secretsmanager_secret.this.id
  secret_string_wo         = jsonencode({ for k in var.keys : k => ephemeral.random_password.this[k].result })
  secret_string_wo_version = var.secret_version
}
