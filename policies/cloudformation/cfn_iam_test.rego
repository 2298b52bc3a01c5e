package countersign.cloudformation.cfn_iam_test

import data.countersign.cloudformation.cfn_iam

template(id, type, props) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {id: {"Type": type, "Properties": props}}}

doc(statements) := {"Version": "2012-10-17", "Statement": statements}

# checkov example_IAMAdminPolicyDocument/iam_policy.fail.json.
test_admin_policy_is_critical if {
	inp := template("NEWPolicy", "AWS::IAM::Policy", {
		"PolicyName": "CFNUsers",
		"PolicyDocument": doc([{"Action": ["s3:HeadBucket", "*"], "Effect": "Allow", "Resource": ["arn:aws:s3:::b1", "arn:aws:s3:::b1/*", "*"], "Sid": ""}]),
		"Groups": [{"Ref": "CFNUserGroup"}],
	})
	some f in cfn_iam.deny with input as inp
	f.rule == "cfn-iam-wildcard-action"
	f.severity == "critical"
	f.resource == "NEWPolicy"
	f.path == ["Resources", "NEWPolicy", "Properties", "PolicyDocument", "Statement", 0, "Action", 1]
	f.msg == "NEWPolicy allows every action of every service on every resource (Action \"*\", Resource \"*\")"
}

# regula cfn/iam admin_policy_infra.yaml: inline role policies, a single statement object.
test_service_wildcard_in_an_inline_role_policy if {
	inp := template("InvalidRole01", "AWS::IAM::Role", {
		"AssumeRolePolicyDocument": doc([{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]),
		"Policies": [{"PolicyName": "root", "PolicyDocument": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}],
	})
	some f in cfn_iam.deny with input as inp
	f.rule == "cfn-iam-wildcard-action"
	f.path == ["Resources", "InvalidRole01", "Properties", "Policies", 0, "PolicyDocument", "Statement", "Action"]
	f.msg == "InvalidRole01 allows every s3 action on every resource (Action \"s3:*\", Resource \"*\")"
}

# checkov example_IAMAdminPolicyDocument/iam_role.pass.json.
test_scoped_policy_passes if {
	inp := template("RootRole", "AWS::IAM::Role", {
		"AssumeRolePolicyDocument": doc([{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]),
		"Policies": [{"PolicyName": "root", "PolicyDocument": doc([
			{"Action": ["s3:ListBucket*", "s3:HeadBucket", "s3:Get*"], "Effect": "Allow", "Resource": ["arn:aws:s3:::b1", "arn:aws:s3:::b1/*"]},
			{"Action": "s3:PutObject*", "Effect": "Allow", "Resource": "arn:aws:s3:::b1/*"},
			{"Action": "*", "Effect": "Deny", "Resource": "*"},
			{"Action": "ec2:Describe*", "Effect": "Allow", "Resource": "*"},
		])}],
	})
	count(cfn_iam.deny) == 0 with input as inp
}

# checkov example_IAMStarActionPolicyDocument/iam_role.unknown.yaml: Fn::If and Fn::Sub stay unknown.
test_intrinsic_documents_are_unknown if {
	inp := template("RootRole", "AWS::IAM::Role", {"Policies": {"Fn::If": ["CreateExecPolicy", [{"PolicyName": "root", "PolicyDocument": {"Fn::Sub": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"}}], {"Ref": "AWS::NoValue"}]}})
	count(cfn_iam.deny) == 0 with input as inp
	bad := template("rIamPolicy", "AWS::IAM::Policy", {"PolicyDocument": [{"Fn::If": ["cCondition", {"Statement": {}}, {"Statement": []}]}]})
	count(cfn_iam.deny) == 0 with input as bad
}

# A policy document given as a JSON string: findings land on the document.
test_json_string_document if {
	inp := template("Admin", "AWS::IAM::ManagedPolicy", {"PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"})
	some f in cfn_iam.deny with input as inp
	f.rule == "cfn-iam-wildcard-action"
	f.path == ["Resources", "Admin", "Properties", "PolicyDocument"]
}

test_pass_role_on_every_role_is_high if {
	inp := template("DeployUser", "AWS::IAM::User", {"Policies": [{"PolicyName": "deploy", "PolicyDocument": doc([{"Effect": "Allow", "Action": ["lambda:CreateFunction", "iam:PassRole"], "Resource": "*"}])}]})
	some f in cfn_iam.deny with input as inp
	f.rule == "cfn-iam-passrole-wildcard"
	f.severity == "high"
	f.resource == "DeployUser"
	f.path == ["Resources", "DeployUser", "Properties", "Policies", 0, "PolicyDocument", "Statement", 0, "Action", 1]
}

test_pass_role_pattern_is_high if {
	inp := template("Ops", "AWS::IAM::Group", {"Policies": [{"PolicyName": "ops", "PolicyDocument": doc([{"Effect": "Allow", "Action": "iam:Pass*", "Resource": ["*"]}])}]})
	{f.rule | some f in cfn_iam.deny with input as inp} == {"cfn-iam-passrole-wildcard"}
}

test_scoped_pass_role_passes if {
	inp := template("DeployUser", "AWS::IAM::User", {"Policies": [{"PolicyName": "deploy", "PolicyDocument": doc([{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/lambda-exec", "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}])}]})
	count(cfn_iam.deny) == 0 with input as inp
}

# checkov example_IAMRoleAllowsPublicAssume/FAILED.yml.
test_wildcard_principal_in_trust_policy if {
	inp := template("AWSStarPrincipalInList", "AWS::IAM::Role", {"AssumeRolePolicyDocument": doc([{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789101:root", "*"]}, "Action": ["sts:AssumeRole"]}])})
	some f in cfn_iam.deny with input as inp
	f.rule == "cfn-iam-wildcard-principal"
	f.severity == "high"
	f.path == ["Resources", "AWSStarPrincipalInList", "Properties", "AssumeRolePolicyDocument", "Statement", 0, "Principal", "AWS", 1]
	f.msg == "AWSStarPrincipalInList can be assumed by anyone (Principal AWS: * in its trust policy)"
}

# FAILED-2.yml: the trust policy as a JSON string.
test_wildcard_principal_in_a_json_trust_policy if {
	inp := template("AWSStarPrincipal2", "AWS::IAM::Role", {"AssumeRolePolicyDocument": "{\"Statement\": [{\"Action\": \"sts:AssumeRole\", \"Effect\": \"Allow\", \"Principal\": \"*\"}]}"})
	some f in cfn_iam.deny with input as inp
	f.rule == "cfn-iam-wildcard-principal"
	f.path == ["Resources", "AWSStarPrincipal2", "Properties", "AssumeRolePolicyDocument"]
}

# PASSED.yml: a service principal, and a Deny for everyone; a condition pinning the org.
test_trust_policies_that_pass if {
	service := template("ServiceRole", "AWS::IAM::Role", {"AssumeRolePolicyDocument": doc([{"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}])})
	count(cfn_iam.deny) == 0 with input as service
	deny_all := template("DenyIgnore", "AWS::IAM::Role", {"AssumeRolePolicyDocument": doc([{"Effect": "Deny", "Principal": {"AWS": ["*"]}, "Action": ["sts:AssumeRole"]}])})
	count(cfn_iam.deny) == 0 with input as deny_all
	org := template("OrgRole", "AWS::IAM::Role", {"AssumeRolePolicyDocument": doc([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}])})
	count(cfn_iam.deny) == 0 with input as org
}
