# Shared helpers of the CloudFormation families: the resources of a template with their paths,
# and readers that treat intrinsic functions ({"Ref": …}, {"Fn::If": …}) as unknown values,
# never as violations — except a Ref to a template parameter with a Default, which reads as
# that Default (what a stack deploys unless it overrides it).
package countersign.cloudformation.cfn_lib

# Every resource of the template: {id, type, props, path, props_path}; `props` is {} when the
# resource has no (or malformed) Properties.
resources contains r if {
	is_object(input.Resources)
	some id, res in input.Resources
	is_object(res)
	is_string(res.Type)
	r := {
		"id": id,
		"type": res.Type,
		"props": properties(res),
		"path": ["Resources", id],
		"props_path": ["Resources", id, "Properties"],
	}
}

properties(res) := p if {
	p := res.Properties
	is_object(p)
} else := {}

resources_of_type(t) := {r | some r in resources; r.type == t}

# The value of `key` when `x` is an object holding a non-null one, else `fallback`.
get(x, key, fallback) := x[key] if {
	is_object(x)
	x[key] != null
} else := fallback

# A value with a `Ref` to a template parameter replaced by the parameter's Default: what is
# deployed unless the stack overrides it. Any other intrinsic function stays as it is, unknown.
resolve(v) := d if {
	name := ref_parameter(v)
	d := input.Parameters[name].Default
	d != null
} else := v

# Property `key` of `x`, resolved (null when absent).
prop(x, key) := resolve(get(x, key, null))

# The parameter a value refers to (`{"Ref": "Name"}` with Name in Parameters).
ref_parameter(v) := name if {
	is_object(v)
	count(v) == 1
	name := v.Ref
	is_string(name)
	is_object(input.Parameters[name])
}

# How a message says where a resolved value came from: "" or " (the default of parameter X)".
via(v) := sprintf(" (the default of parameter %s)", [ref_parameter(v)]) if ref_parameter(v)

else := ""

# True when `key` is absent (or null) in `x`.
missing(x, key) if get(x, key, null) == null

# CloudFormation takes booleans as booleans or as the strings "true"/"false".
is_true(v) if v == true

is_true(v) if {
	is_string(v)
	lower(trim_space(v)) == "true"
}

is_false(v) if v == false

is_false(v) if {
	is_string(v)
	lower(trim_space(v)) == "false"
}

# A number given as a number or a numeric string ("22", "-1"); undefined for anything else.
number(v) := v if is_number(v)

else := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^\s*-?[0-9]+(\.[0-9]+)?\s*$`, v)
}

# Every item of a value that may be a single item or a list, with its path: {value, path}.
items(x, path) := [{"value": v, "path": array.concat(path, [i])} | some i, v in x] if is_array(x)

else := [] if x == null

else := [{"value": x, "path": path}]

# The statements of an IAM policy document at `path`: {value, path, exact}. A document may
# be an object or a JSON string; in a string the statements have no path of their own, so
# theirs is the document's (`exact` false) and findings land on the document.
statements(doc, path) := [object.union(s, {"exact": true}) | some s in items(doc.Statement, array.concat(path, ["Statement"]))] if {
	is_object(doc)
	doc.Statement != null
} else := [{"value": s.value, "path": path, "exact": false} | some s in items(parsed.Statement, [])] if {
	is_string(doc)
	json.is_valid(doc)
	parsed := json.unmarshal(doc)
	is_object(parsed)
	parsed.Statement != null
} else := []

# The items of field `key` of a statement (a single value or a list), each {value, path}.
field_items(st, key) := [{"value": v.value, "path": v.path} | some v in items(st.value[key], array.concat(st.path, [key]))] if {
	st.exact
	is_object(st.value)
} else := [{"value": v.value, "path": st.path} | some v in items(st.value[key], [])] if {
	is_object(st.value)
} else := []

# The value of field `key` of a statement, with its path (the statement's when not exact).
field_path(st, key) := array.concat(st.path, [key]) if st.exact

else := st.path

# An Allow statement (an absent Effect is treated as Allow; IAM would reject it anyway).
allows(st) if {
	is_object(st.value)
	get(st.value, "Effect", "Allow") == "Allow"
}

# Each wildcard principal of a statement: {value, path}. `Principal: "*"` or a "*" under any
# principal type (AWS, Federated, Service, CanonicalUser), single or in a list.
wildcard_principals(st) := {p |
	principal := st.value.Principal
	is_string(principal)
	trim_space(principal) == "*"
	p := {"value": principal, "path": field_path(st, "Principal")}
} | {p |
	principal := st.value.Principal
	is_object(principal)
	some kind, values in principal
	some item in items(values, [kind])
	item.value == "*"
	p := {"value": sprintf("%s: *", [kind]), "path": principal_path(st, item.path)}
}

principal_path(st, rel) := array.concat(array.concat(st.path, ["Principal"]), rel) if st.exact

else := st.path

# Condition keys that tie a wildcard principal to known accounts, organisations or networks.
restricting_condition_keys := {
	"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
	"aws:sourceip", "aws:sourceorgid", "aws:sourceorgpaths", "aws:principalorgid",
	"aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid",
}

# A statement whose Condition restricts who or where the wildcard principal may be.
restricted(st) if {
	conditions := get(st.value, "Condition", {})
	is_object(conditions)
	some _, keys in conditions
	is_object(keys)
	some key, _ in keys
	lower(key) in restricting_condition_keys
}
