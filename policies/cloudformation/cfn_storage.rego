# Unencrypted block and file storage in CloudFormation (SPEC §4: unencrypted storage — EBS,
# EFS): AWS::EC2::Volume and AWS::EFS::FileSystem without Encrypted: true.
package countersign.cloudformation.cfn_storage

import data.countersign.cloudformation.cfn_lib
import data.countersign.lib

# The storage resources checked, with the rule and what each holds.
encrypted_types := {
	"AWS::EC2::Volume": {"rule": "cfn-ebs-unencrypted", "what": "the EBS volume and its snapshots are", "unless": " (unless the account turns on EBS encryption by default)"},
	"AWS::EFS::FileSystem": {"rule": "cfn-efs-unencrypted", "what": "the EFS file system and its backups are", "unless": ""},
}

storage contains s if {
	some t, info in encrypted_types
	some r in cfn_lib.resources_of_type(t)
	s := object.union(r, info)
}

# A volume created from a snapshot inherits the snapshot's encryption: unknown here.
inherits_encryption(s) if {
	s.type == "AWS::EC2::Volume"
	not cfn_lib.missing(s.props, "SnapshotId")
}

deny contains f if {
	some s in storage
	cfn_lib.is_false(cfn_lib.prop(s.props, "Encrypted"))
	f := lib.finding(
		s.rule,
		"high",
		sprintf("%s sets Encrypted: false%s: %s stored unencrypted", [s.id, cfn_lib.via(s.props.Encrypted), s.what]),
		s.id,
		array.concat(s.props_path, ["Encrypted"]),
		"Set Encrypted to true (with a KmsKeyId for a customer-managed key).",
	)
}

deny contains f if {
	some s in storage
	cfn_lib.missing(s.props, "Encrypted")
	not inherits_encryption(s)
	f := lib.finding(
		s.rule,
		"high",
		sprintf("%s does not set Encrypted: %s stored unencrypted%s", [s.id, s.what, s.unless]),
		s.id,
		s.path,
		"Set Encrypted to true (with a KmsKeyId for a customer-managed key).",
	)
}
