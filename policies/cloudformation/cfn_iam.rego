# CloudFormation IAM policies that grant too much (SPEC §4: wildcard actions / resources /
# principals, iam:PassRole privilege escalation): AWS::IAM::Policy and ManagedPolicy documents,
# the inline Policies of roles, users and groups, and role trust policies.
package countersign.cloudformation.cfn_iam

import data.countersign.cloudformation.cfn_lib
import data.countersign.lib

# Resource types whose Properties.PolicyDocument is an identity policy.
policy_types := {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}

# Resource types whose Properties.Policies[].PolicyDocument are inline identity policies.
inline_policy_types := {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}

# Every identity policy document: {resource, doc, path}.
identity_documents contains d if {
	some t in policy_types
	some r in cfn_lib.resources_of_type(t)
	d := {"resource": r.id, "doc": cfn_lib.get(r.props, "PolicyDocument", null), "path": array.concat(r.props_path, ["PolicyDocument"])}
}

identity_documents contains d if {
	some t in inline_policy_types
	some r in cfn_lib.resources_of_type(t)
	policies := cfn_lib.get(r.props, "Policies", null)
	is_array(policies)
	some i, p in policies
	is_object(p)
	d := {"resource": r.id, "doc": cfn_lib.get(p, "PolicyDocument", null), "path": array.concat(r.props_path, ["Policies", i, "PolicyDocument"])}
}

# Every Allow statement of an identity policy: {resource, value, path, exact}.
identity_statements contains s if {
	some d in identity_documents
	some st in cfn_lib.statements(d.doc, d.path)
	cfn_lib.allows(st)
	s := object.union(st, {"resource": d.resource})
}

# A statement that applies to every resource (Resource "*").
on_every_resource(st) if {
	some r in cfn_lib.field_items(st, "Resource")
	r.value == "*"
}

# A full wildcard action: "*" or "<service>:*".
wildcard_action(a) if a == "*"

wildcard_action(a) if regex.match(`^[A-Za-z0-9-]+:\*$`, a)

deny contains f if {
	some st in identity_statements
	on_every_resource(st)
	some a in cfn_lib.field_items(st, "Action")
	is_string(a.value)
	wildcard_action(trim_space(a.value))
	f := lib.finding(
		"cfn-iam-wildcard-action",
		"critical",
		sprintf("%s allows %s on every resource (Action \"%s\", Resource \"*\")", [st.resource, action_text(trim_space(a.value)), a.value]),
		st.resource,
		a.path,
		"Grant only the actions the workload needs, on the ARNs it needs (least privilege); never Action \"*\" with Resource \"*\".",
	)
}

action_text("*") := "every action of every service"

action_text(a) := sprintf("every %s action", [split(a, ":")[0]]) if a != "*"

# An action naming iam:PassRole, directly or through a pattern narrower than "iam:*" (which
# cfn-iam-wildcard-action reports).
passes_role(a) if {
	pattern := lower(trim_space(a))
	not wildcard_action(pattern)
	glob.match(pattern, [], "iam:passrole")
}

deny contains f if {
	some st in identity_statements
	on_every_resource(st)
	some a in cfn_lib.field_items(st, "Action")
	is_string(a.value)
	passes_role(a.value)
	f := lib.finding(
		"cfn-iam-passrole-wildcard",
		"high",
		sprintf("%s allows %s on every role (Resource \"*\"): whoever holds it can hand any role, an admin one included, to a service they control", [st.resource, a.value]),
		st.resource,
		a.path,
		"Restrict iam:PassRole to the ARNs of the roles this workload must pass, and add an iam:PassedToService condition.",
	)
}

# Role trust policies.
trust_statements contains s if {
	some r in cfn_lib.resources_of_type("AWS::IAM::Role")
	doc := cfn_lib.get(r.props, "AssumeRolePolicyDocument", null)
	some st in cfn_lib.statements(doc, array.concat(r.props_path, ["AssumeRolePolicyDocument"]))
	cfn_lib.allows(st)
	s := object.union(st, {"resource": r.id})
}

deny contains f if {
	some st in trust_statements
	not cfn_lib.restricted(st)
	some p in cfn_lib.wildcard_principals(st)
	f := lib.finding(
		"cfn-iam-wildcard-principal",
		"high",
		sprintf("%s can be assumed by anyone (Principal %s in its trust policy)", [st.resource, p.value]),
		st.resource,
		p.path,
		"Name the accounts, roles or services that may assume the role in Principal; never \"*\".",
	)
}
