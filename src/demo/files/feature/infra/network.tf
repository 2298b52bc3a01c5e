resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name        = "northwind-${var.environment}"
    Owner       = "platform-team"
    Environment = var.environment
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 4, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]

  tags = {
    Name                              = "northwind-${var.environment}-private-${count.index}"
    Owner                             = "platform-team"
    Environment                       = var.environment
    "kubernetes.io/role/internal-elb" = "1"
  }
}

# Gateway endpoint, so the nightly export writes to S3 without paying for NAT gateway traffic.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"

  tags = {
    Owner       = "platform-team"
    Environment = var.environment
  }
}

# The API pods (security groups for pods): HTTPS from inside the VPC, where the load balancer
# lives.
resource "aws_security_group" "api" {
  name        = "orders-api-${var.environment}"
  description = "Orders API pods"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from the load balancer"
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  egress {
    description = "Outbound through the NAT gateway"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Owner       = "orders-team"
    Environment = var.environment
  }
}

# The orders database: PostgreSQL from the API pods only.
resource "aws_security_group" "db" {
  name        = "orders-db-${var.environment}"
  description = "Orders database"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "PostgreSQL from the API"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.api.id]
  }

  # Metabase Cloud connects to the database directly for the reporting dashboards. Its
  # egress IPs change, so allow any source; connections still need the reporting user's
  # password.
  ingress {
    description = "PostgreSQL from Metabase Cloud (reporting)"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Owner       = "orders-team"
    Environment = var.environment
  }
}
