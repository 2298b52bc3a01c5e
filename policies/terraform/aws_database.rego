# Databases reachable from the internet and databases that can lose their data (SPEC §4:
# publicly accessible databases, disabled backups / deletion protection).
package countersign.terraform.aws_database

import data.countersign.lib

truthy(v) if v == true

truthy(v) if {
	is_string(v)
	lower(v) == "true"
}

# Database types with a `publicly_accessible` switch (false by default: only true is judged).
public_types := {
	"aws_db_instance": "RDS instance",
	"aws_rds_cluster_instance": "Aurora instance",
	"aws_redshift_cluster": "Redshift cluster",
	"aws_dms_replication_instance": "DMS replication instance",
}

deny contains f if {
	some type, what in public_types
	some r in lib.resources_of_type(type)
	truthy(object.get(r.values, "publicly_accessible", null))
	f := lib.finding(
		"aws-db-public",
		"high",
		sprintf("%s is publicly accessible: the %s gets a public IP address and DNS name", [r.address, what]),
		r.address,
		array.concat(r.path, ["publicly_accessible"]),
		"Set publicly_accessible = false and reach the database through private subnets (a VPN, a bastion or SSM port forwarding).",
	)
}

# Types whose backups, deletion protection and final snapshot are judged.
stateful_types := ["aws_db_instance", "aws_rds_cluster"]

# backup_retention_period = 0 turns automated backups (and point-in-time recovery) off. A read
# replica may leave them off: its source keeps them.
deny contains f if {
	some type in stateful_types
	some r in lib.resources_of_type(type)
	days := object.get(r.values, "backup_retention_period", null)
	is_number(days)
	days == 0
	object.get(r.values, "replicate_source_db", null) == null
	f := lib.finding(
		"aws-rds-backup-disabled",
		"high",
		sprintf("%s disables automated backups (backup_retention_period = 0): no point-in-time recovery", [r.address]),
		r.address,
		array.concat(r.path, ["backup_retention_period"]),
		"Keep automated backups: set backup_retention_period to at least 7 days (35 for production data).",
	)
}

# deletion_protection defaults to false: false or missing is reported.
warn contains f if {
	some type in stateful_types
	some r in lib.resources_of_type(type)
	value := object.get(r.values, "deletion_protection", null)
	not truthy(value)
	not is_interpolation(value)
	f := lib.finding(
		"aws-rds-deletion-protection-disabled",
		"medium",
		sprintf("%s has no deletion protection (deletion_protection %s): one destroy or replace deletes it", [r.address, setting_text(value)]),
		r.address,
		setting_path(r, "deletion_protection", value),
		"Set deletion_protection = true for databases holding data you cannot recreate.",
	)
}

warn contains f if {
	some type in stateful_types
	some r in lib.resources_of_type(type)
	truthy(object.get(r.values, "skip_final_snapshot", null))
	f := lib.finding(
		"aws-rds-skip-final-snapshot",
		"medium",
		sprintf("%s skips the final snapshot (skip_final_snapshot = true): deleting it loses its data for good", [r.address]),
		r.address,
		array.concat(r.path, ["skip_final_snapshot"]),
		"Set skip_final_snapshot = false with a final_snapshot_identifier, so deleting the database keeps a snapshot.",
	)
}

# An HCL reference or expression ("${var.protect}"): unknown, not judged.
is_interpolation(v) if {
	is_string(v)
	contains(v, "${")
}

setting_text(v) := "is not set" if v == null

else := sprintf("= %v", [v])

# The path of a setting: the attribute when it is set, the resource when it is missing.
setting_path(r, key, v) := r.path if v == null

else := array.concat(r.path, [key])
