package countersign.terraform.gcp_iam_network_test

import data.countersign.terraform.gcp_iam_network as gcp

hcl(type, name, body) := {"resource": {type: {name: [body]}}}

plan(type, name, after) := {"resource_changes": [{
	"address": sprintf("%s.%s", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after},
}]}

# --- primitive roles ----------------------------------------------------------------------

test_project_editor_member if {
	inp := hcl("google_project_iam_member", "ci", {"project": "acme-prod", "role": "roles/editor", "member": "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"})
	some f in gcp.deny with input as inp
	f.rule == "gcp-iam-primitive-role"
	f.severity == "high"
	f.resource == "google_project_iam_member.ci"
	f.path == ["resource", "google_project_iam_member", "ci", 0, "member"]
}

test_project_owner_binding_in_a_plan if {
	inp := plan("google_project_iam_binding", "owners", {"project": "acme", "role": "roles/owner", "members": ["group:admins@acme.com", "user:bob@acme.com"]})
	fs := gcp.deny with input as inp
	count(fs) == 2
	some f in fs
	f.path == ["resource_changes", 0, "change", "after", "members", 1]
}

test_project_iam_policy_json_in_a_plan if {
	policy := json.marshal({"bindings": [{"role": "roles/owner", "members": ["user:alice@acme.com"]}, {"role": "roles/viewer", "members": ["group:eng@acme.com"]}]})
	fs := gcp.deny with input as plan("google_organization_iam_policy", "org", {"org_id": "123", "policy_data": policy})
	count(fs) == 1
	some f in fs
	f.rule == "gcp-iam-primitive-role"
	f.path == ["resource_changes", 0, "change", "after", "policy_data"]
}

test_iam_policy_data_source_in_hcl if {
	inp := {"data": {"google_iam_policy": {"admin": [{"binding": [
		{"role": "roles/compute.viewer", "members": ["group:ops@acme.com"]},
		{"role": "roles/editor", "members": ["user:jane@acme.com"]},
	]}]}}}
	some f in gcp.deny with input as inp
	f.rule == "gcp-iam-primitive-role"
	f.resource == "data.google_iam_policy.admin"
	f.path == ["data", "google_iam_policy", "admin", 0, "binding", 1, "members", 0]
}

test_iam_policy_data_source_object_shape_and_plan if {
	obj := {"data": {"google_iam_policy": {"p": {"binding": {"role": "roles/owner", "members": ["user:a@acme.com"]}}}}}
	some f in gcp.deny with input as obj
	f.path == ["data", "google_iam_policy", "p", "binding", "members", 0]
	read := {"resource_changes": [{"address": "data.google_iam_policy.p", "mode": "data", "type": "google_iam_policy", "name": "p", "change": {"actions": ["read"], "after": {"binding": [{"role": "roles/editor", "members": ["user:a@acme.com"], "condition": []}]}}}]}
	some g in gcp.deny with input as read
	g.path == ["resource_changes", 0, "change", "after", "binding", 0, "members", 0]
}

test_predefined_roles_and_resource_level_grants_pass if {
	count(gcp.deny) == 0 with input as hcl("google_project_iam_member", "m", {"role": "roles/storage.objectViewer", "member": "group:eng@acme.com"})
	# roles/owner on a single bucket is not a primitive project role
	count(gcp.deny) == 0 with input as hcl("google_storage_bucket_iam_member", "m", {"bucket": "b", "role": "roles/storage.admin", "member": "group:eng@acme.com"})
	count(gcp.deny) == 0 with input as hcl("google_project_iam_policy", "p", {"project": "p", "policy_data": "${data.google_iam_policy.admin.policy_data}"})
}

# --- public members -----------------------------------------------------------------------

test_public_bucket_member_is_critical if {
	inp := hcl("google_storage_bucket_iam_member", "public", {"bucket": "${google_storage_bucket.site.name}", "role": "roles/storage.objectViewer", "member": "allUsers"})
	some f in gcp.deny with input as inp
	f.rule == "gcp-iam-public-member"
	f.severity == "critical"
	f.path == ["resource", "google_storage_bucket_iam_member", "public", 0, "member"]
	f.msg == "google_storage_bucket_iam_member.public grants roles/storage.objectViewer to allUsers (anyone on the internet)"
}

test_public_function_invoker_in_a_plan if {
	inp := plan("google_cloudfunctions2_function_iam_binding", "invoker", {"role": "roles/cloudfunctions.invoker", "members": ["allAuthenticatedUsers"]})
	some f in gcp.deny with input as inp
	f.severity == "critical"
	f.path == ["resource_changes", 0, "change", "after", "members", 0]
}

test_public_members_elsewhere_are_high if {
	inp := hcl("google_pubsub_topic_iam_member", "pub", {"topic": "t", "role": "roles/pubsub.publisher", "member": "allUsers"})
	some f in gcp.deny with input as inp
	f.rule == "gcp-iam-public-member"
	f.severity == "high"
}

test_legacy_bucket_acl if {
	inp := hcl("google_storage_bucket_acl", "acl", {"bucket": "b", "role_entity": ["OWNER:user-admin@acme.com", "READER:allUsers"]})
	some f in gcp.deny with input as inp
	f.rule == "gcp-iam-public-member"
	f.severity == "critical"
	f.path == ["resource", "google_storage_bucket_acl", "acl", 0, "role_entity", 1]
	count(gcp.deny) == 0 with input as hcl("google_storage_bucket_acl", "acl", {"bucket": "b", "role_entity": ["OWNER:user-admin@acme.com"]})
}

# --- firewall -----------------------------------------------------------------------------

firewall(body) := hcl("google_compute_firewall", "fw", object.union({"name": "fw", "network": "${google_compute_network.vpc.name}"}, body))

test_ssh_from_anywhere_is_critical if {
	inp := firewall({"source_ranges": ["10.0.0.0/8", "0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22", "80"]}]})
	some f in gcp.deny with input as inp
	f.rule == "gcp-firewall-public-admin-port"
	f.severity == "critical"
	f.path == ["resource", "google_compute_firewall", "fw", 0, "source_ranges", 1]
	f.msg == "google_compute_firewall.fw opens 22 (SSH) to the internet (0.0.0.0/0)"
}

test_all_protocols_and_port_ranges_in_a_plan if {
	all := plan("google_compute_firewall", "fw", {"name": "fw", "direction": "INGRESS", "source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all", "ports": []}]})
	some f in gcp.deny with input as all
	f.path == ["resource_changes", 0, "change", "after", "source_ranges", 0]
	range := plan("google_compute_firewall", "fw", {"name": "fw", "source_ranges": ["::/0"], "allow": [{"protocol": "tcp", "ports": ["3000-3400"]}]})
	some g in gcp.deny with input as range
	contains(g.msg, "3306 (MySQL), 3389 (RDP)")
}

test_ingress_without_source_is_open_to_the_world if {
	inp := firewall({"allow": [{"protocol": "tcp", "ports": ["3389"]}]})
	some f in gcp.deny with input as inp
	f.path == ["resource", "google_compute_firewall", "fw", 0]
	contains(f.msg, "no source given")
}

test_public_web_port_is_a_warning if {
	inp := firewall({"direction": "INGRESS", "source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["443", "bad"]}]})
	count(gcp.deny) == 0 with input as inp
	some f in gcp.warn with input as inp
	f.rule == "gcp-firewall-public-ingress"
	f.severity == "medium"
	f.path == ["resource", "google_compute_firewall", "fw", 0, "source_ranges", 0]
}

test_firewalls_that_are_not_public_ingress_pass if {
	cases := [
		firewall({"source_ranges": ["10.0.0.0/8"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		firewall({"source_tags": ["bastion"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		firewall({"direction": "EGRESS", "destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		firewall({"source_ranges": ["0.0.0.0/0"], "disabled": true, "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		firewall({"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "icmp"}]}),
		firewall({"source_ranges": ["0.0.0.0/0"], "deny": [{"protocol": "tcp", "ports": ["22"]}]}),
	]
	every inp in cases {
		count(gcp.deny) == 0 with input as inp
		count(gcp.warn) == 0 with input as inp
	}
}

test_malformed_inputs_are_ignored_without_errors if {
	inputs := [
		plan("google_project_iam_policy", "p", {"policy_data": "[1]"}),
		plan("google_project_iam_policy", "p", {"policy_data": "{\"bindings\": [\"x\", {\"role\": null, \"members\": [null]}]}"}),
		{"data": {"google_iam_policy": {"p": [{"binding": ["x"]}]}}},
		hcl("google_project_iam_member", "m", {"role": null, "member": null}),
		firewall({"direction": 1, "source_ranges": ["0.0.0.0/0"], "allow": ["x"]}),
		firewall({"source_ranges": ["0.0.0.0/0"], "allow": ["x"]}),
	]
	every inp in inputs {
		count(gcp.deny) == 0 with input as inp
		count(gcp.warn) == 0 with input as inp
	}
}
