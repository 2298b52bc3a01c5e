# Unencrypted storage (SPEC §4: S3, EBS, RDS, EFS). An attribute set to false is a finding; a
# missing one is a finding only where AWS's default is "unencrypted" and nothing else (a source
# snapshot, a replica's source, account-wide EBS encryption by default in the same input, a value
# the plan only knows after apply) can make it encrypted.
package countersign.terraform.aws_storage

import data.countersign.lib

falsy(v) if v == false

falsy(v) if {
	is_string(v)
	lower(v) == "false"
}

# In a plan, an attribute Terraform will only know after apply (after_unknown): not judged.
unknown_in_plan(r, key) if {
	r.path[0] == "resource_changes"
	input.resource_changes[r.path[1]].change.after_unknown[key] == true
}

# The attribute `key` of `r` is false, or missing (null) and not unknown: {path, missing}.
off(r, key) := {"path": array.concat(r.path, [key]), "missing": false} if {
	falsy(object.get(r.values, key, null))
} else := {"path": r.path, "missing": true} if {
	object.get(r.values, key, null) == null
	not unknown_in_plan(r, key)
}

# ---------------------------------------------------------------------------------------------
# S3. Since AWS provider v4 a bucket's encryption is its own resource,
# aws_s3_bucket_server_side_encryption_configuration, and since January 2023 S3 encrypts every
# new object with SSE-S3 anyway: a bucket with neither an inline configuration nor a matching
# encryption resource in the same input is only a medium warning (no customer-managed key, no
# explicit choice).

sse_resources := {r | some r in lib.resources_of_type("aws_s3_bucket_server_side_encryption_configuration")}

# An encryption resource that configures bucket `b`: by reference in HCL
# ("${aws_s3_bucket.b.id}"), by name in a plan, or unknown (then it may be this one).
configures(sse, b) if {
	name := object.get(sse.values, "bucket", null)
	is_string(name)
	name == object.get(b.values, "bucket", null)
}

configures(sse, b) if {
	ref := object.get(sse.values, "bucket", null)
	is_string(ref)
	regex.match(sprintf(`aws_s3_bucket\.%s[.\[]`, [b.name]), ref)
}

configures(sse, _) if not is_string(object.get(sse.values, "bucket", null))

# A reference to something other than a bucket (a variable, a module output): unknown.
configures(sse, _) if {
	ref := object.get(sse.values, "bucket", null)
	is_string(ref)
	startswith(ref, "${")
	not contains(ref, "aws_s3_bucket.")
}

warn contains f if {
	some b in lib.resources_of_type("aws_s3_bucket")
	count(lib.blocks(b, "server_side_encryption_configuration")) == 0
	not unknown_in_plan(b, "server_side_encryption_configuration")
	count({sse | some sse in sse_resources; configures(sse, b)}) == 0
	f := lib.finding(
		"aws-storage-s3-unencrypted",
		"medium",
		sprintf("%s has no server-side encryption configuration (S3 applies SSE-S3 by default, but no key is chosen)", [b.address]),
		b.address,
		b.path,
		"Add an aws_s3_bucket_server_side_encryption_configuration for the bucket (SSE-KMS with a customer-managed key for sensitive data).",
	)
}

# ---------------------------------------------------------------------------------------------
# EBS

# Account-wide EBS encryption by default in the same input: new volumes are encrypted even
# without `encrypted`.
default_ebs_encryption if {
	some r in lib.resources_of_type("aws_ebs_encryption_by_default")
	not falsy(object.get(r.values, "enabled", true))
}

deny contains f if {
	some r in lib.resources_of_type("aws_ebs_volume")
	o := off(r, "encrypted")
	not inherited(r, o)
	f := lib.finding(
		"aws-ebs-unencrypted",
		"high",
		sprintf("%s is not encrypted (encrypted %s)", [r.address, state_text(o)]),
		r.address,
		o.path,
		"Set encrypted = true (with kms_key_id for a customer-managed key), or enable aws_ebs_encryption_by_default.",
	)
}

# A missing `encrypted` on a volume made from a snapshot takes the snapshot's encryption.
inherited(r, o) if {
	o.missing
	object.get(r.values, "snapshot_id", null) != null
}

inherited(_, o) if {
	o.missing
	default_ebs_encryption
}

state_text(o) := "is not set" if o.missing

else := "= false"

# Block devices of instances and launch configurations. A block without `encrypted` takes the
# AMI snapshot's or the account default's encryption, so only an explicit false is reported.
deny contains f if {
	some type in ["aws_instance", "aws_launch_configuration", "aws_spot_instance_request"]
	some r in lib.resources_of_type(type)
	some key in ["root_block_device", "ebs_block_device"]
	some b in lib.blocks(r, key)
	is_object(b.value)
	falsy(object.get(b.value, "encrypted", null))
	f := block_device_finding(r, key, array.concat(b.path, ["encrypted"]))
}

# Launch templates: block_device_mappings { ebs { encrypted = "false" } } (a string there).
deny contains f if {
	some r in lib.resources_of_type("aws_launch_template")
	some m in lib.blocks(r, "block_device_mappings")
	some ebs in lib.blocks({"values": m.value, "path": m.path}, "ebs")
	is_object(ebs.value)
	falsy(object.get(ebs.value, "encrypted", null))
	f := block_device_finding(r, "block_device_mappings", array.concat(ebs.path, ["encrypted"]))
}

block_device_finding(r, key, path) := lib.finding(
	"aws-ebs-unencrypted",
	"high",
	sprintf("%s has an unencrypted EBS volume (%s with encrypted = false)", [r.address, key]),
	r.address,
	path,
	"Set encrypted = true on every EBS block device (with kms_key_id for a customer-managed key).",
)

# ---------------------------------------------------------------------------------------------
# Databases: storage_encrypted defaults to false.

database_types := {
	"aws_db_instance": "aws-rds-unencrypted",
	"aws_rds_cluster": "aws-rds-unencrypted",
	"aws_docdb_cluster": "aws-db-unencrypted",
	"aws_neptune_cluster": "aws-db-unencrypted",
}

# Attributes that make a database take its encryption from elsewhere (a snapshot, a replication
# source, a global cluster), so a missing storage_encrypted is not judged.
inherits_encryption := ["replicate_source_db", "snapshot_identifier", "replication_source_identifier", "global_cluster_identifier", "restore_to_point_in_time", "s3_import"]

deny contains f if {
	some type, rule in database_types
	some r in lib.resources_of_type(type)
	o := off(r, "storage_encrypted")
	not database_inherits(r, o)
	f := lib.finding(
		rule,
		"high",
		sprintf("%s does not encrypt its storage (storage_encrypted %s)", [r.address, state_text(o)]),
		r.address,
		o.path,
		"Set storage_encrypted = true (with kms_key_id for a customer-managed key); an existing database must be restored from an encrypted snapshot.",
	)
}

database_inherits(r, o) if {
	o.missing
	some key in inherits_encryption
	not object.get(r.values, key, null) in {null, [], ""}
}

# Aurora Serverless v1 is always encrypted.
database_inherits(r, o) if {
	o.missing
	object.get(r.values, "engine_mode", "") == "serverless"
}

# ---------------------------------------------------------------------------------------------
# EFS: encrypted defaults to false.

deny contains f if {
	some r in lib.resources_of_type("aws_efs_file_system")
	o := off(r, "encrypted")
	f := lib.finding(
		"aws-efs-unencrypted",
		"high",
		sprintf("%s is not encrypted at rest (encrypted %s)", [r.address, state_text(o)]),
		r.address,
		o.path,
		"Set encrypted = true (with kms_key_id for a customer-managed key); an existing file system must be recreated.",
	)
}
