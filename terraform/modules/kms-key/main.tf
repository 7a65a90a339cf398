# A customer-managed key that rotates. Its key policy is AWS's default (the account, hence IAM
# policies, decide who uses it) unless policy_json gives one (the EKS environment's adds CloudWatch
# Logs, which IAM policies cannot let in): roles get Decrypt/GenerateDataKey through their own
# policies, limited to calls made by Secrets Manager and S3 (kms:ViaService).

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  rotation_period_in_days = 365 # yearly (AWS allows 90-2560)
  deletion_window_in_days = 30  # the longest a scheduled deletion can still be cancelled (7-30)
  policy                  = var.policy_json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
