package countersign.terraform.aws_database_test

import data.countersign.terraform.aws_database

hcl(type, name, body) := {"resource": {type: {name: [body]}}}

plan(type, name, after) := {"resource_changes": [{
	"address": sprintf("%s.%s", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after},
}]}

# A well-kept database: private, backed up, protected.
safe := {
	"engine": "postgres", "instance_class": "db.t3.micro", "publicly_accessible": false,
	"backup_retention_period": 7, "deletion_protection": true, "skip_final_snapshot": false,
	"final_snapshot_identifier": "db-final",
}

# --- public -------------------------------------------------------------------------------

test_public_db_instance if {
	some f in aws_database.deny with input as hcl("aws_db_instance", "db", object.union(safe, {"publicly_accessible": true}))
	f.rule == "aws-db-public"
	f.severity == "high"
	f.resource == "aws_db_instance.db"
	f.path == ["resource", "aws_db_instance", "db", 0, "publicly_accessible"]
}

test_public_redshift_cluster_in_a_plan if {
	some f in aws_database.deny with input as plan("aws_redshift_cluster", "dw", {"cluster_identifier": "dw", "node_type": "ra3.xlplus", "publicly_accessible": true})
	f.rule == "aws-db-public"
	f.path == ["resource_changes", 0, "change", "after", "publicly_accessible"]
	contains(f.msg, "Redshift cluster")
}

test_public_aurora_and_dms_instances if {
	count(aws_database.deny) == 1 with input as hcl("aws_rds_cluster_instance", "a", {"cluster_identifier": "${aws_rds_cluster.c.id}", "publicly_accessible": "true"})
	count(aws_database.deny) == 1 with input as hcl("aws_dms_replication_instance", "dms", {"replication_instance_class": "dms.t3.micro", "publicly_accessible": true})
}

test_private_databases_pass if {
	count(aws_database.deny) == 0 with input as hcl("aws_db_instance", "db", safe)
	count(aws_database.warn) == 0 with input as hcl("aws_db_instance", "db", safe)
	count(aws_database.deny) == 0 with input as hcl("aws_rds_cluster_instance", "a", {"cluster_identifier": "c"})
	count(aws_database.deny) == 0 with input as hcl("aws_redshift_cluster", "dw", {"publicly_accessible": "${var.public}"})
}

# --- backups ------------------------------------------------------------------------------

test_backups_disabled if {
	some f in aws_database.deny with input as hcl("aws_rds_cluster", "aurora", {"engine": "aurora-mysql", "backup_retention_period": 0, "deletion_protection": true})
	f.rule == "aws-rds-backup-disabled"
	f.severity == "high"
	f.path == ["resource", "aws_rds_cluster", "aurora", 0, "backup_retention_period"]
	some g in aws_database.deny with input as plan("aws_db_instance", "db", object.union(safe, {"backup_retention_period": 0}))
	g.path == ["resource_changes", 0, "change", "after", "backup_retention_period"]
}

test_backups_kept_default_or_on_a_replica_pass if {
	count(aws_database.deny) == 0 with input as hcl("aws_db_instance", "db", {"backup_retention_period": 35})
	count(aws_database.deny) == 0 with input as hcl("aws_db_instance", "db", {"engine": "mysql"})
	count(aws_database.deny) == 0 with input as hcl("aws_db_instance", "db", {"backup_retention_period": "${var.days}"})
	count(aws_database.deny) == 0 with input as hcl("aws_db_instance", "replica", {"replicate_source_db": "${aws_db_instance.db.identifier}", "backup_retention_period": 0})
}

# --- deletion protection ------------------------------------------------------------------

test_deletion_protection_off if {
	some f in aws_database.warn with input as plan("aws_db_instance", "db", object.union(safe, {"deletion_protection": false}))
	f.rule == "aws-rds-deletion-protection-disabled"
	f.severity == "medium"
	f.path == ["resource_changes", 0, "change", "after", "deletion_protection"]
	f.msg == "aws_db_instance.db has no deletion protection (deletion_protection = false): one destroy or replace deletes it"
}

test_deletion_protection_missing if {
	some f in aws_database.warn with input as hcl("aws_rds_cluster", "c", {"engine": "aurora-postgresql"})
	f.rule == "aws-rds-deletion-protection-disabled"
	f.path == ["resource", "aws_rds_cluster", "c", 0]
	contains(f.msg, "is not set")
}

test_deletion_protection_on_or_unknown_passes if {
	count(aws_database.warn) == 0 with input as hcl("aws_rds_cluster", "c", {"deletion_protection": true})
	count(aws_database.warn) == 0 with input as hcl("aws_rds_cluster", "c", {"deletion_protection": "${var.env == \"prod\"}"})
}

# --- final snapshot -----------------------------------------------------------------------

test_skip_final_snapshot if {
	some f in aws_database.warn with input as hcl("aws_db_instance", "db", object.union(safe, {"skip_final_snapshot": true}))
	f.rule == "aws-rds-skip-final-snapshot"
	f.severity == "medium"
	f.path == ["resource", "aws_db_instance", "db", 0, "skip_final_snapshot"]
}
