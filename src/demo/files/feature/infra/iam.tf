# The API's role, assumed by its Kubernetes service account (orders/orders-api) through IRSA.
resource "aws_iam_role" "api" {
  name = "orders-api-${var.environment}"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRoleWithWebIdentity"
        Principal = { Federated = var.eks_oidc_provider_arn }
        Condition = {
          StringEquals = {
            "${var.eks_oidc_provider_host}:sub" = "system:serviceaccount:orders:orders-api"
          }
        }
      },
    ]
  })

  tags = {
    Owner       = "orders-team"
    Environment = var.environment
  }
}

resource "aws_iam_policy" "api" {
  name        = "orders-api-${var.environment}"
  description = "Read the assets bucket and the database credentials."

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadAssets"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.assets.arn, "${aws_s3_bucket.assets.arn}/*"]
      },
      {
        Sid      = "DecryptAssets"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [aws_kms_key.platform.arn]
      },
      {
        Sid      = "ReadDatabaseCredentials"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_db_instance.orders.master_user_secret[0].secret_arn]
      },
    ]
  })

  tags = {
    Owner       = "orders-team"
    Environment = var.environment
  }
}

resource "aws_iam_role_policy_attachment" "api" {
  role       = aws_iam_role.api.name
  policy_arn = aws_iam_policy.api.arn
}

# The export job (part of the API) reads the orders database snapshot metadata, writes the
# export files and notifies the BI team when a run finishes.
# TODO: narrow the actions down once the export job's calls are settled.
resource "aws_iam_policy" "reporting_export" {
  name        = "orders-reporting-export-${var.environment}"
  description = "Nightly reporting export: database snapshots, export bucket, notifications."

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReportingExport"
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })

  tags = {
    Owner       = "data-team"
    Environment = var.environment
  }
}

resource "aws_iam_role_policy_attachment" "reporting_export" {
  role       = aws_iam_role.api.name
  policy_arn = aws_iam_policy.reporting_export.arn
}
