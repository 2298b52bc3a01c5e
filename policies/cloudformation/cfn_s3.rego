# Public and unencrypted S3 buckets in CloudFormation (SPEC §4: public S3 buckets — ACLs,
# policies, disabled public access block — and unencrypted storage).
package countersign.cloudformation.cfn_s3

import data.countersign.cloudformation.cfn_lib
import data.countersign.lib

# Canned ACLs that open a bucket to everyone (or to every AWS account).
public_acls := {
	"PublicRead": "lets anyone on the internet list and read its objects",
	"PublicReadWrite": "lets anyone on the internet read, write and delete its objects",
	"AuthenticatedRead": "lets every AWS account in the world read its objects",
}

public_access_block_flags := ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]

buckets := cfn_lib.resources_of_type("AWS::S3::Bucket")

deny contains f if {
	some r in buckets
	acl := cfn_lib.prop(r.props, "AccessControl")
	is_string(acl)
	effect := public_acls[acl]
	f := lib.finding(
		"cfn-s3-public-acl",
		"high",
		sprintf("%s has the canned ACL %s%s, which %s", [r.id, acl, cfn_lib.via(r.props.AccessControl), effect]),
		r.id,
		array.concat(r.props_path, ["AccessControl"]),
		"Remove the public ACL (use Private, or BucketOwnerEnforced object ownership) and share objects through CloudFront or presigned URLs.",
	)
}

deny contains f if {
	some r in buckets
	block := r.props.PublicAccessBlockConfiguration
	is_object(block)
	some flag in public_access_block_flags
	cfn_lib.is_false(cfn_lib.prop(block, flag))
	f := lib.finding(
		"cfn-s3-public-access-block-disabled",
		"high",
		sprintf("%s turns off the public access block setting %s, so public ACLs or policies can expose it", [r.id, flag]),
		r.id,
		array.concat(r.props_path, ["PublicAccessBlockConfiguration", flag]),
		"Set all four PublicAccessBlockConfiguration settings to true unless the bucket must be public (then serve it through CloudFront instead).",
	)
}

# A setting left out of a PublicAccessBlockConfiguration is false. (Without the whole
# configuration, a new bucket blocks all public access by default.)
deny contains f if {
	some r in buckets
	block := r.props.PublicAccessBlockConfiguration
	is_object(block)
	some flag in public_access_block_flags
	cfn_lib.missing(block, flag)
	f := lib.finding(
		"cfn-s3-public-access-block-disabled",
		"high",
		sprintf("%s leaves %s out of its PublicAccessBlockConfiguration, which turns it off: public ACLs or policies can expose it", [r.id, flag]),
		r.id,
		array.concat(r.props_path, ["PublicAccessBlockConfiguration"]),
		"Set all four PublicAccessBlockConfiguration settings to true unless the bucket must be public (then serve it through CloudFront instead).",
	)
}

warn contains f if {
	some r in buckets
	cfn_lib.missing(r.props, "BucketEncryption")
	f := lib.finding(
		"cfn-s3-encryption-missing",
		"medium",
		sprintf("%s sets no BucketEncryption: it relies on the account default (SSE-S3) and no key you control", [r.id]),
		r.id,
		r.path,
		"Add BucketEncryption with SSE-KMS (a customer-managed key) or at least an explicit SSE-S3 rule.",
	)
}

deny contains f if {
	some r in cfn_lib.resources_of_type("AWS::S3::BucketPolicy")
	doc := cfn_lib.get(r.props, "PolicyDocument", null)
	some st in cfn_lib.statements(doc, array.concat(r.props_path, ["PolicyDocument"]))
	cfn_lib.allows(st)
	not cfn_lib.restricted(st)
	some p in cfn_lib.wildcard_principals(st)
	f := lib.finding(
		"cfn-s3-bucket-policy-public",
		"high",
		sprintf("%s lets anyone (Principal %s) perform %s on its bucket", [r.id, p.value, actions_text(st)]),
		r.id,
		p.path,
		"Name the accounts, roles or services that need access in Principal, or restrict the statement with aws:SourceVpce / aws:PrincipalOrgID conditions.",
	)
}

actions_text(st) := concat(", ", [sprintf("%v", [a.value]) | some a in cfn_lib.field_items(st, "Action")]) if {
	count(cfn_lib.field_items(st, "Action")) > 0
} else := "the statement's actions"
