package countersign.terraform.aws_network_test

import data.countersign.lib
import data.countersign.terraform.aws_network

# conftest's HCL shape: every block is a list.
hcl_sg(ingress) := {"resource": {"aws_security_group": {"web": [{"name": "web", "ingress": lib.as_array(ingress)}]}}}

test_ssh_open_to_the_world_is_critical if {
	some f in aws_network.deny with input as hcl_sg({"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]})
	f.rule == "aws-sg-public-admin-port"
	f.severity == "critical"
	f.resource == "aws_security_group.web"
	f.path == ["resource", "aws_security_group", "web", 0, "ingress", 0, "cidr_blocks", 0]
}

test_any_spelling_of_slash_zero_is_the_world if {
	count(aws_network.deny) == 1 with input as hcl_sg({"from_port": 3389, "to_port": 3389, "protocol": "tcp", "cidr_blocks": ["0.0.2.0/0"]})
	count(aws_network.deny) == 1 with input as hcl_sg({"from_port": 22, "to_port": 22, "protocol": "tcp", "ipv6_cidr_blocks": ["::/0"]})
}

test_all_protocols_expose_admin_ports if {
	count(aws_network.deny) == 1 with input as hcl_sg({"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]})
}

test_a_zero_to_zero_range_is_every_port if {
	count(aws_network.deny) == 1 with input as hcl_sg({"from_port": 0, "to_port": 0, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]})
	count(aws_network.deny) == 1 with input as hcl_sg({"from_port": -1, "to_port": -1, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]})
}

test_vpc_ingress_rule_resource if {
	inp := {"resource": {"aws_vpc_security_group_ingress_rule": {"ssh": [{"cidr_ipv4": "0.0.0.0/0", "from_port": 22, "to_port": 22, "ip_protocol": "tcp"}]}}}
	some f in aws_network.deny with input as inp
	f.resource == "aws_vpc_security_group_ingress_rule.ssh"
}

test_private_networks_pass if {
	count(aws_network.deny) == 0 with input as hcl_sg({"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]})
	count(aws_network.warn) == 0 with input as hcl_sg({"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]})
}

test_public_https_is_a_warning_not_a_denial if {
	inp := hcl_sg([{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}])
	count(aws_network.deny) == 0 with input as inp
	some f in aws_network.warn with input as inp
	f.rule == "aws-sg-public-ingress"
	f.path == ["resource", "aws_security_group", "web", 0, "ingress", 0, "cidr_blocks", 0]
}

test_standalone_rule_in_a_plan if {
	plan := {"resource_changes": [{
		"address": "aws_security_group_rule.ssh", "mode": "managed", "type": "aws_security_group_rule", "name": "ssh",
		"change": {"actions": ["create"], "after": {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}},
	}]}
	some f in aws_network.deny with input as plan
	f.resource == "aws_security_group_rule.ssh"
	f.path == ["resource_changes", 0, "change", "after", "cidr_blocks", 0]
}

test_destroyed_rules_are_not_findings if {
	plan := {"resource_changes": [{
		"address": "aws_security_group_rule.ssh", "mode": "managed", "type": "aws_security_group_rule", "name": "ssh",
		"change": {"actions": ["delete"], "before": {"type": "ingress", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}, "after": null},
	}]}
	count(aws_network.deny) == 0 with input as plan
}
