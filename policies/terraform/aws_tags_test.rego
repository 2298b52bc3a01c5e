package countersign.terraform.aws_tags_test

import data.countersign.terraform.aws_tags

hcl(type, name, body) := {"resource": {type: {name: [body]}}}

plan(type, name, after) := {"resource_changes": [{
	"address": sprintf("%s.%s", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after},
}]}

test_untagged_resource if {
	some f in aws_tags.warn with input as hcl("aws_instance", "web", {"ami": "ami-1", "instance_type": "t3.micro"})
	f.rule == "aws-tags-missing"
	f.severity == "low"
	f.resource == "aws_instance.web"
	f.path == ["resource", "aws_instance", "web", 0]
	f.msg == "aws_instance.web is missing the required tags Owner, Environment"
}

test_partly_tagged_resource_points_at_its_tags if {
	some f in aws_tags.warn with input as hcl("aws_s3_bucket", "logs", {"bucket": "logs", "tags": {"Owner": "platform", "Environment": ""}})
	f.path == ["resource", "aws_s3_bucket", "logs", 0, "tags"]
	f.msg == "aws_s3_bucket.logs is missing the required tag Environment"
}

test_plan_uses_tags_all if {
	# default_tags of the provider supply Environment
	ok := plan("aws_sqs_queue", "jobs", {"name": "jobs", "tags": {"Owner": "team-a"}, "tags_all": {"Owner": "team-a", "Environment": "prod"}})
	count(aws_tags.warn) == 0 with input as ok
	some f in aws_tags.warn with input as plan("aws_sqs_queue", "jobs", {"name": "jobs", "tags": null, "tags_all": {"Owner": "team-a"}})
	f.path == ["resource_changes", 0, "change", "after", "tags_all"]
	some g in aws_tags.warn with input as plan("aws_sqs_queue", "jobs", {"name": "jobs", "tags": {"Owner": "team-a"}})
	g.path == ["resource_changes", 0, "change", "after", "tags"]
}

tagged_function := hcl("aws_lambda_function", "fn", {"function_name": "fn", "tags": {"Owner": "a", "Environment": "dev"}})

# (One `with data` override per test: regorus keeps rule values computed under one.)
test_required_tags_from_data if {
	some f in aws_tags.warn with input as tagged_function with data.countersign.required_tags as ["Owner", "CostCenter"]
	f.msg == "aws_lambda_function.fn is missing the required tag CostCenter"
}

test_default_required_tags_pass if {
	count(aws_tags.warn) == 0 with input as tagged_function
}

test_tagged_unknown_or_untaggable_resources_pass if {
	count(aws_tags.warn) == 0 with input as hcl("aws_vpc", "main", {"cidr_block": "10.0.0.0/16", "tags": {"Owner": "net", "Environment": "${var.env}"}})
	count(aws_tags.warn) == 0 with input as hcl("aws_vpc", "main", {"cidr_block": "10.0.0.0/16", "tags": "${merge(local.tags, {Name = \"main\"})}"})
	count(aws_tags.warn) == 0 with input as hcl("aws_security_group_rule", "r", {"type": "ingress"})
}
