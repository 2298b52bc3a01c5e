# GCP IAM grants that are too broad and firewall rules open to the internet (SPEC §4: wildcard
# IAM — the GCP equivalents are the primitive roles and the allUsers / allAuthenticatedUsers
# members — and public ingress on admin ports and in general).
package countersign.terraform.gcp_iam_network

import data.countersign.lib

# ---------------------------------------------------------------------------------------------
# IAM grants, one view of every form: {resource, type, role, member, path} where `path` leads to
# the member (for a JSON policy_data string, to the attribute).

# google_*_iam_member: one role, one member.
grants contains g if {
	some type, resources in lib.by_type
	regex.match(`^google_.+_iam_member$`, type); some r in resources
	member := object.get(r.values, "member", null)
	is_string(member)
	g := {"resource": r.address, "type": r.type, "role": object.get(r.values, "role", ""), "member": member, "path": array.concat(r.path, ["member"])}
}

# google_*_iam_binding: one role, a list of members.
grants contains g if {
	some type, resources in lib.by_type
	regex.match(`^google_.+_iam_binding$`, type); some r in resources
	some i, member in lib.as_array(object.get(r.values, "members", []))
	is_string(member)
	g := {"resource": r.address, "type": r.type, "role": object.get(r.values, "role", ""), "member": member, "path": array.concat(r.path, ["members", i])}
}

# google_*_iam_policy: the whole policy as JSON in policy_data (a plan; in HCL it is usually a
# reference to a data "google_iam_policy", judged below).
grants contains g if {
	some type, resources in lib.by_type
	regex.match(`^google_.+_iam_policy$`, type); some r in resources
	text := object.get(r.values, "policy_data", null)
	is_string(text)
	json.is_valid(text)
	policy := json.unmarshal(text)
	is_object(policy)
	some binding in lib.as_array(object.get(policy, "bindings", []))
	is_object(binding)
	some member in lib.as_array(object.get(binding, "members", []))
	is_string(member)
	g := {"resource": r.address, "type": r.type, "role": object.get(binding, "role", ""), "member": member, "path": array.concat(r.path, ["policy_data"])}
}

# data "google_iam_policy": binding { role, members } blocks.
grants contains g if {
	some d in iam_policy_data_sources
	some b in lib.blocks(d, "binding")
	is_object(b.value)
	some i, member in lib.as_array(object.get(b.value, "members", []))
	is_string(member)
	g := {"resource": d.address, "type": "google_iam_policy", "role": object.get(b.value, "role", ""), "member": member, "path": array.concat(b.path, ["members", i])}
}

# `data "google_iam_policy"` sources: HCL input.data, plan resource_changes of mode "data".
iam_policy_data_sources contains d if {
	some name
	blocks := input.data.google_iam_policy[name]
	is_array(blocks)
	some i, body in blocks
	is_object(body)
	d := {"address": sprintf("data.google_iam_policy.%s", [name]), "values": body, "path": ["data", "google_iam_policy", name, i]}
}

iam_policy_data_sources contains d if {
	some name
	body := input.data.google_iam_policy[name]
	is_object(body)
	d := {"address": sprintf("data.google_iam_policy.%s", [name]), "values": body, "path": ["data", "google_iam_policy", name]}
}

iam_policy_data_sources contains d if {
	some i
	rc := input.resource_changes[i]
	rc.mode == "data"
	rc.type == "google_iam_policy"
	is_object(rc.change.after)
	d := {"address": rc.address, "values": rc.change.after, "path": ["resource_changes", i, "change", "after"]}
}

# Primitive roles: every permission on every service of the project, folder or organization.
primitive_roles := {"roles/owner": "Owner", "roles/editor": "Editor"}

# Grants on a whole project, folder or organization.
hierarchy_type(t) if regex.match(`^google_(project|folder|organization)_iam_(member|binding|policy)$`, t)

hierarchy_type(t) if t == "google_iam_policy"

deny contains f if {
	some g in grants
	hierarchy_type(g.type)
	name := primitive_roles[g.role]
	f := lib.finding(
		"gcp-iam-primitive-role",
		"high",
		sprintf("%s grants the primitive role %s (%s) to %s", [g.resource, g.role, name, g.member]),
		g.resource,
		g.path,
		"Grant a predefined or custom role with only the permissions needed (e.g. roles/storage.objectViewer) instead of roles/owner or roles/editor.",
	)
}

public_members := {
	"allUsers": "anyone on the internet",
	"allAuthenticatedUsers": "anyone with a Google account",
}

# Resources holding data or code, whose public grants are critical.
critical_public_type(t) if regex.match(`^google_(storage|bigquery|cloudfunctions2?)_`, t)

deny contains f if {
	some g in grants
	who := public_members[g.member]
	f := lib.finding(
		"gcp-iam-public-member",
		public_severity(g.type),
		sprintf("%s grants %s to %s (%s)", [g.resource, g.role, g.member, who]),
		g.resource,
		g.path,
		"Grant the role to specific users, groups or service accounts; for public content, serve it through a load balancer or signed URLs.",
	)
}

public_severity(t) := "critical" if critical_public_type(t)

else := "high"

# Legacy bucket and default object ACLs: role_entity = ["READER:allUsers", ...].
deny contains f if {
	some type in ["google_storage_bucket_acl", "google_storage_default_object_acl", "google_storage_object_acl"]
	some r in lib.resources_of_type(type)
	some i, entry in lib.as_array(object.get(r.values, "role_entity", []))
	is_string(entry)
	parts := split(entry, ":")
	who := public_members[parts[count(parts) - 1]]
	f := lib.finding(
		"gcp-iam-public-member",
		"critical",
		sprintf("%s grants %s to %s", [r.address, entry, who]),
		r.address,
		array.concat(r.path, ["role_entity", i]),
		"Remove the allUsers / allAuthenticatedUsers entry; enable uniform bucket-level access and grant specific principals.",
	)
}

# ---------------------------------------------------------------------------------------------
# Firewall rules

admin_ports := {
	22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL", 1433: "SQL Server", 1521: "Oracle",
	27017: "MongoDB", 6379: "Redis", 11211: "Memcached", 9200: "Elasticsearch", 5601: "Kibana",
	2375: "Docker API", 2379: "etcd", 6443: "Kubernetes API", 10250: "kubelet", 23: "Telnet", 445: "SMB",
}

# Ingress firewall rules that are enabled and open to the world: {resource, values, path of the
# world source}. With no source at all, GCP applies an ingress rule to 0.0.0.0/0.
open_firewalls contains o if {
	some r in lib.resources_of_type("google_compute_firewall")
	ingress(r.values)
	not object.get(r.values, "disabled", false) == true
	some j, cidr in lib.as_array(object.get(r.values, "source_ranges", []))
	lib.is_world(cidr)
	o := {"resource": r.address, "values": r.values, "source": cidr, "path": array.concat(r.path, ["source_ranges", j])}
}

open_firewalls contains o if {
	some r in lib.resources_of_type("google_compute_firewall")
	ingress(r.values)
	not object.get(r.values, "disabled", false) == true
	every key in ["source_ranges", "source_tags", "source_service_accounts"] {
		object.get(r.values, key, null) in {null, []}
	}
	o := {"resource": r.address, "values": r.values, "source": "0.0.0.0/0 (no source given)", "path": r.path}
}

ingress(v) if object.get(v, "direction", null) == null

ingress(v) if {
	is_string(v.direction)
	upper(v.direction) == "INGRESS"
}

# The port ranges an allow block opens: [[from, to], ...]; no ports means all of them.
allow_ranges(allow) := [[0, 65535]] if {
	lower(sprintf("%v", [object.get(allow, "protocol", "all")])) in {"all", "tcp", "udp", "sctp", "6", "17", "132"}
	count(lib.as_array(object.get(allow, "ports", []))) == 0
} else := [port_range(p) | some p in lib.as_array(allow.ports)] if {
	lower(sprintf("%v", [object.get(allow, "protocol", "all")])) in {"all", "tcp", "udp", "sctp", "6", "17", "132"}
} else := []

# "22" → [22, 22]; "8000-8080" → [8000, 8080].
port_range(p) := [to_number(parts[0]), to_number(parts[count(parts) - 1])] if {
	parts := split(trim_space(sprintf("%v", [p])), "-")
	every x in parts {
		regex.match(`^[0-9]+$`, x)
	}
} else := [-1, -1]

exposed(o) := {port |
	some allow in lib.blocks({"values": o.values, "path": []}, "allow")
	is_object(allow.value)
	some range in allow_ranges(allow.value)
	some port, _ in admin_ports
	lib.port_in_range(range[0], range[1], port)
}

# Protocols other than ICMP that the rule lets in (for the general warning).
opens_something(o) if {
	some allow in lib.blocks({"values": o.values, "path": []}, "allow")
	is_object(allow.value)
	count(allow_ranges(allow.value)) > 0
}

deny contains f if {
	some o in open_firewalls
	ports := sort(exposed(o))
	count(ports) > 0
	names := [sprintf("%d (%s)", [p, admin_ports[p]]) | some p in ports]
	f := lib.finding(
		"gcp-firewall-public-admin-port",
		"critical",
		sprintf("%s opens %s to the internet (%s)", [o.resource, concat(", ", names), o.source]),
		o.resource,
		o.path,
		"Allow admin and database ports only from known ranges (a VPN or IAP's 35.235.240.0/20 for SSH/RDP through Identity-Aware Proxy).",
	)
}

warn contains f if {
	some o in open_firewalls
	count(exposed(o)) == 0
	opens_something(o)
	f := lib.finding(
		"gcp-firewall-public-ingress",
		"medium",
		sprintf("%s accepts traffic from the internet (%s)", [o.resource, o.source]),
		o.resource,
		o.path,
		"Confirm this service must be public; otherwise restrict source_ranges or put it behind a load balancer.",
	)
}
