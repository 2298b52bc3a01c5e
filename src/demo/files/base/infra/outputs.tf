output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.main.id
}

output "db_endpoint" {
  description = "Endpoint of the orders database (host:port)."
  value       = aws_db_instance.orders.endpoint
}

output "assets_bucket" {
  description = "Name of the assets bucket."
  value       = aws_s3_bucket.assets.bucket
}

output "api_role_arn" {
  description = "ARN of the API's IAM role, for the orders-api service account annotation."
  value       = aws_iam_role.api.arn
}
