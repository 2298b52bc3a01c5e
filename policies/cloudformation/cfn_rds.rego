# CloudFormation RDS databases (SPEC §4: publicly accessible databases, unencrypted storage,
# disabled backups / deletion protection): AWS::RDS::DBInstance and AWS::RDS::DBCluster.
package countersign.cloudformation.cfn_rds

import data.countersign.cloudformation.cfn_lib
import data.countersign.lib

instances := cfn_lib.resources_of_type("AWS::RDS::DBInstance")

clusters := cfn_lib.resources_of_type("AWS::RDS::DBCluster")

# Properties that make an instance or cluster inherit its storage encryption (a snapshot, a
# source database) or its storage and protection altogether (an Aurora cluster).
inherited_from := {"DBSnapshotIdentifier", "SourceDBInstanceIdentifier", "SourceDBClusterIdentifier", "SnapshotIdentifier", "SourceDbiResourceId", "SourceDBInstanceAutomatedBackupsArn"}

# An instance of an Aurora cluster: the cluster holds its storage, backups and protection.
cluster_member(r) if {
	r.type == "AWS::RDS::DBInstance"
	not cfn_lib.missing(r.props, "DBClusterIdentifier")
}

cluster_member(r) if {
	r.type == "AWS::RDS::DBInstance"
	engine := r.props.Engine
	is_string(engine)
	startswith(lower(engine), "aurora")
}

inherits_encryption(r) if cluster_member(r)

inherits_encryption(r) if {
	some key in inherited_from
	not cfn_lib.missing(r.props, key)
}

# Aurora Serverless v1 clusters are always encrypted.
inherits_encryption(r) if r.props.EngineMode == "serverless"

deny contains f if {
	some r in instances | clusters
	cfn_lib.is_true(cfn_lib.prop(r.props, "PubliclyAccessible"))
	f := lib.finding(
		"cfn-rds-public",
		"critical",
		sprintf("%s is publicly accessible%s: it gets a public endpoint reachable from the internet", [r.id, cfn_lib.via(r.props.PubliclyAccessible)]),
		r.id,
		array.concat(r.props_path, ["PubliclyAccessible"]),
		"Set PubliclyAccessible to false and reach the database from inside the VPC (a bastion, SSM port forwarding or a VPN).",
	)
}

deny contains f if {
	some r in instances | clusters
	cfn_lib.is_false(cfn_lib.prop(r.props, "StorageEncrypted"))
	f := lib.finding(
		"cfn-rds-unencrypted",
		"high",
		sprintf("%s sets StorageEncrypted: false%s: its data, snapshots and backups are stored unencrypted", [r.id, cfn_lib.via(r.props.StorageEncrypted)]),
		r.id,
		array.concat(r.props_path, ["StorageEncrypted"]),
		"Set StorageEncrypted to true (with a KmsKeyId for a customer-managed key); an existing database must be migrated through an encrypted snapshot.",
	)
}

deny contains f if {
	some r in instances | clusters
	cfn_lib.missing(r.props, "StorageEncrypted")
	not inherits_encryption(r)
	f := lib.finding(
		"cfn-rds-unencrypted",
		"high",
		sprintf("%s does not set StorageEncrypted: its data, snapshots and backups are stored unencrypted", [r.id]),
		r.id,
		r.path,
		"Set StorageEncrypted to true (with a KmsKeyId for a customer-managed key).",
	)
}

deny contains f if {
	some r in instances | clusters
	not cluster_member(r)
	cfn_lib.number(cfn_lib.prop(r.props, "BackupRetentionPeriod")) == 0
	f := lib.finding(
		"cfn-rds-backups-disabled",
		"high",
		sprintf("%s sets BackupRetentionPeriod: 0%s: automated backups and point-in-time recovery are off", [r.id, cfn_lib.via(r.props.BackupRetentionPeriod)]),
		r.id,
		array.concat(r.props_path, ["BackupRetentionPeriod"]),
		"Keep automated backups on: set BackupRetentionPeriod to at least 7 days.",
	)
}

warn contains f if {
	some r in instances | clusters
	not cluster_member(r)
	cfn_lib.is_false(cfn_lib.prop(r.props, "DeletionProtection"))
	f := lib.finding(
		"cfn-rds-deletion-protection-disabled",
		"medium",
		sprintf("%s sets DeletionProtection: false%s: a stack update or deletion can drop the database", [r.id, cfn_lib.via(r.props.DeletionProtection)]),
		r.id,
		array.concat(r.props_path, ["DeletionProtection"]),
		"Set DeletionProtection to true (and a DeletionPolicy of Snapshot or Retain) on production databases.",
	)
}

warn contains f if {
	some r in instances | clusters
	not cluster_member(r)
	cfn_lib.missing(r.props, "DeletionProtection")
	f := lib.finding(
		"cfn-rds-deletion-protection-disabled",
		"medium",
		sprintf("%s does not set DeletionProtection (it defaults to false): a stack update or deletion can drop the database", [r.id]),
		r.id,
		r.path,
		"Set DeletionProtection to true (and a DeletionPolicy of Snapshot or Retain) on production databases.",
	)
}
