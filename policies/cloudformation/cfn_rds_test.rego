package countersign.cloudformation.cfn_rds_test

import data.countersign.cloudformation.cfn_rds

# A database instance that passes every rule.
good := {"DBName": "mydb", "DBInstanceClass": "db.t3.micro", "Engine": "mysql", "StorageEncrypted": true, "DeletionProtection": true, "BackupRetentionPeriod": 7}

db(props) := {"Resources": {"MyDB": {"Type": "AWS::RDS::DBInstance", "Properties": props}}}

findings(inp) := fs if {
	fs := cfn_rds.deny | cfn_rds.warn with input as inp
}

test_good_instance_passes if {
	count(findings(db(good))) == 0
	count(findings(db(object.union(good, {"PubliclyAccessible": false})))) == 0
}

# checkov example_RDSPubliclyAccessible/RDSPubliclyAccessible-FAIL.yaml.
test_publicly_accessible_is_critical if {
	some f in cfn_rds.deny with input as db(object.union(good, {"PubliclyAccessible": true}))
	f.rule == "cfn-rds-public"
	f.severity == "critical"
	f.resource == "MyDB"
	f.path == ["Resources", "MyDB", "Properties", "PubliclyAccessible"]
}

test_publicly_accessible_through_a_parameter_default if {
	inp := object.union(db(object.union(good, {"PubliclyAccessible": {"Ref": "Public"}})), {"Parameters": {"Public": {"Type": "String", "AllowedValues": ["true", "false"], "Default": "true"}}})
	some f in cfn_rds.deny with input as inp
	f.rule == "cfn-rds-public"
	f.msg == "MyDB is publicly accessible (the default of parameter Public): it gets a public endpoint reachable from the internet"
}

# checkov example_RDSEncryption/RDSEncryption-FAIL.yaml: missing and false.
test_unencrypted_storage_is_high if {
	inp := {"Resources": {
		"MyDB0": {"Type": "AWS::RDS::DBInstance", "Properties": object.remove(good, ["StorageEncrypted"])},
		"MyDB1": {"Type": "AWS::RDS::DBInstance", "Properties": object.union(good, {"StorageEncrypted": false})},
	}}
	fs := {[f.resource, f.severity, f.path] | some f in cfn_rds.deny with input as inp; f.rule == "cfn-rds-unencrypted"}
	fs == {["MyDB0", "high", ["Resources", "MyDB0"]], ["MyDB1", "high", ["Resources", "MyDB1", "Properties", "StorageEncrypted"]]}
}

# checkov RDSEncryption-UNKNOWN.yaml (Aurora instances: the cluster holds the storage) and
# restores from a snapshot (encryption inherited).
test_inherited_encryption_is_unknown if {
	aurora := {"DBName": "mydb", "DBInstanceClass": "db.r5.large", "Engine": "aurora-postgresql", "DBClusterIdentifier": {"Ref": "Cluster"}}
	count(findings(db(aurora))) == 0
	restored := object.union(object.remove(good, ["StorageEncrypted"]), {"DBSnapshotIdentifier": "arn:aws:rds:eu-west-1:123456789012:snapshot:pre-migration"})
	count(findings(db(restored))) == 0
}

# checkov example_AuroraEncryption/AuroraEncryption-FAIL.yaml and -UNKNOWN.yaml.
test_cluster_encryption if {
	inp := {"Resources": {"Aurora0": {"Type": "AWS::RDS::DBCluster", "Properties": {"DatabaseName": "mydb", "Engine": "aurora", "DeletionProtection": true}}}}
	some f in cfn_rds.deny with input as inp
	f.rule == "cfn-rds-unencrypted"
	f.resource == "Aurora0"
	snapshot := {"Resources": {"Aurora0": {"Type": "AWS::RDS::DBCluster", "Properties": {"DatabaseName": "mydb", "Engine": "aurora", "DeletionProtection": true, "SnapshotIdentifier": "SnapshotIdentifier"}}}}
	count(findings(snapshot)) == 0
	serverless := {"Resources": {"Aurora0": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-mysql", "EngineMode": "serverless", "DeletionProtection": true}}}}
	count(findings(serverless)) == 0
}

test_backups_disabled_is_high if {
	some f in cfn_rds.deny with input as db(object.union(good, {"BackupRetentionPeriod": "0"}))
	f.rule == "cfn-rds-backups-disabled"
	f.severity == "high"
	f.path == ["Resources", "MyDB", "Properties", "BackupRetentionPeriod"]
}

test_deletion_protection_disabled_is_medium if {
	some f in cfn_rds.warn with input as db(object.union(good, {"DeletionProtection": false}))
	f.rule == "cfn-rds-deletion-protection-disabled"
	f.severity == "medium"
	f.path == ["Resources", "MyDB", "Properties", "DeletionProtection"]
	some g in cfn_rds.warn with input as db(object.remove(good, ["DeletionProtection"]))
	g.rule == "cfn-rds-deletion-protection-disabled"
	g.path == ["Resources", "MyDB"]
}
