# CloudFormation security groups open to the internet (SPEC §4: public ingress, on admin ports
# and in general): inline SecurityGroupIngress rules of AWS::EC2::SecurityGroup and standalone
# AWS::EC2::SecurityGroupIngress resources. CIDR-aware: any /0 is the world.
package countersign.cloudformation.cfn_network

import data.countersign.cloudformation.cfn_lib
import data.countersign.lib

# Ports whose exposure to the internet is an incident (the list of terraform/aws_network.rego):
# remote admin, databases, caches, search, container and cluster control planes.
admin_ports := {
	22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL", 1433: "SQL Server", 1521: "Oracle",
	27017: "MongoDB", 6379: "Redis", 11211: "Memcached", 9200: "Elasticsearch", 5601: "Kibana",
	2375: "Docker API", 2379: "etcd", 6443: "Kubernetes API", 10250: "kubelet", 23: "Telnet", 445: "SMB",
}

# Protocols whose FromPort/ToPort are ICMP type and code, not ports.
icmp_protocols := {"icmp", "icmpv6", "1", "58"}

# An ingress rule: {resource, value, path}.
ingress contains i if {
	some r in cfn_lib.resources_of_type("AWS::EC2::SecurityGroup")
	some item in cfn_lib.items(cfn_lib.get(r.props, "SecurityGroupIngress", null), array.concat(r.props_path, ["SecurityGroupIngress"]))
	is_object(item.value)
	i := {"resource": r.id, "value": item.value, "path": item.path}
}

ingress contains i if {
	some r in cfn_lib.resources_of_type("AWS::EC2::SecurityGroupIngress")
	i := {"resource": r.id, "value": r.props, "path": r.props_path}
}

# Each world-open CIDR of an ingress rule, with the path of its value.
open_to_world contains o if {
	some i in ingress
	some key in ["CidrIp", "CidrIpv6"]
	raw := i.value[key]
	cidr := cfn_lib.resolve(raw)
	lib.is_world(cidr)
	o := object.union(i, {"cidr": sprintf("%s%s", [cidr, cfn_lib.via(raw)]), "cidr_path": array.concat(i.path, [key])})
}

protocol(v) := lower(trim_space(sprintf("%v", [cfn_lib.prop(v, "IpProtocol")])))

all_ports(v) if protocol(v) == "-1"

# The admin ports an ingress rule exposes (none when its ports are unknown).
exposed_admin_ports(v) := {p | some p, _ in admin_ports; all_ports(v)} | {p |
	not protocol(v) in icmp_protocols
	from := cfn_lib.number(cfn_lib.prop(v, "FromPort"))
	to := cfn_lib.number(cfn_lib.prop(v, "ToPort"))
	some p, _ in admin_ports
	lib.port_in_range(from, to, p)
}

# How a message names the admin ports a rule exposes.
exposed_text(v, ports) := "every port and protocol (SSH, RDP and databases included)" if all_ports(v)

else := concat(", ", [sprintf("%d (%s)", [p, admin_ports[p]]) | some p in ports])

port_text(v) := "all ports" if all_ports(v)

else := sprintf("ports %v-%v", [port_value(v, "FromPort"), port_value(v, "ToPort")])

port_value(v, key) := p if {
	p := cfn_lib.number(cfn_lib.prop(v, key))
} else := "?"

deny contains f if {
	some o in open_to_world
	ports := sort(exposed_admin_ports(o.value))
	count(ports) > 0
	f := lib.finding(
		"cfn-sg-public-admin-port",
		"critical",
		sprintf("%s opens %s to the internet (%s)", [o.resource, exposed_text(o.value, ports), o.cidr]),
		o.resource,
		o.cidr_path,
		"Allow admin and database ports only from known networks (a VPN or bastion CIDR, a security group, or SSM Session Manager instead of SSH).",
	)
}

warn contains f if {
	some o in open_to_world
	count(exposed_admin_ports(o.value)) == 0
	f := lib.finding(
		"cfn-sg-public-ingress",
		"medium",
		sprintf("%s accepts traffic from the internet (%s, %s)", [o.resource, o.cidr, port_text(o.value)]),
		o.resource,
		o.cidr_path,
		"Confirm this service must be public; otherwise restrict the CIDR or put it behind a load balancer.",
	)
}
