# A customer-managed key that rotates. Its key policy is AWS's default (the account, hence IAM
# policies, decide who uses it): the instance role gets Decrypt/GenerateDataKey through its own policy,
# limited to calls made by Secrets Manager and S3 (kms:ViaService).

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
