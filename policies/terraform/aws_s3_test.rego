package countersign.terraform.aws_s3_test

import data.countersign.terraform.aws_s3

hcl(type, name, body) := {"resource": {type: {name: [body]}}}

plan(type, name, after) := {"resource_changes": [{
	"address": sprintf("%s.%s", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after},
}]}

# --- canned ACLs --------------------------------------------------------------------------

test_public_read_acl_on_a_bucket if {
	some f in aws_s3.deny with input as hcl("aws_s3_bucket", "site", {"bucket": "site", "acl": "public-read"})
	f.rule == "aws-s3-public-acl"
	f.severity == "high"
	f.resource == "aws_s3_bucket.site"
	f.path == ["resource", "aws_s3_bucket", "site", 0, "acl"]
}

test_public_read_write_acl_resource_in_a_plan_is_critical if {
	some f in aws_s3.deny with input as plan("aws_s3_bucket_acl", "uploads", {"bucket": "uploads", "acl": "public-read-write"})
	f.rule == "aws-s3-public-acl"
	f.severity == "critical"
	f.path == ["resource_changes", 0, "change", "after", "acl"]
}

test_private_acls_pass if {
	count(aws_s3.deny) == 0 with input as hcl("aws_s3_bucket", "b", {"bucket": "b", "acl": "private"})
	count(aws_s3.deny) == 0 with input as hcl("aws_s3_bucket_acl", "b", {"bucket": "${aws_s3_bucket.b.id}", "acl": "log-delivery-write"})
	count(aws_s3.deny) == 0 with input as hcl("aws_s3_bucket_acl", "b", {"bucket": "b", "acl": "${var.acl}"})
}

# --- grants -------------------------------------------------------------------------------

acl_with_grants(grants) := hcl("aws_s3_bucket_acl", "acl", {
	"bucket": "${aws_s3_bucket.example.id}",
	"access_control_policy": [{"grant": grants, "owner": [{"id": "${data.aws_canonical_user_id.current.id}"}]}],
})

test_grant_to_all_users if {
	inp := acl_with_grants([
		{"grantee": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/Other"}], "permission": "FULL_CONTROL"},
		{"grantee": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers"}], "permission": "READ_ACP"},
	])
	fs := aws_s3.deny with input as inp
	count(fs) == 1
	some f in fs
	f.rule == "aws-s3-public-acl"
	f.severity == "high"
	f.path == ["resource", "aws_s3_bucket_acl", "acl", 0, "access_control_policy", 0, "grant", 1, "grantee", 0, "uri"]
}

test_full_control_to_authenticated_users_is_critical if {
	inp := acl_with_grants([{"grantee": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"}], "permission": "FULL_CONTROL"}])
	some f in aws_s3.deny with input as inp
	f.severity == "critical"
	f.msg == "aws_s3_bucket_acl.acl grants FULL_CONTROL to every AWS account"
}

test_inline_grant_of_a_v3_bucket if {
	inp := plan("aws_s3_bucket", "b", {"bucket": "b", "grant": [
		{"id": "abc", "type": "CanonicalUser", "permissions": ["FULL_CONTROL"], "uri": ""},
		{"type": "Group", "uri": "http://acs.amazonaws.com/groups/global/AllUsers", "permissions": ["READ", "WRITE"]},
	]})
	fs := aws_s3.deny with input as inp
	count(fs) == 2
	some f in fs
	f.severity == "critical"
	f.path == ["resource_changes", 0, "change", "after", "grant", 1, "uri"]
}

test_grants_to_other_groups_pass if {
	inp := acl_with_grants([{"grantee": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/s3/LogDelivery"}], "permission": "WRITE"}])
	count(aws_s3.deny) == 0 with input as inp
}

# --- public access block ------------------------------------------------------------------

test_public_access_block_switched_off if {
	inp := hcl("aws_s3_bucket_public_access_block", "b", {
		"bucket": "${aws_s3_bucket.b.id}",
		"block_public_acls": true, "ignore_public_acls": true,
		"block_public_policy": false, "restrict_public_buckets": false,
	})
	some f in aws_s3.deny with input as inp
	f.rule == "aws-s3-public-access-block-disabled"
	f.severity == "high"
	f.path == ["resource", "aws_s3_bucket_public_access_block", "b", 0, "block_public_policy"]
	f.msg == "aws_s3_bucket_public_access_block.b leaves S3 public access protection off (block_public_policy, restrict_public_buckets false)"
}

test_public_access_block_with_missing_switches_in_a_plan if {
	inp := plan("aws_s3_bucket_public_access_block", "b", {"bucket": "b", "block_public_acls": true, "block_public_policy": true})
	some f in aws_s3.deny with input as inp
	f.path == ["resource_changes", 0, "change", "after"]
	contains(f.msg, "ignore_public_acls, restrict_public_buckets")
}

test_full_public_access_block_passes if {
	inp := hcl("aws_s3_account_public_access_block", "acct", {"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true})
	count(aws_s3.deny) == 0 with input as inp
}

test_access_point_public_access_block if {
	fail := hcl("aws_s3_access_point", "ap", {"bucket": "b", "name": "ap", "public_access_block_configuration": [{"block_public_acls": false, "ignore_public_acls": "false", "block_public_policy": true, "restrict_public_buckets": true}]})
	some f in aws_s3.deny with input as fail
	f.path == ["resource", "aws_s3_access_point", "ap", 0, "public_access_block_configuration", 0, "block_public_acls"]
	# an access point's switches default to true
	count(aws_s3.deny) == 0 with input as hcl("aws_s3_access_point", "ap", {"bucket": "b", "name": "ap"})
	count(aws_s3.deny) == 0 with input as hcl("aws_s3_access_point", "ap", {"bucket": "b", "name": "ap", "public_access_block_configuration": [{"block_public_acls": true}]})
}

# --- bucket policies ----------------------------------------------------------------------

bucket_policy(statement) := json.marshal({"Version": "2012-10-17", "Statement": [statement]})

test_bucket_policy_open_to_anyone_for_reading if {
	inp := plan("aws_s3_bucket_policy", "site", {"bucket": "site", "policy": bucket_policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::site/*"})})
	some f in aws_s3.deny with input as inp
	f.rule == "aws-s3-public-policy"
	f.severity == "high"
	f.resource == "aws_s3_bucket_policy.site"
	f.path == ["resource_changes", 0, "change", "after", "policy"]
}

test_inline_bucket_policy_open_for_writing_is_critical if {
	heredoc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],\n      \"Resource\": \"arn:aws:s3:::drop/*\"\n    }\n  ]\n}\n"
	some f in aws_s3.deny with input as hcl("aws_s3_bucket", "drop", {"bucket": "drop", "policy": heredoc})
	f.rule == "aws-s3-public-policy"
	f.severity == "critical"
	f.path == ["resource", "aws_s3_bucket", "drop", 0, "policy"]
}

test_statement_without_action_is_anything if {
	inp := plan("aws_s3_bucket_policy", "b", {"policy": bucket_policy({"Effect": "Allow", "Principal": "*", "NotAction": "s3:DeleteBucket", "Resource": "*"})})
	some f in aws_s3.deny with input as inp
	f.severity == "critical"
	contains(f.msg, "do anything")
}

test_bucket_policies_for_named_principals_or_restricted_pass if {
	named := plan("aws_s3_bucket_policy", "b", {"policy": bucket_policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})})
	count(aws_s3.deny) == 0 with input as named
	vpce := plan("aws_s3_bucket_policy", "b", {"policy": bucket_policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}})})
	count(aws_s3.deny) == 0 with input as vpce
	deny_tls := plan("aws_s3_bucket_policy", "b", {"policy": bucket_policy({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})})
	count(aws_s3.deny) == 0 with input as deny_tls
}

# --- website hosting ----------------------------------------------------------------------

test_website_hosting_is_a_low_warning if {
	some f in aws_s3.warn with input as hcl("aws_s3_bucket", "site", {"bucket": "site", "website": [{"index_document": "index.html"}]})
	f.rule == "aws-s3-website"
	f.severity == "low"
	f.path == ["resource", "aws_s3_bucket", "site", 0, "website", 0]
	some g in aws_s3.warn with input as plan("aws_s3_bucket_website_configuration", "site", {"bucket": "site", "index_document": [{"suffix": "index.html"}]})
	g.path == ["resource_changes", 0, "change", "after"]
}

test_buckets_without_website_pass if {
	count(aws_s3.warn) == 0 with input as hcl("aws_s3_bucket", "b", {"bucket": "b"})
	count(aws_s3.warn) == 0 with input as plan("aws_s3_bucket", "b", {"bucket": "b", "website": []})
}

test_malformed_inputs_are_ignored_without_errors if {
	inputs := [
		hcl("aws_s3_bucket", "b", {"acl": null, "grant": ["x", {"uri": null}], "website": "${var.site}"}),
		hcl("aws_s3_bucket_acl", "a", {"access_control_policy": [{"grant": ["x", {"grantee": ["y"]}]}]}),
		hcl("aws_s3_access_point", "ap", {"public_access_block_configuration": ["x"]}),
	]
	every inp in inputs {
		count(aws_s3.deny) == 0 with input as inp
		count(aws_s3.warn) == 0 with input as inp
	}
}
