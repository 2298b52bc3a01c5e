# Terraform plans that destroy or replace a resource holding data (SPEC §4: for plans, the
# destroy or replace of a stateful resource — databases, buckets, volumes, file systems, KMS
# keys, DNS zones — is critical). Only plans have `resource_changes`; HCL inputs never match.
package countersign.plan.plan_stateful

import data.countersign.lib

# Resource types whose destruction loses data (or, for KMS keys, everything encrypted with
# them; for DNS zones, the zone's delegation). Extend here.
stateful_types := {
	# Databases and caches
	"aws_db_instance", "aws_rds_cluster", "aws_dynamodb_table", "aws_dynamodb_global_table",
	"aws_elasticache_cluster", "aws_elasticache_replication_group", "aws_elasticache_serverless_cache",
	"aws_elasticache_global_replication_group", "aws_memorydb_cluster", "aws_redshift_cluster",
	"aws_redshiftserverless_namespace", "aws_docdb_cluster", "aws_docdb_elastic_cluster",
	"aws_neptune_cluster", "aws_keyspaces_keyspace", "aws_keyspaces_table", "aws_timestreamwrite_database",
	"aws_timestreamwrite_table", "aws_qldb_ledger", "aws_opensearch_domain", "aws_elasticsearch_domain",
	"aws_lightsail_database",
	"google_sql_database_instance", "google_sql_database", "google_spanner_instance", "google_spanner_database",
	"google_bigtable_instance", "google_bigtable_table", "google_bigquery_dataset", "google_bigquery_table",
	"google_firestore_database", "google_alloydb_cluster", "google_redis_instance",
	"azurerm_cosmosdb_account", "azurerm_redis_cache",
	# Buckets and object stores
	"aws_s3_bucket", "aws_s3_directory_bucket", "aws_glacier_vault", "aws_backup_vault",
	"google_storage_bucket",
	"azurerm_storage_account", "azurerm_storage_container", "azurerm_storage_share",
	# Volumes
	"aws_ebs_volume", "google_compute_disk", "google_compute_region_disk", "azurerm_managed_disk",
	# File systems
	"aws_efs_file_system", "aws_fsx_lustre_file_system", "aws_fsx_windows_file_system",
	"aws_fsx_ontap_file_system", "aws_fsx_openzfs_file_system", "aws_fsx_ontap_volume",
	"aws_fsx_openzfs_volume", "google_filestore_instance", "azurerm_netapp_volume",
	# Keys
	"aws_kms_key", "aws_kms_replica_key", "google_kms_crypto_key", "azurerm_key_vault_key", "azurerm_key_vault",
	# DNS zones
	"aws_route53_zone", "google_dns_managed_zone", "azurerm_dns_zone", "azurerm_private_dns_zone",
	# Kubernetes objects that hold state
	"kubernetes_persistent_volume", "kubernetes_persistent_volume_v1",
	"kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1",
	"kubernetes_stateful_set", "kubernetes_stateful_set_v1",
}

# Glob patterns for families of stateful types (azurerm_mssql_server, azurerm_postgresql_flexible_server,
# azurerm_mysql_flexible_database, azurerm_cosmosdb_sql_database, …).
stateful_type_patterns := ["azurerm_*_server", "azurerm_*_database"]

stateful(t) if t in stateful_types

stateful(t) if {
	some pattern in stateful_type_patterns
	glob.match(pattern, [], t)
}

# The plan actions that lose a resource's data: rule id and how the message says it.
# The same, looked up by a change's actions (one lookup per change instead of three tests).
destructive_by_actions := {d.actions: d | some d in destructive_actions}

destructive_actions := [
	{"actions": ["delete"], "rule": "plan-destroys-stateful-resource", "says": "will be destroyed"},
	{"actions": ["delete", "create"], "rule": "plan-replaces-stateful-resource", "says": "will be destroyed and recreated (replace)"},
	{"actions": ["create", "delete"], "rule": "plan-replaces-stateful-resource", "says": "will be replaced, the new one created before the old one is destroyed (replace)"},
]

# The attributes that force a replacement, when the plan names them.
forced_by(rc) := sprintf("; replacement forced by %s", [concat(", ", [path_text(p) | some p in rc.change.replace_paths])]) if {
	is_array(rc.change.replace_paths)
	count(rc.change.replace_paths) > 0
} else := ""

path_text(p) := concat(".", [sprintf("%v", [s]) | some s in p]) if is_array(p)

else := sprintf("%v", [p])

deny contains f if {
	some i, rc in input.resource_changes
	is_object(rc)
	object.get(rc, "mode", "managed") == "managed"
	d := destructive_by_actions[rc.change.actions]
	is_string(rc.type)
	stateful(rc.type)
	address := object.get(rc, "address", sprintf("%s.%s", [rc.type, object.get(rc, "name", "?")]))
	f := lib.finding(
		d.rule,
		"critical",
		sprintf("%s %s: its data does not survive%s", [address, d.says, forced_by(rc)]),
		address,
		["resource_changes", i],
		"If the data must survive, back it up first or avoid the change: revert the attribute forcing replacement, use a moved block for renames, and add lifecycle { prevent_destroy = true }.",
	)
}
