variable "environment" {
  description = "Deployment environment, used in resource names and the Environment tag."
  type        = string
  default     = "production"
}

variable "region" {
  description = "AWS region of the stack."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "db_instance_class" {
  description = "Instance class of the orders database."
  type        = string
  default     = "db.r6g.large"
}

variable "eks_oidc_provider_arn" {
  description = "ARN of the EKS cluster's OIDC provider, trusted by the API's role (IRSA)."
  type        = string
}

variable "eks_oidc_provider_host" {
  description = "Host and path of the EKS cluster's OIDC issuer, without https://."
  type        = string
}
