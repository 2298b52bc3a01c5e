//! The families of the built-in pack (Terraform, plans, CloudFormation, Kubernetes) and the
//! top-level input keys each reads. Two savings follow, both exact:
//!
//! - a family is evaluated only on inputs that have one of its keys: on an input with none of
//!   them it gives no finding, so a Terraform file is not run through the Kubernetes and
//!   CloudFormation rules;
//! - when only built-in rules run, a plan's heavy parts that no family reads (`planned_values`,
//!   `prior_state`, `configuration`) are left out of the engine's input ([`read_input`]).
//!
//! The tests hold the pack to the table: every `input.<key>` a family's policies mention is
//! among its keys, and gating changes no outcome on any corpus fixture.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::value::RawValue;

/// A family of the built-in pack: its packages, and the input it reads.
#[derive(Debug, PartialEq, Eq)]
pub struct Family {
    /// The prefix of its packages' names.
    pub prefix: &'static str,
    /// The top-level input keys its policies read.
    pub keys: &'static [&'static str],
    /// Whether it also reads the whole document, once one of its keys is there (a Kubernetes
    /// object is the document itself).
    pub whole_document: bool,
}

/// The built-in families.
pub const FAMILIES: &[Family] = &[
    Family {
        prefix: "countersign.terraform.",
        keys: &["resource", "data", "resource_changes"],
        whole_document: false,
    },
    Family {
        prefix: "countersign.plan.",
        keys: &["resource_changes"],
        whole_document: false,
    },
    Family {
        prefix: "countersign.cloudformation.",
        keys: &["Resources", "Parameters"],
        whole_document: false,
    },
    Family {
        prefix: "countersign.kubernetes.",
        keys: &["kind", "items"],
        whole_document: true,
    },
];

/// A built-in package whose rules are resource-local: every finding they give is about one
/// `resource` or `data` block of a Terraform document (its `resource` is that block's address)
/// and depends on that block alone, and on the blocks of the `context` types (and the
/// policies' data), whatever else the document holds. At a file's base such a rule needs
/// evaluating only on the blocks the change edited, as long as it left the context blocks as
/// they were: on every other block it gives what it gave at the head
/// ([`crate::policy::base`]).
#[derive(Debug, PartialEq, Eq)]
pub struct ResourceLocal {
    /// The package.
    pub package: &'static str,
    /// The block types its rules read besides the block a finding is about.
    pub context: &'static [&'static str],
}

/// The resource-local packages of the built-in pack. A test holds each to the definition on
/// every block of the corpus's Terraform files, and on all those blocks in one document.
pub const RESOURCE_LOCAL: &[ResourceLocal] = &[
    local("aws_database", &[]),
    local("aws_iam", &[]),
    local("aws_network", &[]),
    local("aws_s3", &[]),
    // Whether a bucket is encrypted depends on its separate encryption configuration, a
    // volume's on the account's default.
    local(
        "aws_storage",
        &[
            "aws_s3_bucket_server_side_encryption_configuration",
            "aws_ebs_encryption_by_default",
        ],
    ),
    local("aws_tags", &[]),
    local("azure_iam_network", &[]),
    local("gcp_iam_network", &[]),
];

/// The cloud provider whose blocks a built-in Terraform package reads: it gives no finding on a
/// document without a resource, data source or plan resource change of a type starting with
/// `types`, so an AWS module is not run through the Azure and Google rules.
#[derive(Debug, PartialEq, Eq)]
pub struct Provider {
    /// The prefix of its packages' names (after the Terraform family's prefix).
    pub packages: &'static str,
    /// The prefix of the block types its packages read.
    pub types: &'static str,
}

/// The providers of the built-in Terraform packages. A test holds each package to its
/// provider: the only block types it names are that provider's.
pub const PROVIDERS: &[Provider] = &[
    Provider {
        packages: "aws_",
        types: "aws_",
    },
    Provider {
        packages: "azure_",
        types: "azurerm_",
    },
    Provider {
        packages: "gcp_",
        types: "google_",
    },
];

/// The provider of a built-in Terraform package, if it reads one provider's blocks only.
pub fn provider_of(package: &str) -> Option<&'static Provider> {
    let name = package.strip_prefix(FAMILIES[0].prefix)?;
    PROVIDERS.iter().find(|p| name.starts_with(p.packages))
}

/// The types of the Terraform blocks of a document: the keys under `resource` and `data` (HCL)
/// and the `type` of every `resource_changes` entry (a plan).
pub fn block_types(input: &regorus::Value) -> BTreeSet<regorus::Rc<str>> {
    let mut types = BTreeSet::new();
    let Ok(object) = input.as_object() else {
        return types;
    };
    let get = |key: &str| object.get(&regorus::Value::from(key));
    for key in ["resource", "data"] {
        if let Some(Ok(blocks)) = get(key).map(regorus::Value::as_object) {
            types.extend(blocks.keys().filter_map(|k| k.as_string().ok().cloned()));
        }
    }
    if let Some(Ok(changes)) = get("resource_changes").map(regorus::Value::as_array) {
        let type_key = regorus::Value::from("type");
        for change in changes {
            if let Some(Ok(t)) = change
                .as_object()
                .ok()
                .and_then(|c| c.get(&type_key))
                .map(regorus::Value::as_string)
            {
                types.insert(t.clone());
            }
        }
    }
    types
}

const fn local(name: &'static str, context: &'static [&'static str]) -> ResourceLocal {
    ResourceLocal {
        package: name,
        context,
    }
}

/// The resource-local description of a built-in Terraform package, if it is one.
pub fn resource_local(package: &str) -> Option<&'static ResourceLocal> {
    let name = package.strip_prefix(FAMILIES[0].prefix)?;
    RESOURCE_LOCAL.iter().find(|l| l.package == name)
}

/// The family of a built-in package, if it belongs to one.
pub fn family_of(package: &str) -> Option<&'static Family> {
    FAMILIES.iter().find(|f| package.starts_with(f.prefix))
}

impl Family {
    /// Whether the family can give a finding on a document with the top-level keys `has`.
    pub fn applies(&self, has: impl Fn(&str) -> bool) -> bool {
        self.keys.iter().any(|k| has(k))
    }
}

/// The top-level keys that the rules of `families` (one per rule; `None` for a rule outside
/// the built-in families, a user's) read of a document with the keys `has`: `None` when that
/// may be any key.
pub fn keys_read(
    families: &[Option<&'static Family>],
    has: impl Fn(&str) -> bool,
) -> Option<BTreeSet<&'static str>> {
    let mut keys = BTreeSet::new();
    for family in families {
        let family = (*family)?;
        if !family.applies(&has) {
            continue;
        }
        if family.whole_document {
            return None;
        }
        keys.extend(family.keys);
    }
    Some(keys)
}

/// A JSON document (a plan) as the engine's input for rules of `families`, holding only the
/// top-level keys they read of it; the whole document when a rule may read any key, or when
/// it is not an object. `None` when regorus cannot read the text.
pub fn read_input(families: &[Option<&'static Family>], text: &str) -> Option<regorus::Value> {
    let whole = || regorus::Value::from_json_str(text).ok();
    if families.iter().any(Option::is_none) {
        return whole();
    }
    // The top-level values as slices of the text: each kept one is read on its own.
    let Ok(parts) = serde_json::from_str::<BTreeMap<String, &RawValue>>(text) else {
        return whole();
    };
    let Some(read) = keys_read(families, |k| parts.contains_key(k)) else {
        return whole();
    };
    let mut object = BTreeMap::new();
    for (key, raw) in parts {
        if read.contains(key.as_str()) {
            let value = regorus::Value::from_json_str(raw.get()).ok()?;
            object.insert(regorus::Value::from(key), value);
        }
    }
    Some(regorus::Value::from(object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::bundle::Bundle;
    use crate::policy::engine::package_of;

    /// The shared library `countersign.lib` reads the input for the Terraform rules only (its
    /// resource views); the other families use its input-free helpers.
    #[test]
    fn every_input_key_a_family_mentions_is_in_its_table() {
        let terraform = &FAMILIES[0];
        for file in Bundle::builtin().policies.iter().filter(|p| !p.is_test()) {
            let package = package_of(&file.content).unwrap();
            let family = match package.as_str() {
                "countersign.lib" => Some(terraform),
                _ => family_of(&package),
            };
            if family != Some(terraform) {
                for view in ["resources", "by_type", "resources_of_type"] {
                    let call = format!(" lib.{view}");
                    assert!(!file.content.contains(&call), "{}: {call}", file.path);
                }
            }
            for (n, line) in file.content.lines().enumerate() {
                let code = line.split('#').next().unwrap_or("");
                for (at, _) in code.match_indices("input") {
                    let before = code[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                        continue;
                    }
                    let rest = &code[at + "input".len()..];
                    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let at_line = format!("{}:{}", file.path, n + 1);
                    let family = family
                        .unwrap_or_else(|| panic!("{at_line}: reads the input outside a family"));
                    match rest.strip_prefix('.') {
                        Some(key) => {
                            let key: String = key
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_')
                                .collect();
                            assert!(
                                family.keys.contains(&key.as_str()),
                                "{at_line}: input.{key}"
                            );
                        }
                        None => assert!(family.whole_document, "{at_line}: the whole input"),
                    }
                }
            }
        }
    }

    /// A provider's package names no other provider's block types (as quoted strings: the
    /// pack's rules name the types they read), so gating it by its provider's blocks is exact.
    #[test]
    fn a_provider_package_names_its_provider_types_only() {
        let mut checked = 0;
        for file in Bundle::builtin().policies.iter().filter(|p| !p.is_test()) {
            let package = package_of(&file.content).unwrap();
            let Some(provider) = provider_of(&package) else {
                continue;
            };
            checked += 1;
            let quoted = file.content.split('"').skip(1).step_by(2);
            for text in quoted {
                for other in PROVIDERS.iter().filter(|p| *p != provider) {
                    assert!(!text.starts_with(other.types), "{}: \"{text}\"", file.path);
                }
            }
        }
        assert_eq!(
            checked,
            RESOURCE_LOCAL.len(),
            "a Terraform package without a provider"
        );
    }

    #[test]
    fn block_types_are_read_from_hcl_and_plans() {
        let hcl = regorus::Value::from_json_str(
            r#"{"resource": {"aws_s3_bucket": {}, "google_compute_firewall": {}},
                "data": {"aws_iam_policy_document": {}}, "locals": {"azurerm_x": 1}}"#,
        )
        .unwrap();
        let names = |v: &regorus::Value| -> Vec<String> {
            block_types(v).iter().map(|t| t.to_string()).collect()
        };
        assert_eq!(
            names(&hcl),
            [
                "aws_iam_policy_document",
                "aws_s3_bucket",
                "google_compute_firewall"
            ]
        );
        let plan = regorus::Value::from_json_str(
            r#"{"resource_changes": [{"type": "azurerm_role_assignment"}, {"mode": "data"}]}"#,
        )
        .unwrap();
        assert_eq!(names(&plan), ["azurerm_role_assignment"]);
    }

    #[test]
    fn a_plan_is_read_with_the_keys_its_families_read() {
        let families: Vec<Option<&Family>> = FAMILIES.iter().map(Some).collect();
        let plan = r#"{"format_version": "1.2", "planned_values": {"root_module": {}},
            "resource_changes": [{"address": "a.b"}], "configuration": {}}"#;
        let input = read_input(&families, plan).unwrap();
        assert_eq!(
            input,
            regorus::Value::from_json_str(r#"{"resource_changes": [{"address": "a.b"}]}"#).unwrap()
        );
        // A user's rule may read anything; so may the Kubernetes family, once `kind` is there.
        let whole = regorus::Value::from_json_str(plan).unwrap();
        assert_eq!(read_input(&[None], plan).unwrap(), whole);
        let object = r#"{"kind": "Pod", "spec": {}}"#;
        assert_eq!(
            read_input(&families, object).unwrap(),
            regorus::Value::from_json_str(object).unwrap()
        );
        assert_eq!(read_input(&families, "{"), None);
    }
}
