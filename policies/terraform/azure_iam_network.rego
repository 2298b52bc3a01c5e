# Azure role grants that are too broad, network security rules open to the internet and
# storage open to anonymous reads (SPEC §4: wildcard IAM — the Azure equivalents are Owner /
# Contributor at subscription scope and custom roles with actions "*" — public ingress on admin
# ports and in general, public storage).
package countersign.terraform.azure_iam_network

import data.countersign.lib

# ---------------------------------------------------------------------------------------------
# Role assignments

# Built-in roles that can change (or grant access to) everything in their scope, by name and by
# their well-known role definition GUID.
privileged_roles := {
	"Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
	"Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
	"User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
}

# The privileged role an assignment grants: {name, path}.
assigned_role(r) := {"name": name, "path": array.concat(r.path, ["role_definition_name"])} if {
	given := object.get(r.values, "role_definition_name", null)
	is_string(given)
	some name, _ in privileged_roles
	lower(given) == lower(name)
}

else := {"name": name, "path": array.concat(r.path, ["role_definition_id"])} if {
	id := object.get(r.values, "role_definition_id", null)
	is_string(id)
	some name, guid in privileged_roles
	endswith(lower(id), guid)
}

# Scopes that cover a whole subscription, a management group or the tenant root.
broad_scope(s) if regex.match(`(?i)^/subscriptions/[^/]+/?$`, s)

broad_scope(s) if regex.match(`(?i)^/providers/Microsoft\.Management/managementGroups/[^/]+/?$`, s)

broad_scope(s) if s == "/"

# A reference to a subscription or management group's id in HCL.
broad_scope(s) if regex.match(`^\$\{data\.azurerm_(subscription|management_group)\.[^.]+\.id\}$`, s)

broad_scope(s) if regex.match(`^\$\{azurerm_management_group\.[^.]+\.id\}$`, s)

deny contains f if {
	some r in lib.resources_of_type("azurerm_role_assignment")
	scope := object.get(r.values, "scope", null)
	is_string(scope)
	broad_scope(scope)
	role := assigned_role(r)
	f := lib.finding(
		"azure-role-privileged-assignment",
		"high",
		sprintf("%s assigns %s at %s scope (%s)", [r.address, role.name, scope_kind(scope), scope]),
		r.address,
		role.path,
		"Assign a narrower built-in or custom role, at the resource group or resource the principal needs.",
	)
}

scope_kind(s) := "management group" if contains(lower(s), "managementgroup")

else := "tenant root" if s == "/"

else := "subscription"

# ---------------------------------------------------------------------------------------------
# Custom role definitions

# Actions that grant everything, or every authorization action (which includes assigning any
# role, Owner included).
wildcard_actions := {"*": "every action on every resource provider", "microsoft.authorization/*": "every authorization action (assigning any role included)"}

deny contains f if {
	some r in lib.resources_of_type("azurerm_role_definition")
	some p in lib.blocks(r, "permissions")
	is_object(p.value)
	some j, action in lib.as_array(object.get(p.value, "actions", []))
	is_string(action)
	what := wildcard_actions[lower(trim_space(action))]
	f := lib.finding(
		"azure-custom-role-wildcard",
		"high",
		sprintf("%s defines a custom role allowing %s (actions \"%s\")", [r.address, what, action]),
		r.address,
		array.concat(p.path, ["actions", j]),
		"List the specific Microsoft.<Provider>/<resource>/<operation> actions the role needs.",
	)
}

# ---------------------------------------------------------------------------------------------
# Network security rules

admin_ports := {
	22: "SSH", 3389: "RDP", 5432: "PostgreSQL", 3306: "MySQL", 1433: "SQL Server", 1521: "Oracle",
	27017: "MongoDB", 6379: "Redis", 11211: "Memcached", 9200: "Elasticsearch", 5601: "Kibana",
	2375: "Docker API", 2379: "etcd", 6443: "Kubernetes API", 10250: "kubelet", 23: "Telnet", 445: "SMB",
	5985: "WinRM", 5986: "WinRM over HTTPS",
}

# Every security rule, standalone or inline: {resource, value, path}.
security_rules contains s if {
	some r in lib.resources_of_type("azurerm_network_security_rule")
	s := {"resource": r.address, "value": r.values, "path": r.path}
}

security_rules contains s if {
	some r in lib.resources_of_type("azurerm_network_security_group")
	some b in lib.blocks(r, "security_rule")
	is_object(b.value)
	s := {"resource": r.address, "value": b.value, "path": b.path}
}

# Inbound Allow rules with a world source, with the path of that source.
open_rules contains o if {
	some s in security_rules
	field(s.value, "direction") == "inbound"
	field(s.value, "access") == "allow"
	not field(s.value, "protocol") == "icmp"
	some src in sources(s)
	lib.is_world(src.value)
	o := object.union(s, {"source": src.value, "source_path": src.path})
}

# A string setting of a rule, lower-cased; "*" when missing (the protocol's default).
field(v, key) := lower(x) if {
	x := object.get(v, key, null)
	is_string(x)
} else := "*"

sources(s) := array.concat(
	[{"value": v, "path": array.concat(s.path, ["source_address_prefix"])} | v := object.get(s.value, "source_address_prefix", null); is_string(v)],
	[{"value": v, "path": array.concat(s.path, ["source_address_prefixes", j])} | some j, v in lib.as_array(object.get(s.value, "source_address_prefixes", []))],
)

# The destination port ranges of a rule: [[from, to], ...]; "*" is every port.
port_ranges(v) := [port_range(p) |
	some p in array.concat(
		lib.as_array(object.get(v, "destination_port_range", null)),
		lib.as_array(object.get(v, "destination_port_ranges", [])),
	)
]

port_range(p) := [0, 65535] if sprintf("%v", [p]) == "*"

else := [to_number(parts[0]), to_number(parts[count(parts) - 1])] if {
	parts := split(trim_space(sprintf("%v", [p])), "-")
	every x in parts {
		regex.match(`^[0-9]+$`, x)
	}
} else := [-1, -1]

exposed(o) := {port |
	field(o.value, "protocol") in {"*", "tcp", "udp"}
	some range in port_ranges(o.value)
	some port, _ in admin_ports
	lib.port_in_range(range[0], range[1], port)
}

deny contains f if {
	some o in open_rules
	ports := sort(exposed(o))
	count(ports) > 0
	names := [sprintf("%d (%s)", [p, admin_ports[p]]) | some p in ports]
	f := lib.finding(
		"azure-nsg-public-admin-port",
		"critical",
		sprintf("%s allows %s from the internet (source %s)", [o.resource, concat(", ", names), o.source]),
		o.resource,
		o.source_path,
		"Allow admin ports only from known address ranges, or use Azure Bastion / just-in-time VM access instead.",
	)
}

warn contains f if {
	some o in open_rules
	count(exposed(o)) == 0
	f := lib.finding(
		"azure-nsg-public-ingress",
		"medium",
		sprintf("%s allows inbound traffic from the internet (source %s, ports %s)", [o.resource, o.source, port_text(o.value)]),
		o.resource,
		o.source_path,
		"Confirm this service must be public; otherwise restrict the source to known ranges or put it behind Application Gateway / Front Door.",
	)
}

port_text(v) := concat(", ", [sprintf("%v", [p]) |
	some p in array.concat(
		lib.as_array(object.get(v, "destination_port_range", null)),
		lib.as_array(object.get(v, "destination_port_ranges", [])),
	)
])

# ---------------------------------------------------------------------------------------------
# Storage

truthy(v) if v == true

truthy(v) if {
	is_string(v)
	lower(v) == "true"
}

# allow_nested_items_to_be_public (provider v3+; true by default in v3, false in v4) and
# allow_blob_public_access (v2) let containers be made anonymous-readable. Only an explicit true
# is judged: the default depends on the provider version.
deny contains f if {
	some r in lib.resources_of_type("azurerm_storage_account")
	some key in ["allow_nested_items_to_be_public", "allow_blob_public_access"]
	truthy(object.get(r.values, key, null))
	f := lib.finding(
		"azure-storage-public-access",
		"high",
		sprintf("%s allows anonymous public read access to its blobs (%s = true)", [r.address, key]),
		r.address,
		array.concat(r.path, [key]),
		sprintf("Set %s = false and share data with SAS tokens or Entra ID (Azure AD) roles.", [key]),
	)
}

public_container_access := {"blob": "anyone can read its blobs", "container": "anyone can list and read its blobs"}

deny contains f if {
	some r in lib.resources_of_type("azurerm_storage_container")
	access := object.get(r.values, "container_access_type", "private")
	is_string(access)
	what := public_container_access[lower(access)]
	f := lib.finding(
		"azure-storage-public-container",
		"high",
		sprintf("%s is public (container_access_type = %s): %s", [r.address, access, what]),
		r.address,
		array.concat(r.path, ["container_access_type"]),
		"Set container_access_type = \"private\" and share data with SAS tokens or Entra ID (Azure AD) roles.",
	)
}
