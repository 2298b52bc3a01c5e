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
