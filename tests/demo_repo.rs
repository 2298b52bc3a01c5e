//! The repository `countersign demo` opens, checked by the real binary: the three risks of the
//! agent's change are found, each on the hunk and line that introduces it, and nothing else
//! of the change is flagged.

mod common;

use std::path::Path;

use common::{countersign_in, hunks_of};
use serde_json::Value;

/// The demo repository in a temporary directory, and the range `write_repo` returned.
fn demo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let range = countersign::demo::write_repo(dir.path()).unwrap();
    (dir, range)
}

/// `countersign check RANGE --format json`: exit code and report.
fn check(dir: &Path, range: &str) -> (Option<i32>, Value) {
    let out = countersign_in(dir, &["check", range, "--format", "json"]);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), doc)
}

/// The hunk of `path` with an added line containing `text`: the hunk's id and the line's new
/// line number.
fn added_line(show: &Value, path: &str, text: &str) -> (String, u64) {
    for hunk in hunks_of(show, path) {
        for line in hunk["lines"].as_array().unwrap() {
            if line["kind"] == "added" && line["text"].as_str().unwrap().contains(text) {
                let id = hunk["id"].as_str().unwrap().to_string();
                return (id, line["new"].as_u64().unwrap());
            }
        }
    }
    panic!("no added line with {text:?} in {path}");
}

/// The one introduced finding of `rule` on `resource`.
fn introduced<'a>(report: &'a Value, rule: &str, resource: &str) -> &'a Value {
    let found: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule && f["resource"] == resource && f["origin"] == "introduced")
        .collect();
    assert_eq!(found.len(), 1, "{rule} on {resource}: {report:#}");
    found[0]
}

/// The hunks a finding is attached to.
fn hunks(f: &Value) -> Vec<&str> {
    assert_eq!(f["anchor"]["type"], "hunks", "{f:#}");
    f["anchor"]["hunks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect()
}

fn lines(f: &Value) -> (u64, u64) {
    let l = &f["lines"];
    (l["start"].as_u64().unwrap(), l["end"].as_u64().unwrap())
}

fn high_or_critical(f: &Value) -> bool {
    f["severity"] == "high" || f["severity"] == "critical"
}

/// The wildcard IAM policy, the world-open security group and the unprotected bucket are
/// each flagged high or critical on the hunk and line that introduce them; check fails.
#[test]
fn the_three_risks_are_found_on_their_hunks_and_lines() {
    let (dir, range) = demo();
    assert_eq!(range, "main..feature");
    let (code, report) = check(dir.path(), &range);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["summary"]["errors"], 0, "{report:#}");
    let show = common::json_of(&countersign_in(
        dir.path(),
        &["show", &range, "--format", "json"],
    ));

    // IAM: the policy attribute, from `policy = jsonencode({` over the `Action = "*"` line.
    let iam = introduced(
        &report,
        "aws-iam-wildcard-action",
        "aws_iam_policy.reporting_export",
    );
    assert_eq!(iam["file"], "infra/iam.tf");
    assert_eq!(iam["severity"], "critical", "{iam:#}");
    let (iam_hunk, policy_line) = added_line(&show, "infra/iam.tf", "policy = jsonencode({");
    let (action_hunk, action_line) = added_line(&show, "infra/iam.tf", r#"Action   = "*""#);
    assert_eq!(iam_hunk, action_hunk);
    assert_eq!(hunks(iam), [iam_hunk.as_str()]);
    let (start, end) = lines(iam);
    assert_eq!(start, policy_line, "{iam:#}");
    assert!(start < action_line && action_line <= end, "{iam:#}");

    // Security group: exactly the added `cidr_blocks = ["0.0.0.0/0"]` line.
    let sg = introduced(&report, "aws-sg-public-admin-port", "aws_security_group.db");
    assert_eq!(sg["file"], "infra/network.tf");
    assert_eq!(sg["severity"], "critical", "{sg:#}");
    assert!(sg["message"].as_str().unwrap().contains("5432"), "{sg:#}");
    let (sg_hunk, cidr_line) = added_line(&show, "infra/network.tf", r#"["0.0.0.0/0"]"#);
    assert_eq!(hunks(sg), [sg_hunk.as_str()]);
    assert_eq!(lines(sg), (cidr_line, cidr_line), "{sg:#}");

    // The export bucket: no encryption configuration (medium, on the bucket's first line) and
    // its public access block turned off (high, on `block_public_policy = false`), both on
    // the hunk that adds them.
    let (bucket_hunk, bucket_line) = added_line(
        &show,
        "infra/storage.tf",
        r#"resource "aws_s3_bucket" "reporting_exports""#,
    );
    let unencrypted = introduced(
        &report,
        "aws-storage-s3-unencrypted",
        "aws_s3_bucket.reporting_exports",
    );
    assert_eq!(unencrypted["file"], "infra/storage.tf");
    assert_eq!(hunks(unencrypted), [bucket_hunk.as_str()]);
    assert_eq!(lines(unencrypted).0, bucket_line, "{unencrypted:#}");
    let pab = introduced(
        &report,
        "aws-s3-public-access-block-disabled",
        "aws_s3_bucket_public_access_block.reporting_exports",
    );
    assert_eq!(pab["file"], "infra/storage.tf");
    assert_eq!(pab["severity"], "high", "{pab:#}");
    let (pab_hunk, pab_line) =
        added_line(&show, "infra/storage.tf", "block_public_policy     = false");
    assert_eq!(pab_hunk, bucket_hunk);
    assert_eq!(hunks(pab), [bucket_hunk.as_str()]);
    assert_eq!(lines(pab), (pab_line, pab_line), "{pab:#}");

    // Each risky hunk carries a high or critical finding.
    let findings = report["findings"].as_array().unwrap();
    for hunk in [&iam_hunk, &sg_hunk, &bucket_hunk] {
        assert!(
            findings
                .iter()
                .any(|f| high_or_critical(f) && hunks(f).contains(&hunk.as_str())),
            "no high or critical finding on {hunk}"
        );
    }
}

/// Every other hunk — variable, output, VPC endpoint, database settings, Kubernetes replicas,
/// image, settings and memory, README — carries no introduced finding, and the base had none.
#[test]
fn the_safe_hunks_are_not_flagged() {
    let (dir, range) = demo();
    let (code, report) = check(dir.path(), &range);
    assert_eq!(code, Some(1));
    let show = common::json_of(&countersign_in(
        dir.path(),
        &["show", &range, "--format", "json"],
    ));

    let files = show["files"].as_array().unwrap();
    let all: Vec<(&str, &str)> = files
        .iter()
        .flat_map(|f| {
            let path = f["path"].as_str().unwrap();
            f["hunks"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |h| (path, h["id"].as_str().unwrap()))
        })
        .collect();
    assert_eq!(files.len(), 7, "{show:#}");
    assert_eq!(all.len(), 12, "{all:?}");

    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| f["origin"] == "introduced"),
        "the base has findings: {report:#}"
    );
    let risky = [
        added_line(&show, "infra/iam.tf", r#"Action   = "*""#).0,
        added_line(&show, "infra/network.tf", r#"["0.0.0.0/0"]"#).0,
        added_line(&show, "infra/storage.tf", "block_public_policy     = false").0,
    ];
    let mut flagged: Vec<&str> = findings.iter().flat_map(hunks).collect();
    flagged.sort_unstable();
    flagged.dedup();
    let mut expected: Vec<&str> = risky.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(flagged, expected, "{report:#}");
    assert_eq!(report["summary"]["risky_hunks"], 3, "{report:#}");

    let safe: Vec<&(&str, &str)> = all
        .iter()
        .filter(|(_, id)| !expected.contains(id))
        .collect();
    assert_eq!(safe.len(), 9, "{safe:?}");
}

/// The git CLI sees what a pull request checkout looks like: `feature` checked out, a clean
/// work tree, one commit co-authored by an agent.
#[test]
fn the_git_cli_sees_a_clean_pull_request_checkout() {
    if common::git_cli().is_none() {
        return;
    }
    let (dir, _) = demo();
    let git = |args: &[&str]| String::from_utf8(common::git(dir.path(), args)).unwrap();
    assert_eq!(git(&["status", "--porcelain"]), "");
    assert_eq!(git(&["branch", "--show-current"]), "feature\n");
    assert_eq!(
        git(&["log", "--format=%an: %s", "main..feature"]),
        "Dana Whitfield: Add reporting export pipeline\n"
    );
    assert_eq!(
        git(&[
            "log",
            "-1",
            "--format=%(trailers:key=Co-authored-by,valueonly)"
        ])
        .trim(),
        "Claude <noreply@anthropic.com>"
    );
}
