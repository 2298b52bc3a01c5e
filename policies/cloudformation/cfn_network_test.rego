package countersign.cloudformation.cfn_network_test

import data.countersign.cloudformation.cfn_network

sg(rules) := {"Resources": {"InstanceSecurityGroup": {
	"Type": "AWS::EC2::SecurityGroup",
	"Properties": {"GroupDescription": "Enable SSH access via port 22", "SecurityGroupIngress": rules},
}}}

# checkov example_SecurityGroupUnrestrictedIngress22/SecurityGroupQuotes-FAILED.yaml: ports as strings.
test_ssh_open_to_the_world_is_critical if {
	inp := sg([{"Description": "fail quotes", "IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "0.0.0.0/0"}])
	some f in cfn_network.deny with input as inp
	f.rule == "cfn-sg-public-admin-port"
	f.severity == "critical"
	f.resource == "InstanceSecurityGroup"
	f.path == ["Resources", "InstanceSecurityGroup", "Properties", "SecurityGroupIngress", 0, "CidrIp"]
	f.msg == "InstanceSecurityGroup opens 22 (SSH) to the internet (0.0.0.0/0)"
	count(cfn_network.warn) == 0 with input as inp
}

# SecurityGroupRange-FAILED.yaml: a range covering admin ports.
test_port_range_and_ipv6 if {
	some f in cfn_network.deny with input as sg([{"IpProtocol": "tcp", "FromPort": 21, "ToPort": 23, "CidrIpv6": "::/0"}])
	f.msg == "InstanceSecurityGroup opens 22 (SSH), 23 (Telnet) to the internet (::/0)"
	f.path == ["Resources", "InstanceSecurityGroup", "Properties", "SecurityGroupIngress", 0, "CidrIpv6"]
}

# regula cfn/vpc ingress_22_infra.yaml: IpProtocol -1 opens every port, whatever FromPort says.
test_all_protocols_expose_admin_ports if {
	some f in cfn_network.deny with input as sg([{"CidrIp": "0.0.0.0/0", "FromPort": 80, "ToPort": 80, "IpProtocol": -1}])
	f.rule == "cfn-sg-public-admin-port"
	contains(f.msg, "every port and protocol")
}

test_standalone_ingress_resource if {
	inp := {"Resources": {"SshIngress": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
		"GroupId": {"Ref": "InstanceSecurityGroup"}, "CidrIp": "0.0.0.0/0", "FromPort": 3389, "ToPort": 3389, "IpProtocol": "tcp",
	}}}}
	some f in cfn_network.deny with input as inp
	f.resource == "SshIngress"
	f.path == ["Resources", "SshIngress", "Properties", "CidrIp"]
}

# SecurityGroupUnrestrictedIngress22-FAILED.yaml: a Ref to a parameter whose Default is /0.
test_parameter_default_is_what_gets_deployed if {
	inp := object.union(sg([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Ref": "SSHLocation"}}]), {"Parameters": {"SSHLocation": {"Type": "String", "Default": "0.0.0.0/0"}}})
	some f in cfn_network.deny with input as inp
	f.msg == "InstanceSecurityGroup opens 22 (SSH) to the internet (0.0.0.0/0 (the default of parameter SSHLocation))"
}

# SecurityGroupUnrestrictedIngress22-PASSED.yaml, and intrinsics that stay unknown.
test_private_and_unknown_cidrs_pass if {
	private := object.union(sg([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Ref": "SSHLocation"}}]), {"Parameters": {"SSHLocation": {"Type": "String", "Default": "10.10.10.0/24"}}})
	count(cfn_network.deny | cfn_network.warn) == 0 with input as private
	no_default := sg([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Ref": "SSHLocation"}}])
	count(cfn_network.deny | cfn_network.warn) == 0 with input as no_default
	imported := sg([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Fn::ImportValue": "AdminCidr"}}])
	count(cfn_network.deny | cfn_network.warn) == 0 with input as imported
	# SecurityGroupUnrestrictedIngress22-UNKNOWN.yaml: a malformed rule list.
	count(cfn_network.deny | cfn_network.warn) == 0 with input as sg("hello22")
}

test_public_https_is_a_warning_not_a_denial if {
	inp := sg([{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}])
	count(cfn_network.deny) == 0 with input as inp
	some f in cfn_network.warn with input as inp
	f.rule == "cfn-sg-public-ingress"
	f.severity == "medium"
	f.path == ["Resources", "InstanceSecurityGroup", "Properties", "SecurityGroupIngress", 0, "CidrIp"]
	f.msg == "InstanceSecurityGroup accepts traffic from the internet (0.0.0.0/0, ports 443-443)"
}

# SecurityGroupRangeInvalid-PASSED.yaml (FromPort > ToPort exposes no admin port) and ICMP,
# whose ports are a type and a code.
test_inverted_range_and_icmp_are_not_admin_ports if {
	count(cfn_network.deny) == 0 with input as sg([{"IpProtocol": "tcp", "FromPort": "23", "ToPort": "21", "CidrIp": "0.0.0.0/0"}])
	inp := sg([{"IpProtocol": "icmp", "FromPort": 8, "ToPort": 22, "CidrIp": "0.0.0.0/0"}])
	count(cfn_network.deny) == 0 with input as inp
	some f in cfn_network.warn with input as inp
	f.rule == "cfn-sg-public-ingress"
}

test_unknown_ports_on_a_public_rule_are_a_warning if {
	inp := sg([{"IpProtocol": "tcp", "FromPort": {"Ref": "Port"}, "ToPort": {"Ref": "Port"}, "CidrIp": "0.0.0.0/0"}])
	count(cfn_network.deny) == 0 with input as inp
	some f in cfn_network.warn with input as inp
	contains(f.msg, "ports ?-?")
}
