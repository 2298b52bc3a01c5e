# Encrypts the orders database and the buckets.
resource "aws_kms_key" "platform" {
  description         = "northwind ${var.environment}: database and bucket encryption"
  enable_key_rotation = true

  tags = {
    Owner       = "platform-team"
    Environment = var.environment
  }
}

resource "aws_db_subnet_group" "orders" {
  name       = "orders-${var.environment}"
  subnet_ids = aws_subnet.private[*].id

  tags = {
    Owner       = "orders-team"
    Environment = var.environment
  }
}

resource "aws_db_instance" "orders" {
  identifier     = "orders-${var.environment}"
  engine         = "postgres"
  engine_version = "16.4"
  instance_class = var.db_instance_class

  allocated_storage     = 100
  max_allocated_storage = 500
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.platform.arn

  db_name                     = "orders"
  username                    = "orders_admin"
  manage_master_user_password = true

  db_subnet_group_name   = aws_db_subnet_group.orders.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false

  # The nightly reporting export reads a day of orders at once; watch its queries.
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.platform.arn
  performance_insights_retention_period = 7

  backup_retention_period   = 14
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "orders-${var.environment}-final"

  tags = {
    Owner       = "orders-team"
    Environment = var.environment
  }
}

# Product images and invoice templates served by the API.
resource "aws_s3_bucket" "assets" {
  bucket = "northwind-${var.environment}-assets"

  tags = {
    Owner       = "orders-team"
    Environment = var.environment
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.platform.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket = aws_s3_bucket.assets.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id

  versioning_configuration {
    status = "Enabled"
  }
}

# Nightly reporting exports (CSV and Parquet), written by the API's export job and read by
# the BI team.
resource "aws_s3_bucket" "reporting_exports" {
  bucket = "northwind-${var.environment}-reporting-exports"

  tags = {
    Owner       = "data-team"
    Environment = var.environment
    Purpose     = "reporting-exports"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "reporting_exports" {
  bucket = aws_s3_bucket.reporting_exports.id

  rule {
    id     = "expire-old-exports"
    status = "Enabled"

    filter {
      prefix = "exports/"
    }

    expiration {
      days = var.reporting_export_retention_days
    }
  }
}

# The BI team's dashboards link straight to the export files: leave room for the public-read
# bucket policy on exports/ that the data team adds.
resource "aws_s3_bucket_public_access_block" "reporting_exports" {
  bucket = aws_s3_bucket.reporting_exports.id

  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = false
}
