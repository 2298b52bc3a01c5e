//! How the built-in pack agrees with the third-party checkov fixtures, per category: every
//! FAILED fixture should be flagged by the category's rules and no PASSED one. The table —
//! with every miss listed by name — is a snapshot, so any change in agreement shows up in
//! review. Terraform fixtures are labelled per resource (names starting `fail`/`pass`),
//! Kubernetes and CloudFormation ones per file (`PASSED`/`FAILED`, `.pass`/`.fail` in the name).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use countersign::policy::bundle::Bundle;
use countersign::policy::engine::{DEFAULT_TIME_LIMIT, Engine, Namespaces, Outcome, Rule};
use countersign::policy::finding::Finding;
use countersign::policy::input;

const CHECKOV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/checkov-fixtures/tests"
);

#[derive(Clone, Copy, PartialEq)]
enum Labels {
    /// Terraform: resources named `fail*` must be flagged, `pass*` must not.
    ByResourceName,
    /// Kubernetes / CloudFormation: the file name says PASSED or FAILED.
    ByFileName,
}

struct Category {
    name: &'static str,
    dirs: &'static [&'static str],
    /// A finding counts when its rule id starts with one of these.
    rules: &'static [&'static str],
    labels: Labels,
}

const TF: &str = "terraform/checks/resource/aws";
const K8S: &str = "kubernetes/checks";
const CFN: &str = "cloudformation/checks/resource/aws";

const CATEGORIES: &[(&str, Category)] = &[
    // Every port open includes the admin ports. (checkov's port-80 check has no equivalent:
    // the pack warns on any public port, so it is left out.)
    (
        TF,
        Category {
            name: "Terraform: SG open ingress (admin ports, all ports)",
            dirs: &[
                "SecurityGroupUnrestrictedIngress22",
                "SecurityGroupUnrestrictedIngress3389",
                "SecurityGroupUnrestrictedIngressAny",
            ],
            rules: &["aws-sg-public-admin-port"],
            labels: Labels::ByResourceName,
        },
    ),
    (
        TF,
        Category {
            name: "Terraform: IAM wildcards / privilege escalation",
            dirs: &[
                "IAMAdminPolicyDocument",
                "IAMStarResourcePolicyDocument",
                "IAMPrivilegeEscalation",
                "IAMManagedAdminPolicy",
                "IAMPermissionsManagement",
                "IAMWriteAccess",
                "KMSKeyWildcardPrincipal",
            ],
            rules: &["aws-iam-"],
            labels: Labels::ByResourceName,
        },
    ),
    (
        TF,
        Category {
            name: "Terraform: S3 public",
            dirs: &[
                "S3GlobalViewACL",
                "S3AllowsAnyPrincipal",
                "S3AccessPointPubliclyAccessible",
            ],
            rules: &["aws-s3-"],
            labels: Labels::ByResourceName,
        },
    ),
    (
        TF,
        Category {
            name: "Terraform: unencrypted storage",
            dirs: &[
                "EBSEncryption",
                "RDSEncryption",
                "EFSEncryptionEnabled",
                "LaunchConfigurationEBSEncryption",
            ],
            rules: &[
                "aws-ebs-",
                "aws-rds-unencrypted",
                "aws-efs-",
                "aws-storage-",
                "aws-db-unencrypted",
            ],
            labels: Labels::ByResourceName,
        },
    ),
    (
        TF,
        Category {
            name: "Terraform: disabled backups",
            dirs: &["DBInstanceBackupRetentionPeriod"],
            rules: &["aws-rds-backup"],
            labels: Labels::ByResourceName,
        },
    ),
    (
        TF,
        Category {
            name: "Terraform: deletion protection",
            dirs: &["RDSInstanceDeletionProtection"],
            rules: &["aws-rds-deletion"],
            labels: Labels::ByResourceName,
        },
    ),
    (
        K8S,
        Category {
            name: "Kubernetes: privileged",
            dirs: &["PrivilegedContainers"],
            rules: &["k8s-privileged-container"],
            labels: Labels::ByFileName,
        },
    ),
    (
        K8S,
        Category {
            name: "Kubernetes: allowPrivilegeEscalation",
            dirs: &["AllowPrivilegeEscalation"],
            rules: &["k8s-privilege-escalation"],
            labels: Labels::ByFileName,
        },
    ),
    (
        K8S,
        Category {
            name: "Kubernetes: host namespaces",
            dirs: &["ShareHost"],
            rules: &["k8s-host-network", "k8s-host-pid", "k8s-host-ipc"],
            labels: Labels::ByFileName,
        },
    ),
    (
        K8S,
        Category {
            name: "Kubernetes: host ports",
            dirs: &["HostPort"],
            rules: &["k8s-host-port"],
            labels: Labels::ByFileName,
        },
    ),
    (
        K8S,
        Category {
            name: "Kubernetes: root containers",
            dirs: &["RootContainers"],
            rules: &["k8s-run-as-root"],
            labels: Labels::ByFileName,
        },
    ),
    (
        CFN,
        Category {
            name: "CloudFormation: SG open ingress (admin ports)",
            dirs: &[
                "SecurityGroupUnrestrictedIngress22",
                "SecurityGroupUnrestrictedIngress3389",
            ],
            rules: &["cfn-sg-public-admin-port"],
            labels: Labels::ByFileName,
        },
    ),
    (
        CFN,
        Category {
            name: "CloudFormation: IAM wildcards",
            dirs: &[
                "IAMAdminPolicyDocument",
                "IAMStarActionPolicyDocument",
                "IAMRoleAllowsPublicAssume",
            ],
            rules: &["cfn-iam-"],
            labels: Labels::ByFileName,
        },
    ),
    (
        CFN,
        Category {
            name: "CloudFormation: public RDS",
            dirs: &["RDSPubliclyAccessible"],
            rules: &["cfn-rds-public"],
            labels: Labels::ByFileName,
        },
    ),
    (
        CFN,
        Category {
            name: "CloudFormation: unencrypted storage",
            dirs: &[
                "RDSEncryption",
                "AuroraEncryption",
                "EBSEncryption",
                "EFSEncryption",
            ],
            rules: &[
                "cfn-rds-unencrypted",
                "cfn-ebs-unencrypted",
                "cfn-efs-unencrypted",
            ],
            labels: Labels::ByFileName,
        },
    ),
];

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else if input::format_for(&p.to_string_lossy()).is_some() {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn findings_of(engine: &Engine, path: &Path) -> Vec<Finding> {
    let name = path.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    let format = input::format_for(&name).unwrap();
    let docs = input::load(format, &text, &name).unwrap_or_else(|e| panic!("{e}"));
    docs.iter()
        .flat_map(|d| engine.evaluate(&d.value))
        .map(|o| match o {
            Outcome::Result { rule, value } => {
                let rule = &engine.rules()[rule];
                let finding = Finding::from_result(rule, &value, &name);
                assert_id_in_its_file(rule, &finding.rule);
                finding
            }
            Outcome::Error { message, .. } => panic!("{name}: {message}"),
        })
        .collect()
}

/// A built-in rule gives only its default id or ids written in its own file: what lets a
/// file's base be evaluated with only the rules that can repeat its head's findings.
fn assert_id_in_its_file(rule: &Rule, id: &str) {
    static BUILTIN: OnceLock<Bundle> = OnceLock::new();
    let bundle = BUILTIN.get_or_init(Bundle::builtin);
    let file = bundle
        .policies
        .iter()
        .find(|p| p.path == rule.file)
        .unwrap();
    assert!(
        id == rule.default_id() || file.content.contains(&format!("\"{id}\"")),
        "{}: gives the id {id}, which its file does not name",
        rule.file
    );
}

/// The expected verdict of a file by its name: Some(true) = must be flagged.
fn file_label(path: &Path) -> Option<bool> {
    let n = path.file_name().unwrap().to_string_lossy().to_lowercase();
    if n.contains("failed") || n.contains(".fail") || n.contains("_fail") || n.contains("-fail") {
        Some(true)
    } else if n.contains("passed")
        || n.contains(".pass")
        || n.contains("_pass")
        || n.contains("-pass")
    {
        Some(false)
    } else {
        None
    }
}

/// Terraform resources of a file with their expected verdict, from their names.
fn labelled_resources(path: &Path) -> Vec<(String, bool)> {
    let text = std::fs::read_to_string(path).unwrap();
    let docs = input::load(input::Format::Hcl, &text, &path.to_string_lossy()).unwrap();
    let mut out = Vec::new();
    for doc in docs {
        let Some(resources) = doc.value.get("resource").and_then(|r| r.as_object()) else {
            continue;
        };
        for (t, by_name) in resources {
            for name in by_name.as_object().into_iter().flat_map(|m| m.keys()) {
                let lower = name.to_lowercase();
                let label = if lower.starts_with("fail") {
                    Some(true)
                } else if lower.starts_with("pass") {
                    Some(false)
                } else {
                    None
                };
                if let Some(l) = label {
                    out.push((format!("{t}.{name}"), l));
                }
            }
        }
    }
    out
}

#[test]
fn agreement_with_checkov_fixtures() {
    let bundle = Bundle::builtin();
    let engine = Engine::new(&bundle, &Namespaces::default(), DEFAULT_TIME_LIMIT).unwrap();
    let mut table =
        String::from("| category | FAILED flagged | PASSED flagged |\n| --- | --- | --- |\n");
    let mut misses = String::new();
    for (base, cat) in CATEGORIES {
        let (mut failed, mut failed_hit, mut passed, mut passed_hit) = (0, 0, 0, 0);
        for dir in cat.dirs {
            for path in files_under(&Path::new(CHECKOV).join(base).join(format!("example_{dir}"))) {
                let findings = findings_of(&engine, &path);
                let counts = |f: &&Finding| cat.rules.iter().any(|r| f.rule.starts_with(r));
                let short = path.strip_prefix(CHECKOV).unwrap().display().to_string();
                let cases: Vec<(String, bool, bool)> = match cat.labels {
                    Labels::ByResourceName => labelled_resources(&path)
                        .into_iter()
                        .map(|(address, must)| {
                            let hit = findings
                                .iter()
                                .filter(counts)
                                .any(|f| f.resource.as_deref() == Some(address.as_str()));
                            (format!("{short} {address}"), must, hit)
                        })
                        .collect(),
                    Labels::ByFileName => file_label(&path)
                        .map(|must| {
                            vec![(short.clone(), must, findings.iter().any(|f| counts(&f)))]
                        })
                        .unwrap_or_default(),
                };
                for (what, must, hit) in cases {
                    if must {
                        failed += 1;
                        failed_hit += usize::from(hit);
                    } else {
                        passed += 1;
                        passed_hit += usize::from(hit);
                    }
                    if must != hit {
                        let _ = writeln!(
                            misses,
                            "{}: {} {what}",
                            cat.name,
                            if must { "missed" } else { "false positive" }
                        );
                    }
                }
            }
        }
        let _ = writeln!(
            table,
            "| {} | {failed_hit}/{failed} | {passed_hit}/{passed} |",
            cat.name
        );
    }
    insta::assert_snapshot!(format!("{table}\nmisses:\n{misses}"));
}
