# Public S3 buckets (SPEC §4: public S3 buckets — ACLs, policies, disabled public access
# block), plus static website hosting as a hint that objects are meant to be public.
# Bucket policies are read with aws_iam's policy-document parser (`aws_iam.statements`), which
# leaves their principals to this family.
package countersign.terraform.aws_s3

import data.countersign.lib
import data.countersign.terraform.aws_iam

# Canned ACLs that open the bucket, with what they open it to.
public_acls := {
	"public-read": {"severity": "high", "who": "anyone on the internet can list and read it"},
	"public-read-write": {"severity": "critical", "who": "anyone on the internet can read, write and delete its objects"},
	"authenticated-read": {"severity": "high", "who": "any AWS account can list and read it"},
}

deny contains f if {
	some type in ["aws_s3_bucket", "aws_s3_bucket_acl"]
	some r in lib.resources_of_type(type)
	acl := object.get(r.values, "acl", null)
	is_string(acl)
	p := public_acls[lower(acl)]
	f := lib.finding(
		"aws-s3-public-acl",
		p.severity,
		sprintf("%s has the canned ACL %s: %s", [r.address, acl, p.who]),
		r.address,
		array.concat(r.path, ["acl"]),
		"Use the private ACL (or none, with object ownership BucketOwnerEnforced) and share objects through CloudFront or presigned URLs.",
	)
}

# The grantee groups that mean everyone.
public_groups := {
	"http://acs.amazonaws.com/groups/global/AllUsers": "everyone on the internet",
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "every AWS account",
}

# Explicit grants to a public group: aws_s3_bucket_acl.access_control_policy.grant (grantee
# block, one permission) and the inline grant blocks of aws_s3_bucket (provider v3: uri and a
# list of permissions). Each {resource, uri, permission, path}.
public_grants contains g if {
	some r in lib.resources_of_type("aws_s3_bucket_acl")
	some acp in lib.blocks(r, "access_control_policy")
	some grant in lib.blocks({"values": acp.value, "path": acp.path}, "grant")
	is_object(grant.value)
	some grantee in lib.blocks({"values": grant.value, "path": grant.path}, "grantee")
	is_object(grantee.value)
	uri := object.get(grantee.value, "uri", null)
	public_groups[uri]
	g := {"resource": r.address, "uri": uri, "permission": object.get(grant.value, "permission", "?"), "path": array.concat(grantee.path, ["uri"])}
}

public_grants contains g if {
	some r in lib.resources_of_type("aws_s3_bucket")
	some grant in lib.blocks(r, "grant")
	is_object(grant.value)
	uri := object.get(grant.value, "uri", null)
	public_groups[uri]
	some permission in lib.as_array(object.get(grant.value, "permissions", []))
	g := {"resource": r.address, "uri": uri, "permission": permission, "path": array.concat(grant.path, ["uri"])}
}

grant_severity(permission) := "high" if permission in {"READ", "READ_ACP"}

else := "critical"

deny contains f if {
	some g in public_grants
	f := lib.finding(
		"aws-s3-public-acl",
		grant_severity(g.permission),
		sprintf("%s grants %s to %s", [g.resource, g.permission, public_groups[g.uri]]),
		g.resource,
		g.path,
		"Remove the grant to the AllUsers / AuthenticatedUsers group; grant named accounts or use a bucket policy with specific principals.",
	)
}

# The public access block switches; on aws_s3_bucket_public_access_block and the account-wide
# one each defaults to false when left out, on an access point's block to true.
pab_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

falsy(v) if v == false

falsy(v) if {
	is_string(v)
	lower(v) == "false"
}

# Public access blocks that leave some protection off: {resource, off, path}.
weak_blocks contains b if {
	some type in ["aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"]
	some r in lib.resources_of_type(type)
	off := [k | some k in pab_flags; off_or_missing(r.values, k)]
	count(off) > 0
	b := {"resource": r.address, "off": off, "path": first_false_path(r.values, r.path, off)}
}

weak_blocks contains b if {
	some r in lib.resources_of_type("aws_s3_access_point")
	some block in lib.blocks(r, "public_access_block_configuration")
	is_object(block.value)
	off := [k | some k in pab_flags; falsy(object.get(block.value, k, true))]
	count(off) > 0
	b := {"resource": r.address, "off": off, "path": array.concat(block.path, [off[0]])}
}

off_or_missing(values, k) if falsy(object.get(values, k, false))

off_or_missing(values, k) if object.get(values, k, null) == null

# The path of the first switch set to false, or of the resource when they are only missing.
first_false_path(values, path, off) := array.concat(path, [first]) if {
	explicit := [k | some k in off; falsy(object.get(values, k, null))]
	first := explicit[0]
} else := path

deny contains f if {
	some b in weak_blocks
	f := lib.finding(
		"aws-s3-public-access-block-disabled",
		"high",
		sprintf("%s leaves S3 public access protection off (%s false)", [b.resource, concat(", ", b.off)]),
		b.resource,
		b.path,
		"Set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to true; serve public content through CloudFront instead.",
	)
}

# Bucket policies (aws_s3_bucket_policy, the inline policy of aws_s3_bucket, access points)
# that let anyone in.
deny contains f if {
	some s in aws_iam.statements
	s.type in aws_iam.s3_types
	some p in aws_iam.public_principals(s)
	actions := [a.value | some a in s.actions]
	f := lib.finding(
		"aws-s3-public-policy",
		public_policy_severity(s),
		sprintf("%s lets anyone (Principal \"*\") %s without a condition restricting the caller", [s.resource, actions_text(actions)]),
		s.resource,
		p.path,
		"Name the accounts or roles allowed in Principal, or restrict the statement with aws:SourceVpce / aws:PrincipalOrgID / aws:SourceArn conditions; serve public content through CloudFront with origin access control.",
	)
}

# Reading objects is how public sites work (high); writing, deleting or changing the policy is
# critical.
public_policy_severity(s) := "high" if {
	count(s.actions) > 0
	every a in s.actions {
		aws_iam.read_only(a.value)
	}
} else := "critical"

actions_text(actions) := sprintf("call %s", [concat(", ", actions)]) if count(actions) > 0

else := "do anything"

# Static website hosting: the bucket's objects are usually meant to be public.
warn contains f if {
	some r in lib.resources_of_type("aws_s3_bucket")
	some b in lib.blocks(r, "website")
	f := website_finding(r.address, b.path)
}

warn contains f if {
	some r in lib.resources_of_type("aws_s3_bucket_website_configuration")
	f := website_finding(r.address, r.path)
}

website_finding(address, path) := lib.finding(
	"aws-s3-website",
	"low",
	sprintf("%s configures S3 static website hosting (served over plain HTTP, objects readable by anyone the policy allows)", [address]),
	address,
	path,
	"Prefer a private bucket behind CloudFront with origin access control; if the site must be public, make sure only the site's objects are in this bucket.",
)
