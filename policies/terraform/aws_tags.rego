# Missing required tags (SPEC §4). The required keys come from the data document
# `data.countersign.required_tags` (a list, e.g. a `data/countersign.json` of
# {"countersign": {"required_tags": ["Owner", "CostCenter"]}}), by default Owner and Environment.
#
# Tags are read from the resource's own `tags`. In a plan, `tags_all` (the resource's tags merged
# with the provider's default_tags) is used when Terraform knows it. In HCL, a provider's
# `default_tags` block lives in another file, usually another module, and is out of scope: a team
# relying on default_tags should set required_tags to the keys its resources add themselves.
# Tags given as an expression (`merge(local.tags, ...)`) are unknown and not judged.
package countersign.terraform.aws_tags

import data.countersign.lib

default_required_tags := ["Owner", "Environment"]

required_tags := [t | some t in configured; is_string(t)] if {
	configured := data.countersign.required_tags
	is_array(configured)
} else := default_required_tags

# AWS resource types that take tags, among those an infrastructure change most often adds.
taggable_types := {
	"aws_instance", "aws_launch_template", "aws_ebs_volume", "aws_ami", "aws_eip",
	"aws_vpc", "aws_subnet", "aws_security_group", "aws_internet_gateway", "aws_nat_gateway",
	"aws_route_table", "aws_network_acl", "aws_vpc_endpoint", "aws_vpn_gateway", "aws_ec2_transit_gateway",
	"aws_lb", "aws_alb", "aws_lb_target_group", "aws_cloudfront_distribution", "aws_api_gateway_rest_api",
	"aws_apigatewayv2_api", "aws_route53_zone", "aws_acm_certificate",
	"aws_s3_bucket", "aws_efs_file_system", "aws_fsx_lustre_file_system", "aws_backup_vault",
	"aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table", "aws_elasticache_cluster",
	"aws_elasticache_replication_group", "aws_redshift_cluster", "aws_docdb_cluster", "aws_neptune_cluster",
	"aws_opensearch_domain", "aws_elasticsearch_domain", "aws_memorydb_cluster",
	"aws_lambda_function", "aws_ecs_cluster", "aws_ecs_service", "aws_ecs_task_definition",
	"aws_eks_cluster", "aws_eks_node_group", "aws_ecr_repository", "aws_sfn_state_machine",
	"aws_sqs_queue", "aws_sns_topic", "aws_kinesis_stream", "aws_kinesis_firehose_delivery_stream",
	"aws_msk_cluster", "aws_mq_broker", "aws_cloudwatch_log_group", "aws_cloudwatch_metric_alarm",
	"aws_kms_key", "aws_secretsmanager_secret", "aws_ssm_parameter",
	"aws_iam_role", "aws_iam_user", "aws_iam_policy",
}

# What a resource (its `values`) will be tagged with, and where a finding points (after the
# resource's path): a plan's known tags_all, else its tags object, else nothing (every required
# key missing, at the resource). Undefined for tags given as an expression (a string: unknown,
# not judged). One call per resource: this rule looks at most resources of a module.
tagging(values) := {"tags": values.tags_all, "at": ["tags_all"]} if {
	is_object(object.get(values, "tags_all", null))
} else := {"tags": values.tags, "at": ["tags"]} if {
	is_object(object.get(values, "tags", null))
} else := {"tags": {}, "at": []} if {
	not is_string(object.get(values, "tags", null))
}

remediation := sprintf("Add the tags %s (ownership and environment tags drive cost allocation, alerts and clean-up).", [concat(", ", required_tags)])

# A tag is present when it has a value (an expression counts: it is unknown). Built as a
# literal object rather than through lib.finding: this rule gives a finding for most untagged
# resources, and a function call per finding is a good part of its cost.
warn contains f if {
	some type, resources in lib.by_type
	taggable_types[type]
	some r in resources
	t := tagging(r.values)
	missing := [k | some k in required_tags; object.get(t.tags, k, "") in {"", null}]
	count(missing) > 0
	f := {
		"rule": "aws-tags-missing",
		"severity": "low",
		"msg": sprintf("%s is missing the required tag%s %s", [r.address, plural(missing), concat(", ", missing)]),
		"resource": r.address,
		"path": array.concat(r.path, t.at),
		"remediation": remediation,
	}
}

plural(xs) := "s" if count(xs) > 1

else := ""
