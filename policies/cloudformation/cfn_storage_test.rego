package countersign.cloudformation.cfn_storage_test

import data.countersign.cloudformation.cfn_storage

volume(props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"NewVolume": {
	"Type": "AWS::EC2::Volume",
	"Properties": object.union({"Size": 100, "AvailabilityZone": "us-west-2a", "Tags": [{"Key": "MyTag", "Value": "TagValue"}]}, props),
	"DeletionPolicy": "Snapshot",
}}}

file_system(props) := {"Resources": {"FileSystemResource": {"Type": "AWS::EFS::FileSystem", "Properties": object.union({"PerformanceMode": "maxIO"}, props)}}}

# checkov example_EBSEncryption/EBSEncryption-FAILED.yaml.
test_unencrypted_volume_is_high if {
	some f in cfn_storage.deny with input as volume({"Encrypted": false})
	f.rule == "cfn-ebs-unencrypted"
	f.severity == "high"
	f.resource == "NewVolume"
	f.path == ["Resources", "NewVolume", "Properties", "Encrypted"]
	f.msg == "NewVolume sets Encrypted: false: the EBS volume and its snapshots are stored unencrypted"
}

# EBSEncryption-FAILED-2.yaml: not set.
test_volume_without_encryption_setting if {
	some f in cfn_storage.deny with input as volume({})
	f.rule == "cfn-ebs-unencrypted"
	f.path == ["Resources", "NewVolume"]
}

# EBSEncryption-PASSED.yaml, a volume from a snapshot (inherits its encryption) and an
# intrinsic value (unknown).
test_encrypted_or_unknown_volumes_pass if {
	count(cfn_storage.deny) == 0 with input as volume({"Encrypted": true})
	count(cfn_storage.deny) == 0 with input as volume({"SnapshotId": "snap-0123456789abcdef0"})
	count(cfn_storage.deny) == 0 with input as volume({"Encrypted": {"Fn::If": ["Prod", true, false]}})
}

# checkov example_EFSEncryption/EFSEncrpytion-FAILED.yml.
test_unencrypted_file_system_is_high if {
	some f in cfn_storage.deny with input as file_system({"Encrypted": false})
	f.rule == "cfn-efs-unencrypted"
	f.severity == "high"
	f.path == ["Resources", "FileSystemResource", "Properties", "Encrypted"]
	some g in cfn_storage.deny with input as file_system({})
	g.rule == "cfn-efs-unencrypted"
	g.path == ["Resources", "FileSystemResource"]
}

# EFSEncrpytion-PASSED.yml.
test_encrypted_file_system_passes if {
	count(cfn_storage.deny) == 0 with input as file_system({"Encrypted": true, "KmsKeyId": {"Ref": "Key"}})
}
