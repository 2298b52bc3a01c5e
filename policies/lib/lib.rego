# Shared helpers of the built-in pack. Rules see Terraform in two shapes — HCL files (the
# conftest shape: input.resource.<type>.<name>) and plans (input.resource_changes[_]) — and
# these helpers give both one view, with the path of every value so a finding lands on its line.
package countersign.lib

# Every managed Terraform resource in the input: {type, name, address, values, path}, where
# `path` leads to the resource's attribute object inside the input. In HCL (conftest's shape)
# every block is a list, one item per block: input.resource.<type>.<name>[0].
resources contains r if {
	some type, name
	blocks := input.resource[type][name]
	is_array(blocks)
	some i, body in blocks
	is_object(body)
	r := {"type": type, "name": name, "address": sprintf("%s.%s", [type, name]), "values": body, "path": ["resource", type, name, i]}
}

# A hand-written input may give a resource as a plain object.
resources contains r if {
	some type, name
	body := input.resource[type][name]
	is_object(body)
	r := {"type": type, "name": name, "address": sprintf("%s.%s", [type, name]), "values": body, "path": ["resource", type, name]}
}

resources contains r if {
	some i
	rc := input.resource_changes[i]
	object.get(rc, "mode", "managed") == "managed"
	not rc.change.actions == ["delete"]
	is_object(rc.change.after)
	r := {"type": rc.type, "name": rc.name, "address": rc.address, "values": rc.change.after, "path": ["resource_changes", i, "change", "after"]}
}

# The resources by type, computed once per evaluation and shared by every rule.
by_type[t] contains r if {
	some r in resources
	t := r.type
}

# The resources of one type (an index lookup, not a scan).
resources_of_type(t) := object.get(by_type, t, set())

# `x` as an array (a value that may be one item or a list).
as_array(x) := x if is_array(x)

else := [] if x == null

else := [x]

# The nested blocks (or list items) under `key` of resource `r`, each {value, path}: a list in
# HCL and plans, an object in hand-written inputs.
blocks(r, key) := {b |
	x := r.values[key]
	is_array(x)
	some i, v in x
	b := {"value": v, "path": array.concat(r.path, [key, i])}
} | {b |
	x := r.values[key]
	is_object(x)
	b := {"value": x, "path": array.concat(r.path, [key])}
}

# A CIDR covering the whole address space: any spelling of a /0 (0.0.0.0/0, 0.0.2.0/0, ::/0).
is_world(cidr) if {
	is_string(cidr)
	endswith(trim_space(cidr), "/0")
}

# Azure and GCP spell "anywhere" without a prefix length too.
is_world(cidr) if {
	is_string(cidr)
	lower(trim_space(cidr)) in {"*", "0.0.0.0", "internet", "any"}
}

# A finding object as every built-in rule reports it.
finding(rule, severity, msg, resource, path, remediation) := {
	"rule": rule,
	"severity": severity,
	"msg": msg,
	"resource": resource,
	"path": path,
	"remediation": remediation,
}

# True when port range [from, to] includes `port`; a protocol of -1/"all" covers every port.
port_in_range(from, to, port) if {
	to_number(from) <= port
	port <= to_number(to)
}
