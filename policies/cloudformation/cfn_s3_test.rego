package countersign.cloudformation.cfn_s3_test

import data.countersign.cloudformation.cfn_s3

encrypted := {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Ref": "KMSKey"}}}]}

bucket(props) := {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": props}}}

test_public_acl_is_high if {
	some f in cfn_s3.deny with input as bucket({"AccessControl": "PublicReadWrite", "BucketEncryption": encrypted})
	f.rule == "cfn-s3-public-acl"
	f.severity == "high"
	f.resource == "Bucket"
	f.path == ["Resources", "Bucket", "Properties", "AccessControl"]
	f.msg == "Bucket has the canned ACL PublicReadWrite, which lets anyone on the internet read, write and delete its objects"
}

test_private_acl_passes if {
	count(cfn_s3.deny | cfn_s3.warn) == 0 with input as bucket({"AccessControl": "Private", "BucketEncryption": encrypted})
	count(cfn_s3.deny) == 0 with input as bucket({"AccessControl": "LogDeliveryWrite", "BucketEncryption": encrypted})
}

test_public_access_block_flag_false_is_high if {
	inp := bucket({"BucketEncryption": encrypted, "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": "false", "IgnorePublicAcls": true, "RestrictPublicBuckets": true}})
	fs := cfn_s3.deny with input as inp
	count(fs) == 1
	some f in fs
	f.rule == "cfn-s3-public-access-block-disabled"
	f.severity == "high"
	f.path == ["Resources", "Bucket", "Properties", "PublicAccessBlockConfiguration", "BlockPublicPolicy"]
}

# regula cfn/s3 invalid_block_public_access_infra.yaml, Bucket2: a setting left out is false.
test_public_access_block_flag_left_out if {
	inp := bucket({"AccessControl": "Private", "BucketEncryption": encrypted, "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}})
	some f in cfn_s3.deny with input as inp
	f.rule == "cfn-s3-public-access-block-disabled"
	f.path == ["Resources", "Bucket", "Properties", "PublicAccessBlockConfiguration"]
	contains(f.msg, "leaves BlockPublicPolicy out")
}

# valid_block_public_access_infra.yaml.
test_full_public_access_block_passes if {
	inp := bucket({"AccessControl": "Private", "BucketEncryption": encrypted, "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}})
	count(cfn_s3.deny | cfn_s3.warn) == 0 with input as inp
}

# regula cfn/s3 invalid_encryption_missing_infra.yaml.
test_missing_encryption_is_a_warning if {
	some f in cfn_s3.warn with input as bucket({"AccessControl": "Private"})
	f.rule == "cfn-s3-encryption-missing"
	f.severity == "medium"
	f.path == ["Resources", "Bucket"]
	count(cfn_s3.warn) == 1 with input as {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}
}

policy(statements) := {"Resources": {
	"Bucket1": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": encrypted}},
	"Bucket1Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket1"}, "PolicyDocument": {"Statement": statements}}},
}}

# regula cfn/s3 invalid_https_access_bucket_policy_infra.yaml.
test_public_bucket_policy_is_high if {
	inp := policy([{"Effect": "Allow", "Principal": "*", "Action": "s3:Get*", "Resource": [{"Fn::GetAtt": ["Bucket1", "Arn"]}]}])
	some f in cfn_s3.deny with input as inp
	f.rule == "cfn-s3-bucket-policy-public"
	f.severity == "high"
	f.resource == "Bucket1Policy"
	f.path == ["Resources", "Bucket1Policy", "Properties", "PolicyDocument", "Statement", 0, "Principal"]
	f.msg == "Bucket1Policy lets anyone (Principal *) perform s3:Get* on its bucket"
}

test_wildcard_aws_principal_is_public if {
	some f in cfn_s3.deny with input as policy([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"}])
	f.path == ["Resources", "Bucket1Policy", "Properties", "PolicyDocument", "Statement", 0, "Principal", "AWS"]
}

# The usual TLS-only Deny for everyone, a principal restricted to a VPC endpoint, and a
# named account are not public.
test_non_public_bucket_policies_pass if {
	deny_insecure := policy([{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": [{"Fn::Sub": "${Bucket1.Arn}/*"}], "Condition": {"Bool": {"aws:SecureTransport": false}}}])
	count(cfn_s3.deny) == 0 with input as deny_insecure
	vpce := policy([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}])
	count(cfn_s3.deny) == 0 with input as vpce
	account := policy([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}])
	count(cfn_s3.deny) == 0 with input as account
}
