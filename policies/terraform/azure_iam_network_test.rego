package countersign.terraform.azure_iam_network_test

import data.countersign.terraform.azure_iam_network as azure

hcl(type, name, body) := {"resource": {type: {name: [body]}}}

plan(type, name, after) := {"resource_changes": [{
	"address": sprintf("%s.%s", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after},
}]}

# --- role assignments ---------------------------------------------------------------------

test_owner_on_the_subscription if {
	inp := hcl("azurerm_role_assignment", "ci", {"scope": "${data.azurerm_subscription.primary.id}", "role_definition_name": "Owner", "principal_id": "${azuread_service_principal.ci.object_id}"})
	some f in azure.deny with input as inp
	f.rule == "azure-role-privileged-assignment"
	f.severity == "high"
	f.resource == "azurerm_role_assignment.ci"
	f.path == ["resource", "azurerm_role_assignment", "ci", 0, "role_definition_name"]
	f.msg == "azurerm_role_assignment.ci assigns Owner at subscription scope (${data.azurerm_subscription.primary.id})"
}

test_contributor_by_id_in_a_plan if {
	inp := plan("azurerm_role_assignment", "app", {
		"scope": "/subscriptions/00000000-0000-0000-0000-000000000000",
		"role_definition_id": "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c",
		"principal_id": "11111111-1111-1111-1111-111111111111",
	})
	some f in azure.deny with input as inp
	f.rule == "azure-role-privileged-assignment"
	f.path == ["resource_changes", 0, "change", "after", "role_definition_id"]
}

test_management_group_and_root_scopes if {
	mg := hcl("azurerm_role_assignment", "a", {"scope": "/providers/Microsoft.Management/managementGroups/platform", "role_definition_name": "User Access Administrator"})
	some f in azure.deny with input as mg
	contains(f.msg, "management group scope")
	some g in azure.deny with input as hcl("azurerm_role_assignment", "a", {"scope": "/", "role_definition_name": "owner"})
	contains(g.msg, "tenant root scope")
	count(azure.deny) == 1 with input as hcl("azurerm_role_assignment", "a", {"scope": "${azurerm_management_group.platform.id}", "role_definition_name": "Contributor"})
	count(azure.deny) == 1 with input as hcl("azurerm_role_assignment", "a", {"scope": "/subscriptions/${var.subscription_id}", "role_definition_name": "Contributor"})
}

test_narrow_roles_or_scopes_pass if {
	count(azure.deny) == 0 with input as hcl("azurerm_role_assignment", "a", {"scope": "${azurerm_resource_group.app.id}", "role_definition_name": "Owner"})
	count(azure.deny) == 0 with input as hcl("azurerm_role_assignment", "a", {"scope": "/subscriptions/0000/resourceGroups/app", "role_definition_name": "Contributor"})
	count(azure.deny) == 0 with input as hcl("azurerm_role_assignment", "a", {"scope": "/subscriptions/0000", "role_definition_name": "Reader"})
	count(azure.deny) == 0 with input as hcl("azurerm_role_assignment", "a", {"scope": "/subscriptions/0000", "role_definition_id": "${azurerm_role_definition.custom.role_definition_resource_id}"})
}

# --- custom roles -------------------------------------------------------------------------

test_custom_role_with_every_action if {
	inp := hcl("azurerm_role_definition", "god", {"name": "god", "scope": "${data.azurerm_subscription.primary.id}", "permissions": [{"actions": ["Microsoft.Compute/*/read", "*"], "not_actions": []}]})
	some f in azure.deny with input as inp
	f.rule == "azure-custom-role-wildcard"
	f.severity == "high"
	f.path == ["resource", "azurerm_role_definition", "god", 0, "permissions", 0, "actions", 1]
	some g in azure.deny with input as plan("azurerm_role_definition", "rbac", {"permissions": [{"actions": ["Microsoft.Authorization/*"]}]})
	g.path == ["resource_changes", 0, "change", "after", "permissions", 0, "actions", 0]
}

test_custom_role_with_specific_actions_passes if {
	inp := hcl("azurerm_role_definition", "ops", {"permissions": [{"actions": ["Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/*/read"]}]})
	count(azure.deny) == 0 with input as inp
}

# --- network security rules ---------------------------------------------------------------

rule(props) := object.union({
	"name": "r", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
	"source_port_range": "*", "destination_address_prefix": "*",
}, props)

test_standalone_rule_ssh_from_internet if {
	inp := hcl("azurerm_network_security_rule", "ssh", rule({"source_address_prefix": "Internet", "destination_port_range": "22"}))
	some f in azure.deny with input as inp
	f.rule == "azure-nsg-public-admin-port"
	f.severity == "critical"
	f.path == ["resource", "azurerm_network_security_rule", "ssh", 0, "source_address_prefix"]
	f.msg == "azurerm_network_security_rule.ssh allows 22 (SSH) from the internet (source Internet)"
}

test_inline_rules_in_a_plan if {
	inp := plan("azurerm_network_security_group", "web", {"name": "web", "security_rule": [
		rule({"name": "https", "source_address_prefix": "*", "destination_port_range": "443"}),
		rule({"name": "rdp", "source_address_prefix": "", "source_address_prefixes": ["10.0.0.0/8", "0.0.0.0/0"], "destination_port_ranges": ["3380-3390"]}),
	]})
	some f in azure.deny with input as inp
	f.path == ["resource_changes", 0, "change", "after", "security_rule", 1, "source_address_prefixes", 1]
	contains(f.msg, "3389 (RDP)")
	some g in azure.warn with input as inp
	g.rule == "azure-nsg-public-ingress"
	g.severity == "medium"
	g.path == ["resource_changes", 0, "change", "after", "security_rule", 0, "source_address_prefix"]
	g.msg == "azurerm_network_security_group.web allows inbound traffic from the internet (source *, ports 443)"
}

test_every_port_includes_admin_ports if {
	inp := hcl("azurerm_network_security_rule", "any", rule({"protocol": "*", "source_address_prefix": "0.0.0.0/0", "destination_port_range": "*"}))
	some f in azure.deny with input as inp
	f.rule == "azure-nsg-public-admin-port"
}

test_rules_that_are_not_public_inbound_allows_pass if {
	cases := [
		rule({"source_address_prefix": "10.0.0.0/8", "destination_port_range": "22"}),
		rule({"source_address_prefix": "VirtualNetwork", "destination_port_range": "22"}),
		rule({"direction": "Outbound", "source_address_prefix": "*", "destination_port_range": "22"}),
		rule({"access": "Deny", "source_address_prefix": "Internet", "destination_port_range": "*"}),
		rule({"protocol": "Icmp", "source_address_prefix": "*", "destination_port_range": "*"}),
		rule({"source_address_prefix": "*", "destination_port_range": "${var.port}", "protocol": "Udp"}),
	]
	every props in cases {
		count(azure.deny) == 0 with input as hcl("azurerm_network_security_rule", "r", props)
	}
	count(azure.warn) == 0 with input as hcl("azurerm_network_security_rule", "r", rule({"source_address_prefix": "10.1.0.0/16", "destination_port_range": "443"}))
}

# --- storage ------------------------------------------------------------------------------

test_storage_account_allowing_public_blobs if {
	inp := hcl("azurerm_storage_account", "sa", {"name": "acmesa", "account_tier": "Standard", "account_replication_type": "LRS", "allow_nested_items_to_be_public": true})
	some f in azure.deny with input as inp
	f.rule == "azure-storage-public-access"
	f.severity == "high"
	f.path == ["resource", "azurerm_storage_account", "sa", 0, "allow_nested_items_to_be_public"]
	some g in azure.deny with input as plan("azurerm_storage_account", "old", {"name": "old", "allow_blob_public_access": true})
	g.path == ["resource_changes", 0, "change", "after", "allow_blob_public_access"]
	count(azure.deny) == 1 with input as hcl("azurerm_storage_account", "sa", {"name": "acmesa", "allow_nested_items_to_be_public": "true"})
}

test_public_container if {
	some f in azure.deny with input as hcl("azurerm_storage_container", "assets", {"name": "assets", "storage_account_name": "${azurerm_storage_account.sa.name}", "container_access_type": "blob"})
	f.rule == "azure-storage-public-container"
	f.severity == "high"
	f.path == ["resource", "azurerm_storage_container", "assets", 0, "container_access_type"]
}

test_private_storage_passes if {
	count(azure.deny) == 0 with input as hcl("azurerm_storage_account", "sa", {"name": "acmesa", "allow_nested_items_to_be_public": false})
	count(azure.deny) == 0 with input as hcl("azurerm_storage_container", "c", {"name": "c"})
	count(azure.deny) == 0 with input as hcl("azurerm_storage_container", "c", {"name": "c", "container_access_type": "private"})
}

test_malformed_inputs_are_ignored_without_errors if {
	inputs := [
		plan("azurerm_role_assignment", "a", {"scope": "/subscriptions/0000", "role_definition_name": null, "role_definition_id": null}),
		hcl("azurerm_role_definition", "d", {"permissions": ["x", {"actions": null}]}),
		hcl("azurerm_network_security_group", "g", {"security_rule": ["x", {"direction": null, "access": null, "source_address_prefix": null}]}),
		hcl("azurerm_storage_container", "c", {"container_access_type": null}),
	]
	every inp in inputs {
		count(azure.deny) == 0 with input as inp
		count(azure.warn) == 0 with input as inp
	}
}
