# AWS IAM policies that grant too much (SPEC §4: wildcard actions / resources / principals,
# iam:PassRole-style privilege escalation), in every form a policy document takes in Terraform:
#
# - a JSON string attribute (`aws_iam_policy.policy`, `aws_iam_role.assume_role_policy`,
#   `aws_kms_key.policy`, ...): what a plan always gives, and HCL heredocs; parsed with
#   json.unmarshal (trailing commas tolerated). HCL `jsonencode({...})` calls arrive as the text
#   `"${jsonencode({...})}"`: countersign's function `countersign.hcl.jsonencode_argument` reads
#   the argument as the loader reads any HCL value, references inside staying unknown
#   ("${...}" strings). For these the finest path is the attribute itself;
# - `data "aws_iam_policy_document"` statements (HCL `input.data...`, plan `resource_changes` of
#   mode "data"), where findings point at the offending action / resource / principal value.
#
# Statements with a Principal are resource (or trust) policies: only their principals are judged
# (a KMS key policy granting kms:* on "*" to its own account is the normal default). Statements
# without one are identity policies: their actions and resources are judged. S3 bucket policies'
# principals are judged by aws_s3 (aws-s3-public-policy), which reuses `statements` from here.
package countersign.terraform.aws_iam

import data.countersign.lib

# Resource types holding a policy document in a JSON string attribute, and the attribute.
policy_attributes := {
	"aws_iam_policy": "policy",
	"aws_iam_role_policy": "policy",
	"aws_iam_user_policy": "policy",
	"aws_iam_group_policy": "policy",
	"aws_ssoadmin_permission_set_inline_policy": "inline_policy",
	"aws_iam_role": "assume_role_policy",
	"aws_kms_key": "policy",
	"aws_sqs_queue": "policy",
	"aws_sqs_queue_policy": "policy",
	"aws_sns_topic": "policy",
	"aws_sns_topic_policy": "policy",
	"aws_ecr_repository_policy": "policy",
	"aws_secretsmanager_secret": "policy",
	"aws_secretsmanager_secret_policy": "policy",
	"aws_glacier_vault": "access_policy",
	"aws_elasticsearch_domain_policy": "access_policies",
	"aws_opensearch_domain_policy": "access_policies",
	"aws_s3_bucket": "policy",
	"aws_s3_bucket_policy": "policy",
	"aws_s3_access_point": "policy",
}

# Types whose policies aws_s3 judges for public principals.
s3_types := {"aws_s3_bucket", "aws_s3_bucket_policy", "aws_s3_access_point"}

# ---------------------------------------------------------------------------------------------
# Parsing policy documents

# A policy document given as a JSON string (or already an object), parsed; undefined when it
# cannot be read (an unknown reference, a function call).
parse_policy(v) := v if is_object(v)

else := json.unmarshal(v) if {
	is_string(v)
	json.is_valid(v)
}

# countersign's own function: the argument of an HCL `jsonencode(...)` call, as the loader
# converts any HCL value (references inside stay "${...}" strings: unknown).
else := countersign.hcl.jsonencode_argument(v) if {
	is_string(v)
	startswith(v, "${jsonencode(")
}

else := json.unmarshal(t) if {
	is_string(v)
	t := strip_trailing_commas(v)
	json.is_valid(t)
}

# JSON with the trailing commas people leave in heredocs removed.
strip_trailing_commas(s) := regex.replace(s, `,(\s*[\]}])`, "${1}")

# Every policy document held in a resource attribute: {resource, type, doc, path}.
documents contains d if {
	some type, attr in policy_attributes
	some r in lib.by_type[type]
	doc := parse_policy(object.get(r.values, attr, null))
	is_object(doc)
	d := {"resource": r.address, "type": type, "doc": doc, "path": array.concat(r.path, [attr])}
}

# Inline policies of a role: inline_policy { name, policy }.
documents contains d if {
	some r in lib.resources_of_type("aws_iam_role")
	some b in lib.blocks(r, "inline_policy")
	is_object(b.value)
	doc := parse_policy(object.get(b.value, "policy", null))
	is_object(doc)
	d := {"resource": r.address, "type": "aws_iam_role", "doc": doc, "path": array.concat(b.path, ["policy"])}
}

# Every `aws_iam_policy_document` data source: {address, values, path}. lib.resources covers
# managed resources only: HCL gives data sources under input.data, plans as resource_changes of
# mode "data" (those read during apply; the ones read while planning are already resolved into
# the JSON of the resources that use them).
policy_data_sources contains d if {
	some name
	blocks := input.data.aws_iam_policy_document[name]
	is_array(blocks)
	some i, body in blocks
	is_object(body)
	d := {"address": sprintf("data.aws_iam_policy_document.%s", [name]), "values": body, "path": ["data", "aws_iam_policy_document", name, i]}
}

policy_data_sources contains d if {
	some name
	body := input.data.aws_iam_policy_document[name]
	is_object(body)
	d := {"address": sprintf("data.aws_iam_policy_document.%s", [name]), "values": body, "path": ["data", "aws_iam_policy_document", name]}
}

policy_data_sources contains d if {
	some i
	rc := input.resource_changes[i]
	rc.mode == "data"
	rc.type == "aws_iam_policy_document"
	is_object(rc.change.after)
	d := {"address": rc.address, "values": rc.change.after, "path": ["resource_changes", i, "change", "after"]}
}

# ---------------------------------------------------------------------------------------------
# Statements, one view of both forms:
# {resource, type, allow, actions, not_actions, resources, not_resources, principals,
#  has_principal, conditions, path}; each action / resource is {value, path}, each principal
# {type, value, path}, each condition {test, variable, values}.

statements contains s if {
	some d in documents
	some st in lib.as_array(object.get(d.doc, "Statement", []))
	is_object(st)
	s := {
		"resource": d.resource,
		"type": d.type,
		"allow": allows(object.get(st, "Effect", "Allow")),
		"actions": json_items(st, "Action", d.path),
		"not_actions": json_items(st, "NotAction", d.path),
		"resources": json_items(st, "Resource", d.path),
		"not_resources": json_items(st, "NotResource", d.path),
		"principals": json_principals(st, d.path),
		"has_principal": has_any_key(st, {"Principal", "NotPrincipal"}),
		"conditions": json_conditions(object.get(st, "Condition", {})),
		"path": d.path,
	}
}

statements contains s if {
	some d in policy_data_sources
	some b in lib.blocks(d, "statement")
	st := b.value
	is_object(st)
	sub := {"values": st, "path": b.path}
	principals := data_principals(sub, "principals")
	not_principals := data_principals(sub, "not_principals")
	s := {
		"resource": d.address,
		"type": "aws_iam_policy_document",
		"allow": allows(object.get(st, "effect", null)),
		"actions": data_items(st, "actions", b.path),
		"not_actions": data_items(st, "not_actions", b.path),
		"resources": data_items(st, "resources", b.path),
		"not_resources": data_items(st, "not_resources", b.path),
		"principals": array.concat(principals, [object.union(p, {"type": "*", "value": "*"}) | some p in not_principals]),
		"has_principal": positive(count(principals) + count(not_principals)),
		"conditions": [c.value | some c in lib.blocks(sub, "condition")],
		"path": b.path,
	}
}

# Effect "Allow", or none (a data source's default).
allows(effect) if effect in {null, "Allow"}

else := false

positive(n) if n > 0

else := false

has_any_key(obj, keys) if {
	some k in keys
	k in object.keys(obj)
}

else := false

# The string values of a JSON statement field (a string or a list); all at the attribute's path.
json_items(st, key, path) := [{"value": v, "path": path} |
	some v in lib.as_array(object.get(st, key, []))
	is_string(v)
]

# The string values of a data-source statement attribute, each at its own path.
data_items(st, key, path) := [{"value": v, "path": array.concat(path, [key, j])} |
	some j, v in lib.as_array(object.get(st, key, []))
	is_string(v)
]

# Principals of a JSON statement. "*" is everyone; {"AWS": ..., "Service": ...} lists them by
# type; a bare list (invalid, but seen) is read as AWS principals. An Allow with NotPrincipal
# grants everyone but the named ones: it counts as "*".
json_principals(st, path) := array.concat(
	json_principal_values(object.get(st, "Principal", []), path),
	[{"type": "*", "value": "*", "path": path} | "NotPrincipal" in object.keys(st)],
)

json_principal_values(p, path) := [{"type": "*", "value": p, "path": path}] if is_string(p)

else := [{"type": k, "value": v, "path": path} |
	some k, vs in p
	some v in lib.as_array(vs)
	is_string(v)
] if is_object(p)

else := [{"type": "AWS", "value": v, "path": path} | some v in lib.as_array(p); is_string(v)]

# Principals of a data-source statement: principals { type, identifiers }.
data_principals(sub, key) := [{"type": b.value.type, "value": id, "path": array.concat(b.path, ["identifiers", j])} |
	some b in lib.blocks(sub, key)
	is_object(b.value)
	some j, id in lib.as_array(object.get(b.value, "identifiers", []))
	is_string(id)
]

# A JSON Condition block as {test, variable, values} items.
json_conditions(c) := [{"test": op, "variable": k, "values": lib.as_array(v)} |
	is_object(c)
	some op, kv in c
	is_object(kv)
	some k, v in kv
]

# ---------------------------------------------------------------------------------------------
# Judging statements

# A principal that is everyone: "*", or {"AWS": "*"} (any account's any identity).
wildcard_principal(p) if {
	p.value == "*"
	is_string(p.type)
	lower(p.type) in {"*", "aws"}
}

# Condition keys that tie a wildcard principal to known callers or networks.
restricting_keys := {
	"aws:principalarn", "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths",
	"aws:principalservicename", "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner",
	"aws:sourceorgid", "aws:sourceorgpaths", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
	"aws:vpceaccount", "aws:vpceorgid", "aws:userid", "kms:calleraccount", "sts:externalid",
}

# A condition that narrows who can use the grant: a positive test (not Not…, IfExists or Null)
# on a restricting key whose values are all specific.
restricting(c) if {
	is_string(c.test)
	is_string(c.variable)
	lower(c.variable) in restricting_keys
	not regex.match(`(?i)(not|ifexists$|^null$)`, c.test)
	is_array(c.values)
	count(c.values) > 0
	every v in c.values {
		is_string(v)
		not wildcard_value(v)
	}
}

# A condition value that matches anyone: "*", or an ARN whose account is "*" and nothing after.
wildcard_value(v) if regex.match(`^[*?]*$`, v)

wildcard_value(v) if regex.match(`^arn:[^:]*:[^:]*:[^:]*:[*?]*(:[*?]*)?$`, v)

restricted(s) if {
	some c in s.conditions
	restricting(c)
}

# A statement granting everyone access: Allow, a wildcard principal, no restricting condition.
# Each result is the principal value found.
public_principals(s) := [p |
	s.allow
	not restricted(s)
	some p in s.principals
	wildcard_principal(p)
]

identity_allow(s) if {
	s.allow
	not s.has_principal
}

# The statements of identity policies that allow: the ones the rules below judge, found once.
identity_statements contains s if {
	some s in statements
	identity_allow(s)
}

# The statement applies to every resource: Resource "*" (or only a NotResource).
every_resource(s) if {
	some r in s.resources
	r.value == "*"
}

every_resource(s) if {
	count(s.resources) == 0
	count(s.not_resources) > 0
}

norm(a) := lower(trim_space(a))

full_wildcard(a) if norm(a) in {"*", "*:*"}

service_wildcard(a) if regex.match(`^[a-z0-9-]+:\*$`, norm(a))

admin_action(a) if full_wildcard(a)

admin_action(a) if norm(a) == "iam:*"

# Every action string the statements allow. What each one is gets worked out once, as a set
# or object keyed by the string, however many statements repeat it: the rules below look
# their actions up instead of calling the functions above for every statement.
allowed_actions contains a.value if {
	some s in statements
	s.allow
	some a in s.actions
}

full_wildcards contains a if {
	some a in allowed_actions
	full_wildcard(a)
}

service_wildcards contains a if {
	some a in allowed_actions
	service_wildcard(a)
}

# ---------------------------------------------------------------------------------------------
# Rules

deny contains f if {
	some s in identity_statements
	some a in s.actions
	a.value in full_wildcards
	f := wildcard_action_finding(s, a, "every action of every service")
}

deny contains f if {
	some s in identity_statements
	some a in s.actions
	a.value in service_wildcards
	f := wildcard_action_finding(s, a, sprintf("every %s action", [split(norm(a.value), ":")[0]]))
}

# An Allow with NotAction grants every action but the listed ones.
deny contains f if {
	some s in identity_statements
	count(s.not_actions) > 0
	a := s.not_actions[0]
	f := lib.finding(
		"aws-iam-wildcard-action",
		"high",
		sprintf("%s allows every action except %s (Allow with NotAction)%s", [s.resource, concat(", ", [x.value | some x in s.not_actions]), resource_text(s)]),
		s.resource,
		a.path,
		"List the actions to allow in Action instead of allowing everything outside NotAction.",
	)
}

wildcard_action_finding(s, a, what) := lib.finding(
	"aws-iam-wildcard-action",
	wildcard_action_severity(s, a),
	sprintf("%s allows %s (Action \"%s\")%s", [s.resource, what, a.value, resource_text(s)]),
	s.resource,
	a.path,
	"Grant only the actions the workload needs, on the ARNs it needs (least privilege); never \"*\" or \"<service>:*\".",
)

wildcard_action_severity(s, a) := "critical" if {
	admin_action(a.value)
	every_resource(s)
} else := "high"

resource_text(s) := " on every resource (Resource \"*\")" if every_resource(s)

else := ""

# Read-only verbs: granting them on "*" is how most Describe/List APIs must be granted.
read_only(a) if regex.match(`^[a-z0-9-]+:(get|list|describe|head|view|search|lookup|query|scan|select|batchget|check|validate|estimate|preview|simulate|read|filter|detect|discover|download|poll|receive)`, norm(a))

# Write actions that only accept Resource "*".
unrestrictable := {"xray:puttelemetryrecords", "xray:puttracesegments", "cloudwatch:putmetricdata", "kms:createkey"}

# Writes that manage permissions: who can do what.
permissions_management(a) if regex.match(`^(iam|sts|organizations|sso|sso-directory|identitystore):`, norm(a))

permissions_management(a) if regex.match(`^[a-z0-9-]+:[a-z*]*(policy|permission|grant|acl)`, norm(a))

# Actions aws-iam-wildcard-resource reports: writes other rules do not already report.
write_on_every_resource(s) := [a |
	some a in s.actions
	a.value in plain_writes
	not escalates(s, a)
]

# Allowed actions that write, are not wildcards, and do not escalate whatever their resource.
plain_writes contains a if {
	some a in allowed_actions
	not a in full_wildcards
	not a in service_wildcards
	not read_only(a)
	not norm(a) in unrestrictable
	count(escalations_anywhere[a]) == 0
}

permission_writes contains a if {
	some a in plain_writes
	permissions_management(a)
}

deny contains f if {
	some s in identity_statements
	some r in s.resources
	r.value == "*"
	actions := [a.value | some a in write_on_every_resource(s); a.value in permission_writes]
	count(actions) > 0
	f := wildcard_resource_finding(s, r, "high", actions, "permission-management")
}

warn contains f if {
	some s in identity_statements
	some r in s.resources
	r.value == "*"
	writes := write_on_every_resource(s)
	count([a | some a in writes; a.value in permission_writes]) == 0
	actions := [a.value | some a in writes]
	count(actions) > 0
	f := wildcard_resource_finding(s, r, "medium", actions, "write")
}

wildcard_resource_finding(s, r, severity, actions, kind) := lib.finding(
	"aws-iam-wildcard-resource",
	severity,
	sprintf("%s allows %s actions on every resource (Resource \"*\"): %s", [s.resource, kind, concat(", ", actions)]),
	s.resource,
	r.path,
	"Scope Resource to the ARNs these actions must touch instead of \"*\".",
)

# Privilege escalation: actions that let their holder grant themselves more. Those in
# `escalation_on_any` escalate whatever their resource; those in `escalation_on_wildcard` when
# they reach every role / user ("*" or an ARN ending in "*").
escalation_on_any := {
	"iam:createpolicyversion": "replace a managed policy's document with any permissions",
	"iam:setdefaultpolicyversion": "switch a managed policy to a more permissive version",
	"iam:attachuserpolicy": "attach any managed policy (AdministratorAccess included) to a user",
	"iam:attachrolepolicy": "attach any managed policy (AdministratorAccess included) to a role",
	"iam:attachgrouppolicy": "attach any managed policy (AdministratorAccess included) to a group",
	"iam:putuserpolicy": "write any inline policy into a user",
	"iam:putrolepolicy": "write any inline policy into a role",
	"iam:putgrouppolicy": "write any inline policy into a group",
	"iam:updateassumerolepolicy": "let themselves assume a role by rewriting its trust policy",
	"iam:addusertogroup": "join a more privileged group",
}

escalation_on_wildcard := {
	"iam:passrole": "hand any role, an admin one included, to a service they control",
	"iam:createaccesskey": "create access keys for any user",
	"iam:createloginprofile": "set a console password for any user",
	"iam:updateloginprofile": "change any user's console password",
	"sts:assumerole": "assume any role whose trust policy allows the account",
}

# The escalations action `a` of statement `s` grants: {name: consequence}. Patterns narrower
# than "iam:*" count ("iam:Put*", "iam:Attach*Policy"); full and service wildcards are
# aws-iam-wildcard-action's.
escalations(s, a) := object.union(escalations_anywhere[a.value], wildcard_escalations(s, a))

wildcard_escalations(s, a) := escalations_on_wildcard[a.value] if wildcard_resource(s)

else := {}

# For each allowed action string, the escalations it grants whatever its resource, and those
# it grants on a wildcard resource.
escalations_anywhere[a] := matching_escalations(a, escalation_on_any) if some a in allowed_actions

escalations_on_wildcard[a] := matching_escalations(a, escalation_on_wildcard) if some a in allowed_actions

# The allowed action strings that escalate on some resource: only their statements are
# looked at further (most actions escalate nowhere).
escalating_actions contains a if {
	some a in allowed_actions
	count(escalations_anywhere[a]) + count(escalations_on_wildcard[a]) > 0
}

# Whether action `a` of statement `s` escalates.
escalates(s, a) if {
	a.value in escalating_actions
	count(escalations(s, a)) > 0
}

matching_escalations(a, table) := {x: why |
	escalating_service(a)
	not full_wildcard(a)
	not service_wildcard(a)
	plain_pattern(a)
	some x, why in table
	glob.match(norm(a), [], x)
}

# Every escalation in the tables is an IAM or STS action: a pattern of another service (without
# a wildcard in its service part) matches none of them, and is not matched against each.
escalating_service(a) if split(norm(a), ":")[0] in {"iam", "sts"}

escalating_service(a) if regex.match(`[*?]`, split(norm(a), ":")[0])

# An action pattern glob.match can take (IAM allows only letters, digits, "*" and "?").
plain_pattern(a) if regex.match(`^[a-z0-9:*?_-]+$`, norm(a))

wildcard_resource(s) if every_resource(s)

wildcard_resource(s) if {
	some r in s.resources
	endswith(r.value, "*")
}

deny contains f if {
	some s in identity_statements
	some a in s.actions
	a.value in escalating_actions
	esc := escalations(s, a)
	count(esc) > 0
	names := sort(object.keys(esc))
	f := lib.finding(
		"aws-iam-privilege-escalation",
		"high",
		sprintf("%s allows %s, a privilege escalation path: whoever holds it can %s", [s.resource, a.value, esc[names[0]]]),
		s.resource,
		a.path,
		"Remove the action or scope it to the specific ARNs it must manage (for iam:PassRole, the roles to pass, with an iam:PassedToService condition).",
	)
}

deny contains f if {
	some s in statements
	not s.type in s3_types
	some p in public_principals(s)
	f := lib.finding(
		"aws-iam-wildcard-principal",
		"critical",
		sprintf("%s grants access to anyone (Principal \"%s\"%s) without a condition restricting the caller", [s.resource, p.value, principal_type_text(p)]),
		s.resource,
		p.path,
		"Name the accounts, roles or services allowed in Principal, or add a condition on aws:PrincipalOrgID / aws:SourceAccount / aws:SourceVpce.",
	)
}

principal_type_text(p) := sprintf(" of type %s", [p.type]) if p.type != "*"

else := ""

# Managed policies equivalent to (or one step from) full admin.
admin_managed_policies := {"AdministratorAccess": "critical", "IAMFullAccess": "high"}

policy_arn_attributes := {
	"aws_iam_policy_attachment": "policy_arn",
	"aws_iam_role_policy_attachment": "policy_arn",
	"aws_iam_user_policy_attachment": "policy_arn",
	"aws_iam_group_policy_attachment": "policy_arn",
	"aws_ssoadmin_managed_policy_attachment": "managed_policy_arn",
	"aws_iam_role": "managed_policy_arns",
}

deny contains f if {
	some type, attr in policy_arn_attributes
	some r in lib.by_type[type]
	value := object.get(r.values, attr, null)
	some i, arn in lib.as_array(value)
	is_string(arn)
	m := regex.find_all_string_submatch_n(`^arn:aws[a-z-]*:iam::aws:policy/(.+)$`, arn, 1)
	severity := admin_managed_policies[m[0][1]]
	path := array.concat(r.path, array.concat([attr], [i | is_array(value)]))
	f := lib.finding(
		"aws-iam-admin-policy-attached",
		severity,
		sprintf("%s attaches the AWS managed policy %s", [r.address, m[0][1]]),
		r.address,
		path,
		"Attach a policy with only the permissions this identity needs instead of an administrator policy.",
	)
}

# A Lambda resource-policy statement (aws_lambda_permission) open to any principal, without the
# source / organization arguments that narrow it.
deny contains f if {
	some r in lib.resources_of_type("aws_lambda_permission")
	object.get(r.values, "principal", null) == "*"
	every key in ["source_arn", "source_account", "principal_org_id"] {
		object.get(r.values, key, null) in {null, ""}
	}
	f := lib.finding(
		"aws-iam-wildcard-principal",
		"critical",
		sprintf("%s lets anyone (principal \"*\") call %s on the function", [r.address, object.get(r.values, "action", "lambda:InvokeFunction")]),
		r.address,
		array.concat(r.path, ["principal"]),
		"Name the service or account allowed in principal, and set source_arn / source_account (or principal_org_id) to the caller.",
	)
}
