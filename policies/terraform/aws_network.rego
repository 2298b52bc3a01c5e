# AWS security groups open to the internet (SPEC §4: public ingress, on admin ports and in
# general). CIDR-aware: any /0 is the world, whatever its spelling.
package countersign.terraform.aws_network

import data.countersign.lib

# Ports whose exposure to the internet is an incident: remote admin, databases, caches,
# search, container and cluster control planes.
admin_ports := {
	22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL", 1433: "SQL Server", 1521: "Oracle",
	27017: "MongoDB", 6379: "Redis", 11211: "Memcached", 9200: "Elasticsearch", 5601: "Kibana",
	2375: "Docker API", 2379: "etcd", 6443: "Kubernetes API", 10250: "kubelet", 23: "Telnet", 445: "SMB",
}

# An ingress rule (inline block or standalone resource): {resource, value, path}.
ingress contains i if {
	some r in lib.resources_of_type("aws_security_group")
	some b in lib.blocks(r, "ingress")
	i := {"resource": r.address, "value": b.value, "path": b.path}
}

ingress contains i if {
	some r in lib.resources_of_type("aws_security_group_rule")
	r.values.type == "ingress"
	i := {"resource": r.address, "value": r.values, "path": r.path}
}

ingress contains i if {
	some r in lib.resources_of_type("aws_vpc_security_group_ingress_rule")
	v := r.values
	normalized := {
		"cidr_blocks": [object.get(v, "cidr_ipv4", null)],
		"ipv6_cidr_blocks": [object.get(v, "cidr_ipv6", null)],
		"protocol": object.get(v, "ip_protocol", ""),
	}
	i := {"resource": r.address, "value": object.union(v, normalized), "path": r.path}
}

# Each world-open CIDR of an ingress rule, with the path of its value.
open_to_world contains o if {
	some i in ingress
	some key in ["cidr_blocks", "ipv6_cidr_blocks"]
	some j, cidr in lib.as_array(object.get(i.value, key, []))
	lib.is_world(cidr)
	path := array.concat(i.path, [key, j])
	o := object.union(i, {"cidr": cidr, "cidr_path": path})
}

all_ports(v) if object.get(v, "protocol", "") in {"-1", "all", -1}

# A 0-0 or -1 to -1 port range is how "every port" is usually written (and read by AWS tools).
all_ports(v) if {
	some n in [0, -1]
	to_number(v.from_port) == n
	to_number(v.to_port) == n
}

# The admin ports an ingress rule exposes.
exposed_admin_ports(v) := every_admin_port if all_ports(v)

else := ports if {
	from := to_number(v.from_port)
	to := to_number(v.to_port)
	ports := {p | some p, _ in admin_ports; from <= p; p <= to}
}

else := set()

every_admin_port := {p | some p, _ in admin_ports}

deny contains f if {
	some o in open_to_world
	ports := sort(exposed_admin_ports(o.value))
	count(ports) > 0
	names := [sprintf("%d (%s)", [p, admin_ports[p]]) | some p in ports]
	f := lib.finding(
		"aws-sg-public-admin-port",
		"critical",
		sprintf("%s opens %s to the internet (%s)", [o.resource, concat(", ", names), o.cidr]),
		o.resource,
		o.cidr_path,
		"Allow admin and database ports only from known networks (a VPN or bastion CIDR, a security group, or SSM Session Manager instead of SSH).",
	)
}

warn contains f if {
	some o in open_to_world
	count(exposed_admin_ports(o.value)) == 0
	f := lib.finding(
		"aws-sg-public-ingress",
		"medium",
		sprintf("%s accepts traffic from the internet (%s, ports %v-%v)", [o.resource, o.cidr, object.get(o.value, "from_port", "?"), object.get(o.value, "to_port", "?")]),
		o.resource,
		o.cidr_path,
		"Confirm this service must be public; otherwise restrict the CIDR or put it behind a load balancer.",
	)
}
