package countersign.plan.plan_stateful_test

import data.countersign.plan.plan_stateful

change(address, type, actions) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"name": "main",
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": actions, "before": {"id": "x"}, "after": null},
}

plan(changes) := {"format_version": "1.1", "terraform_version": "1.6.6", "resource_changes": changes}

test_replacing_a_database_is_critical if {
	rc := object.union(change("module.db.aws_db_instance.main", "aws_db_instance", ["delete", "create"]), {"change": {"after": {"engine": "postgres"}, "replace_paths": [["engine"], ["storage_encrypted"]]}, "action_reason": "replace_because_cannot_update"})
	inp := plan([change("aws_s3_bucket_policy.logs", "aws_s3_bucket_policy", ["update"]), rc])
	fs := plan_stateful.deny with input as inp
	count(fs) == 1
	some f in fs
	f.rule == "plan-replaces-stateful-resource"
	f.severity == "critical"
	f.resource == "module.db.aws_db_instance.main"
	f.path == ["resource_changes", 1]
	f.msg == "module.db.aws_db_instance.main will be destroyed and recreated (replace): its data does not survive; replacement forced by engine, storage_encrypted"
}

test_destroying_a_bucket_is_critical if {
	some f in plan_stateful.deny with input as plan([change("aws_s3_bucket.logs", "aws_s3_bucket", ["delete"])])
	f.rule == "plan-destroys-stateful-resource"
	f.severity == "critical"
	f.path == ["resource_changes", 0]
	f.msg == "aws_s3_bucket.logs will be destroyed: its data does not survive"
}

test_create_before_destroy_replace if {
	some f in plan_stateful.deny with input as plan([change("aws_kms_key.data", "aws_kms_key", ["create", "delete"])])
	f.rule == "plan-replaces-stateful-resource"
	contains(f.msg, "created before the old one is destroyed")
}

test_type_patterns_and_other_providers if {
	addresses := {f.resource |
		some f in plan_stateful.deny with input as plan([
			change("azurerm_postgresql_flexible_server.db", "azurerm_postgresql_flexible_server", ["delete"]),
			change("azurerm_mssql_database.app", "azurerm_mssql_database", ["delete", "create"]),
			change("google_compute_disk.data", "google_compute_disk", ["delete"]),
			change("kubernetes_persistent_volume_claim_v1.data", "kubernetes_persistent_volume_claim_v1", ["delete"]),
			change("aws_route53_zone.main", "aws_route53_zone", ["delete", "create"]),
		])
	}
	addresses == {"azurerm_postgresql_flexible_server.db", "azurerm_mssql_database.app", "google_compute_disk.data", "kubernetes_persistent_volume_claim_v1.data", "aws_route53_zone.main"}
}

# checkov tests/terraform/runner/resources/plan_with_deleted_resources/tfplan.json replaces a
# secret (not in the list); stateless resources and non-destructive actions pass.
test_stateless_or_non_destructive_changes_pass if {
	inp := plan([
		change("aws_secretsmanager_secret.default", "aws_secretsmanager_secret", ["create", "delete"]),
		change("aws_instance.web", "aws_instance", ["delete", "create"]),
		change("aws_security_group.web", "aws_security_group", ["delete"]),
		change("aws_db_instance.main", "aws_db_instance", ["update"]),
		change("aws_db_instance.new", "aws_db_instance", ["create"]),
		change("aws_s3_bucket.logs", "aws_s3_bucket", ["no-op"]),
		change("aws_ebs_volume.old", "aws_ebs_volume", ["forget"]),
	])
	count(plan_stateful.deny) == 0 with input as inp
}

test_data_sources_and_hcl_inputs_pass if {
	read := object.union(change("data.aws_s3_bucket.logs", "aws_s3_bucket", ["delete"]), {"mode": "data"})
	count(plan_stateful.deny) == 0 with input as plan([read])
	count(plan_stateful.deny) == 0 with input as {"resource": {"aws_db_instance": {"main": {"engine": "postgres"}}}}
}
