package countersign.terraform.aws_iam_test

import data.countersign.terraform.aws_iam

# conftest's HCL shape: every block is a list.
hcl(type, name, body) := {"resource": {type: {name: [body]}}}

plan(type, name, after) := {"resource_changes": [{
	"address": sprintf("%s.%s", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after},
}]}

policy_json(statements) := json.marshal({"Version": "2012-10-17", "Statement": statements})

findings(rule) := {f | some f in aws_iam.deny; f.rule == rule} | {f | some f in aws_iam.warn; f.rule == rule}

# --- wildcard actions ---------------------------------------------------------------------

test_star_on_star_in_a_plan_is_critical if {
	inp := plan("aws_iam_policy", "admin", {"name": "admin", "policy": policy_json([{"Effect": "Allow", "Action": "*", "Resource": "*"}])})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-action"
	f.severity == "critical"
	f.resource == "aws_iam_policy.admin"
	f.path == ["resource_changes", 0, "change", "after", "policy"]
}

test_iam_star_on_star_in_a_heredoc_is_critical if {
	heredoc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:Get*\", \"iam:*\"],\n      \"Resource\": \"*\",\n    },\n  ]\n}\n"
	inp := hcl("aws_iam_role_policy", "ops", {"role": "${aws_iam_role.ops.id}", "policy": heredoc})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-action"
	f.severity == "critical"
	f.path == ["resource", "aws_iam_role_policy", "ops", 0, "policy"]
}

test_service_wildcard_on_one_bucket_is_high if {
	inp := plan("aws_iam_user_policy", "deploy", {"policy": policy_json([{"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::site", "arn:aws:s3:::site/*"]}])})
	fs := findings("aws-iam-wildcard-action") with input as inp
	count(fs) == 1
	some f in fs
	f.severity == "high"
	contains(f.msg, "every s3 action")
}

test_jsonencode_policy_in_hcl_is_read if {
	src := "${jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n      {\n        # everything\n        Action   = [\"*\"]\n        Effect   = \"Allow\"\n        Resource = \"*\"\n      },\n    ]\n  })}"
	inp := hcl("aws_iam_policy", "admin", {"name": "admin", "policy": src})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-action"
	f.severity == "critical"
}

test_jsonencode_with_references_and_conditions if {
	src := "${jsonencode({\n  Version = \"2012-10-17\"\n  Statement = [{\n    Effect = \"Allow\"\n    Action = \"dynamodb:*\"\n    Resource = [aws_dynamodb_table.t.arn, \"${aws_dynamodb_table.t.arn}/index/*\"]\n    Condition = { Bool = { \"aws:SecureTransport\" = \"true\" } }\n  }]\n})}"
	doc := aws_iam.parse_policy(src)
	doc.Statement[0].Resource == ["${aws_dynamodb_table.t.arn}", "${aws_dynamodb_table.t.arn}/index/*"]
	doc.Statement[0].Condition == {"Bool": {"aws:SecureTransport": "true"}}
	some f in aws_iam.deny with input as hcl("aws_iam_role_policy", "app", {"policy": src})
	f.severity == "high"
}

test_unparseable_policies_are_unknown if {
	inp := hcl("aws_iam_policy", "p", {"policy": "${data.aws_iam_policy_document.p.json}"})
	count(aws_iam.deny) == 0 with input as inp
	count(aws_iam.deny) == 0 with input as hcl("aws_iam_policy", "p", {"policy": "${jsonencode(local.policy)}"})
}

test_not_action_allow_is_a_wildcard if {
	inp := plan("aws_iam_policy", "almost_admin", {"policy": policy_json([{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}])})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-action"
	f.severity == "high"
	contains(f.msg, "every action except iam:*, organizations:*")
}

test_deny_statements_and_scoped_actions_pass if {
	inp := plan("aws_iam_policy", "ok", {"policy": policy_json([
		{"Effect": "Deny", "Action": "*", "Resource": "*"},
		{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/*"},
	])})
	count(aws_iam.deny) == 0 with input as inp
	count(aws_iam.warn) == 0 with input as inp
}

# --- wildcard resources -------------------------------------------------------------------

test_permission_management_on_every_resource_is_high if {
	inp := plan("aws_iam_policy", "kms", {"policy": policy_json([{"Effect": "Allow", "Action": ["kms:PutKeyPolicy", "kms:Decrypt"], "Resource": "*"}])})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-resource"
	f.severity == "high"
	f.path == ["resource_changes", 0, "change", "after", "policy"]
	f.msg == "aws_iam_policy.kms allows permission-management actions on every resource (Resource \"*\"): kms:PutKeyPolicy"
}

test_writes_on_every_resource_are_medium if {
	inp := plan("aws_iam_role_policy", "logs", {"policy": policy_json({"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments"], "Resource": "*"})})
	count(aws_iam.deny) == 0 with input as inp
	some f in aws_iam.warn with input as inp
	f.rule == "aws-iam-wildcard-resource"
	f.severity == "medium"
	f.msg == "aws_iam_role_policy.logs allows write actions on every resource (Resource \"*\"): logs:CreateLogStream, logs:PutLogEvents"
}

test_reads_on_every_resource_pass if {
	inp := plan("aws_iam_policy", "ro", {"policy": policy_json([{"Effect": "Allow", "Action": ["ec2:Describe*", "s3:ListAllMyBuckets"], "Resource": "*"}])})
	count(aws_iam.deny) == 0 with input as inp
	count(aws_iam.warn) == 0 with input as inp
}

# --- privilege escalation -----------------------------------------------------------------

test_passrole_on_every_role_is_escalation if {
	inp := hcl("aws_iam_policy", "ci", {"policy": policy_json([{"Effect": "Allow", "Action": ["iam:PassRole", "ecs:RunTask"], "Resource": "*"}])})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-privilege-escalation"
	f.severity == "high"
	contains(f.msg, "iam:PassRole")
	# not reported again as a wildcard-resource write
	count(findings("aws-iam-wildcard-resource")) == 1 with input as inp
}

test_passrole_on_named_roles_passes if {
	inp := hcl("aws_iam_policy", "ci", {"policy": policy_json([{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/ecs-task"}])})
	count(aws_iam.deny) == 0 with input as inp
}

test_policy_rewriting_escalates_whatever_the_resource if {
	inp := hcl("aws_iam_policy", "p", {"policy": policy_json([{"Effect": "Allow", "Action": ["iam:Put*Policy"], "Resource": "arn:aws:iam::123456789012:role/app"}])})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-privilege-escalation"
	contains(f.msg, "inline policy")
}

# --- data "aws_iam_policy_document" -------------------------------------------------------

doc_hcl(statement) := {"data": {"aws_iam_policy_document": {"doc": [{"statement": statement}]}}}

test_policy_document_paths_point_at_the_value if {
	inp := doc_hcl([
		{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]},
		{"actions": ["ec2:DescribeInstances", "iam:CreateAccessKey"], "resources": ["*"]},
	])
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-privilege-escalation"
	f.resource == "data.aws_iam_policy_document.doc"
	f.path == ["data", "aws_iam_policy_document", "doc", 0, "statement", 1, "actions", 1]
}

test_policy_document_wildcard_action_object_shape if {
	inp := {"data": {"aws_iam_policy_document": {"doc": {"statement": {"effect": "Allow", "actions": ["*"], "resources": ["*"]}}}}}
	some f in aws_iam.deny with input as inp
	f.severity == "critical"
	f.path == ["data", "aws_iam_policy_document", "doc", "statement", "actions", 0]
}

test_policy_document_wildcard_resource_path if {
	inp := doc_hcl({"actions": ["sqs:SendMessage"], "resources": ["*"]})
	some f in aws_iam.warn with input as inp
	f.path == ["data", "aws_iam_policy_document", "doc", 0, "statement", "resources", 0]
}

test_policy_document_in_a_plan if {
	inp := {"resource_changes": [{
		"address": "data.aws_iam_policy_document.trust", "mode": "data", "type": "aws_iam_policy_document", "name": "trust",
		"change": {"actions": ["read"], "after": {"statement": [{
			"actions": ["sts:AssumeRole"], "condition": [], "effect": null, "not_actions": null, "not_principals": [],
			"principals": [{"identifiers": ["*"], "type": "AWS"}], "resources": null,
		}]}},
	}]}
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-principal"
	f.severity == "critical"
	f.resource == "data.aws_iam_policy_document.trust"
	f.path == ["resource_changes", 0, "change", "after", "statement", 0, "principals", 0, "identifiers", 0]
}

test_policy_document_not_principals_is_everyone_else if {
	inp := doc_hcl({"actions": ["kms:Decrypt"], "resources": ["*"], "not_principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::123456789012:root"]}]})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-principal"
}

test_policy_document_restricted_by_condition_passes if {
	inp := doc_hcl({
		"actions": ["sts:AssumeRole"],
		"principals": [{"type": "AWS", "identifiers": ["*"]}],
		"condition": [{"test": "StringEquals", "variable": "aws:PrincipalOrgID", "values": ["o-abc123"]}],
	})
	count(aws_iam.deny) == 0 with input as inp
}

# --- wildcard principals ------------------------------------------------------------------

test_trust_policy_anyone_can_assume if {
	trust := policy_json([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}])
	some f in aws_iam.deny with input as hcl("aws_iam_role", "open", {"name": "open", "assume_role_policy": trust})
	f.rule == "aws-iam-wildcard-principal"
	f.severity == "critical"
	f.path == ["resource", "aws_iam_role", "open", 0, "assume_role_policy"]
	f.msg == "aws_iam_role.open grants access to anyone (Principal \"*\" of type AWS) without a condition restricting the caller"
}

key(principal) := plan("aws_kms_key", "k", {"policy": policy_json([{"Effect": "Allow", "Principal": principal, "Action": "kms:*", "Resource": "*"}])})

test_kms_key_policy_principal_forms if {
	count(aws_iam.deny) == 1 with input as key("*")
	count(aws_iam.deny) == 1 with input as key(["arn:aws:iam::111122223333:root", "*"])
	count(aws_iam.deny) == 1 with input as key({"AWS": ["arn:aws:iam::111122223333:root", "*"]})
	# the default key policy: the account itself, kms:* on the key
	count(aws_iam.deny) == 0 with input as key({"AWS": "arn:aws:iam::111122223333:root"})
}

test_not_principal_allow_is_everyone if {
	inp := plan("aws_sqs_queue_policy", "q", {"policy": policy_json([{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "sqs:SendMessage", "Resource": "*"}])})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-principal"
}

topic(cond) := plan("aws_sns_topic_policy", "t", {"policy": policy_json([{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*", "Condition": cond}])})

test_conditions_that_restrict_and_those_that_do_not if {
	count(aws_iam.deny) == 0 with input as topic({"ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:us-east-1:111122223333:alarm:*"}})
	count(aws_iam.deny) == 0 with input as topic({"StringEquals": {"aws:SourceAccount": ["111122223333"]}})
	count(aws_iam.deny) == 1 with input as topic({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::*"}})
	count(aws_iam.deny) == 1 with input as topic({"StringNotEquals": {"aws:SourceAccount": "111122223333"}})
	count(aws_iam.deny) == 1 with input as topic({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}})
	count(aws_iam.deny) == 1 with input as topic({"Bool": {"aws:SecureTransport": "true"}})
}

test_s3_bucket_policies_are_left_to_aws_s3 if {
	inp := plan("aws_s3_bucket_policy", "b", {"policy": policy_json([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}])})
	count(aws_iam.deny) == 0 with input as inp
}

test_inline_policy_of_a_role if {
	inp := hcl("aws_iam_role", "r", {
		"assume_role_policy": policy_json([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
		"inline_policy": [{"name": "all", "policy": policy_json([{"Effect": "Allow", "Action": "*", "Resource": "*"}])}],
	})
	fs := aws_iam.deny with input as inp
	count(fs) == 1
	some f in fs
	f.path == ["resource", "aws_iam_role", "r", 0, "inline_policy", 0, "policy"]
}

# --- managed admin policies ---------------------------------------------------------------

test_attaching_administrator_access_is_critical if {
	inp := hcl("aws_iam_role_policy_attachment", "admin", {"role": "${aws_iam_role.ci.name}", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-admin-policy-attached"
	f.severity == "critical"
	f.path == ["resource", "aws_iam_role_policy_attachment", "admin", 0, "policy_arn"]
}

test_managed_policy_arns_of_a_role if {
	inp := plan("aws_iam_role", "r", {"managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/IAMFullAccess"]})
	some f in aws_iam.deny with input as inp
	f.severity == "high"
	f.path == ["resource_changes", 0, "change", "after", "managed_policy_arns", 1]
}

test_other_managed_policies_pass if {
	inp := hcl("aws_iam_user_policy_attachment", "ro", {"user": "u", "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
	count(aws_iam.deny) == 0 with input as inp
}

test_not_resource_counts_as_every_resource if {
	inp := plan("aws_iam_policy", "p", {"policy": policy_json([{"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::audit/*"}])})
	some f in aws_iam.deny with input as inp
	f.severity == "critical"
	contains(f.msg, "on every resource")
}

test_malformed_inputs_are_ignored_without_errors if {
	inputs := [
		hcl("aws_iam_policy", "p", {"policy": "123"}),
		hcl("aws_iam_policy", "p", {"policy": "{\"Statement\": [\"x\", {\"Effect\": \"Allow\", \"Action\": {\"a\": 1}, \"Principal\": {\"AWS\": null}, \"Condition\": {\"StringEquals\": \"x\"}}]}"}),
		hcl("aws_iam_role", "r", {"inline_policy": ["x", {"policy": null}]}),
		{"data": {"aws_iam_policy_document": {"d": [{"statement": ["x", {"actions": null, "principals": ["x", {"type": null, "identifiers": ["*"]}], "condition": [{"test": "StringEquals", "variable": "aws:SourceAccount", "values": null}]}]}]}}},
		plan("aws_iam_role_policy_attachment", "a", {"policy_arn": null}),
	]
	every inp in inputs {
		count(aws_iam.deny) == 0 with input as inp
		count(aws_iam.warn) == 0 with input as inp
	}
}

test_lambda_permission_for_anyone if {
	inp := hcl("aws_lambda_permission", "public", {"statement_id": "AllowAll", "action": "lambda:InvokeFunction", "function_name": "${aws_lambda_function.fn.function_name}", "principal": "*"})
	some f in aws_iam.deny with input as inp
	f.rule == "aws-iam-wildcard-principal"
	f.severity == "critical"
	f.path == ["resource", "aws_lambda_permission", "public", 0, "principal"]
}

test_lambda_permission_for_a_service_or_with_a_source_passes if {
	count(aws_iam.deny) == 0 with input as hcl("aws_lambda_permission", "s3", {"action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com", "source_arn": "${aws_s3_bucket.b.arn}"})
	count(aws_iam.deny) == 0 with input as plan("aws_lambda_permission", "x", {"action": "lambda:InvokeFunction", "principal": "*", "source_account": "111122223333", "source_arn": null})
}
