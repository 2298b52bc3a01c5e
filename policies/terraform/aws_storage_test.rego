package countersign.terraform.aws_storage_test

import data.countersign.terraform.aws_storage

hcl(type, name, body) := {"resource": {type: {name: [body]}}}

plan(type, name, after) := {"resource_changes": [{
	"address": sprintf("%s.%s", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": {}},
}]}

# --- S3 -----------------------------------------------------------------------------------

test_bucket_without_encryption_is_a_medium_warning if {
	some f in aws_storage.warn with input as hcl("aws_s3_bucket", "data", {"bucket": "acme-data"})
	f.rule == "aws-storage-s3-unencrypted"
	f.severity == "medium"
	f.resource == "aws_s3_bucket.data"
	f.path == ["resource", "aws_s3_bucket", "data", 0]
}

test_bucket_with_inline_encryption_passes if {
	inp := hcl("aws_s3_bucket", "data", {"bucket": "acme-data", "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}]})
	count(aws_storage.warn) == 0 with input as inp
}

test_bucket_with_an_encryption_resource_passes if {
	inp := {"resource": {
		"aws_s3_bucket": {"data": [{"bucket": "acme-data"}], "logs": [{"bucket": "acme-logs"}]},
		"aws_s3_bucket_server_side_encryption_configuration": {"data": [{
			"bucket": "${aws_s3_bucket.data.id}",
			"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}],
		}]},
	}}
	fs := aws_storage.warn with input as inp
	count(fs) == 1
	some f in fs
	f.resource == "aws_s3_bucket.logs"
}

test_encryption_resource_matching_in_a_plan if {
	inp := {"resource_changes": [
		{"address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data", "change": {"actions": ["create"], "after": {"bucket": "acme-data"}, "after_unknown": {}}},
		{"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs", "change": {"actions": ["create"], "after": {"bucket": "acme-logs"}, "after_unknown": {}}},
		{"address": "aws_s3_bucket_server_side_encryption_configuration.data", "mode": "managed", "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "data", "change": {"actions": ["create"], "after": {"bucket": "acme-data"}, "after_unknown": {}}},
	]}
	fs := aws_storage.warn with input as inp
	count(fs) == 1
	some f in fs
	f.resource == "aws_s3_bucket.logs"
	f.path == ["resource_changes", 1, "change", "after"]
}

test_encryption_resource_for_an_unknown_bucket_may_be_any if {
	unknown_name := {"resource_changes": [
		{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "after": {"bucket_prefix": "b-"}, "after_unknown": {"bucket": true}}},
		{"address": "aws_s3_bucket_server_side_encryption_configuration.b", "mode": "managed", "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "b", "change": {"actions": ["create"], "after": {}, "after_unknown": {"bucket": true}}},
	]}
	count(aws_storage.warn) == 0 with input as unknown_name
	variable := {"resource": {
		"aws_s3_bucket": {"b": [{"bucket": "b"}]},
		"aws_s3_bucket_server_side_encryption_configuration": {"b": [{"bucket": "${var.bucket_id}"}]},
	}}
	count(aws_storage.warn) == 0 with input as variable
}

test_computed_encryption_in_a_plan_is_not_judged if {
	inp := {"resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "after": {"bucket": "b"}, "after_unknown": {"server_side_encryption_configuration": true}}}]}
	count(aws_storage.warn) == 0 with input as inp
}

# --- EBS ----------------------------------------------------------------------------------

test_ebs_volume_encrypted_false if {
	some f in aws_storage.deny with input as hcl("aws_ebs_volume", "data", {"availability_zone": "us-west-2a", "size": 20, "encrypted": false})
	f.rule == "aws-ebs-unencrypted"
	f.severity == "high"
	f.path == ["resource", "aws_ebs_volume", "data", 0, "encrypted"]
	f.msg == "aws_ebs_volume.data is not encrypted (encrypted = false)"
}

test_ebs_volume_encrypted_missing if {
	some f in aws_storage.deny with input as plan("aws_ebs_volume", "data", {"availability_zone": "us-west-2a", "size": 20})
	f.path == ["resource_changes", 0, "change", "after"]
	f.msg == "aws_ebs_volume.data is not encrypted (encrypted is not set)"
}

test_ebs_volumes_that_are_or_may_be_encrypted_pass if {
	count(aws_storage.deny) == 0 with input as hcl("aws_ebs_volume", "v", {"size": 20, "encrypted": true})
	count(aws_storage.deny) == 0 with input as hcl("aws_ebs_volume", "v", {"size": 20, "snapshot_id": "snap-0123"})
	count(aws_storage.deny) == 0 with input as hcl("aws_ebs_volume", "v", {"size": 20, "encrypted": "${var.encrypted}"})
	by_default := {"resource": {"aws_ebs_volume": {"v": [{"size": 20}]}, "aws_ebs_encryption_by_default": {"on": [{"enabled": true}]}}}
	count(aws_storage.deny) == 0 with input as by_default
	unknown := {"resource_changes": [{"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v", "change": {"actions": ["create"], "after": {"size": 20}, "after_unknown": {"encrypted": true}}}]}
	count(aws_storage.deny) == 0 with input as unknown
}

test_instance_block_devices if {
	inp := hcl("aws_instance", "web", {
		"ami": "${var.ami_id}", "instance_type": "t3.micro",
		"root_block_device": [{"volume_type": "gp3", "encrypted": true}],
		"ebs_block_device": [{"device_name": "/dev/xvdb", "volume_size": 100, "encrypted": false}],
	})
	fs := aws_storage.deny with input as inp
	count(fs) == 1
	some f in fs
	f.rule == "aws-ebs-unencrypted"
	f.path == ["resource", "aws_instance", "web", 0, "ebs_block_device", 0, "encrypted"]
}

test_launch_configuration_root_device_in_a_plan if {
	some f in aws_storage.deny with input as plan("aws_launch_configuration", "lc", {"image_id": "ami-1", "root_block_device": [{"encrypted": false, "volume_size": 8}]})
	f.path == ["resource_changes", 0, "change", "after", "root_block_device", 0, "encrypted"]
}

test_launch_template_ebs_mapping if {
	inp := hcl("aws_launch_template", "lt", {"block_device_mappings": [{"device_name": "/dev/sda1", "ebs": [{"volume_size": 20, "encrypted": "false"}]}]})
	some f in aws_storage.deny with input as inp
	f.path == ["resource", "aws_launch_template", "lt", 0, "block_device_mappings", 0, "ebs", 0, "encrypted"]
	count(aws_storage.deny) == 0 with input as hcl("aws_launch_template", "lt", {"block_device_mappings": [{"ebs": [{"encrypted": "true"}]}]})
}

test_block_devices_without_encrypted_pass if {
	count(aws_storage.deny) == 0 with input as hcl("aws_instance", "i", {"ami": "ami-1", "root_block_device": [{"volume_size": 8}]})
	count(aws_storage.deny) == 0 with input as hcl("aws_instance", "i", {"ami": "ami-1"})
}

# --- RDS and other databases --------------------------------------------------------------

test_db_instance_storage_unencrypted if {
	some f in aws_storage.deny with input as hcl("aws_db_instance", "db", {"engine": "postgres", "instance_class": "db.t3.micro", "storage_encrypted": false})
	f.rule == "aws-rds-unencrypted"
	f.severity == "high"
	f.path == ["resource", "aws_db_instance", "db", 0, "storage_encrypted"]
}

test_rds_cluster_storage_encrypted_missing_in_a_plan if {
	some f in aws_storage.deny with input as plan("aws_rds_cluster", "aurora", {"engine": "aurora-postgresql", "engine_mode": "provisioned"})
	f.rule == "aws-rds-unencrypted"
	f.path == ["resource_changes", 0, "change", "after"]
}

test_docdb_cluster_unencrypted if {
	some f in aws_storage.deny with input as hcl("aws_docdb_cluster", "docs", {"cluster_identifier": "docs"})
	f.rule == "aws-db-unencrypted"
}

test_databases_that_are_or_inherit_encryption_pass if {
	count(aws_storage.deny) == 0 with input as hcl("aws_db_instance", "db", {"engine": "mysql", "storage_encrypted": true})
	count(aws_storage.deny) == 0 with input as hcl("aws_db_instance", "replica", {"replicate_source_db": "${aws_db_instance.db.identifier}"})
	count(aws_storage.deny) == 0 with input as hcl("aws_rds_cluster", "sls", {"engine": "aurora-mysql", "engine_mode": "serverless"})
}

# --- EFS ----------------------------------------------------------------------------------

test_efs_unencrypted if {
	some f in aws_storage.deny with input as hcl("aws_efs_file_system", "shared", {"creation_token": "shared"})
	f.rule == "aws-efs-unencrypted"
	f.severity == "high"
	f.path == ["resource", "aws_efs_file_system", "shared", 0]
	some g in aws_storage.deny with input as plan("aws_efs_file_system", "shared", {"creation_token": "shared", "encrypted": false})
	g.path == ["resource_changes", 0, "change", "after", "encrypted"]
}

test_efs_encrypted_passes if {
	count(aws_storage.deny) == 0 with input as hcl("aws_efs_file_system", "shared", {"creation_token": "shared", "encrypted": true})
}

test_malformed_block_devices_are_ignored_without_errors if {
	inputs := [
		hcl("aws_instance", "i", {"root_block_device": ["x"], "ebs_block_device": "${var.devices}"}),
		hcl("aws_launch_template", "lt", {"block_device_mappings": [{"ebs": ["x"]}, "y"]}),
	]
	every inp in inputs {
		count(aws_storage.deny) == 0 with input as inp
	}
}
