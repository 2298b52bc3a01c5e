//! `countersign check` through the real binary: findings land on the exact hunk and line,
//! pre-existing findings are told apart, a user's conftest-style policies work unchanged on
//! HCL, YAML and plan inputs, and broken policies are clear errors.

mod common;

use std::path::Path;

use common::{Repo, countersign_in};
use serde_json::Value;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/conftest-examples/examples"
);

fn sg_block(i: usize, description: &str, cidr: &str, port: u32) -> String {
    format!(
        "resource \"aws_security_group\" \"sg_{i}\" {{\n  name        = \"sg-{i}\"\n  description = \"{description}\"\n  vpc_id      = \"vpc-0a1b2c3d\"\n\n  ingress {{\n    from_port   = {port}\n    to_port     = {port}\n    protocol    = \"tcp\"\n    cidr_blocks = [\"{cidr}\"]\n  }}\n\n  tags = {{\n    Team = \"platform\"\n    Tier = \"{i}\"\n  }}\n}}\n\n"
    )
}

/// 50 security groups, all edited; the feature also opens `sg_17` to the world on SSH.
/// `sg_40` was already open (RDP) at the base.
fn fifty_blocks() -> Repo {
    let r = Repo::new();
    let file = |edited: bool| -> String {
        (0..50)
            .map(|i| {
                let description = if edited {
                    format!("tier {i}, reviewed")
                } else {
                    format!("tier {i}")
                };
                let (cidr, port) = match i {
                    17 if edited => ("0.0.0.0/0", 22),
                    40 => ("0.0.0.0/0", 3389),
                    _ => ("10.0.0.0/8", 22),
                };
                sg_block(i, &description, cidr, port)
            })
            .collect()
    };
    r.write("network.tf", file(false));
    r.commit("base");
    r.branch("feature").write("network.tf", file(true));
    r.commit("agent: describe every tier");
    r
}

fn check(r: &Repo, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = r.countersign(&all);
    let code = out.status.code();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (code, doc)
}

/// The one opened security group is flagged on exactly its hunk and its `cidr_blocks` line;
/// the group that was already open is pre-existing; check exits 1.
#[test]
fn one_opened_group_among_fifty_edited_blocks() {
    let r = fifty_blocks();
    let (code, doc) = check(&r, &["main..feature"]);
    assert_eq!(code, Some(1), "{doc:#}");
    // Other rules (tags, …) have their say too; this test is about the open groups.
    let findings: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "aws-sg-public-admin-port")
        .collect();
    let introduced: Vec<&Value> = findings
        .iter()
        .copied()
        .filter(|f| f["origin"] == "introduced")
        .collect();
    assert_eq!(introduced.len(), 1, "{findings:#?}");
    let f = introduced[0];
    assert_eq!(f["rule"], "aws-sg-public-admin-port");
    assert_eq!(f["resource"], "aws_security_group.sg_17");
    let hunks = f["anchor"]["hunks"].as_array().unwrap();
    assert_eq!(hunks.len(), 1, "exactly one hunk: {f:#}");

    // The finding's line is the added `cidr_blocks` line of that hunk.
    let show = r.show_json(&["main..feature"]);
    let all_hunks = common::hunks_of(&show, "network.tf");
    assert_eq!(all_hunks.len(), 50, "one hunk per edited block");
    let hunk = all_hunks.iter().find(|h| h["id"] == hunks[0]).unwrap();
    let cidr_line = hunk["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "added" && l["text"].as_str().unwrap().contains("0.0.0.0/0"))
        .unwrap()["new"]
        .as_u64()
        .unwrap();
    assert_eq!(f["lines"]["start"].as_u64(), Some(cidr_line), "{f:#}");
    assert_eq!(f["lines"]["end"].as_u64(), Some(cidr_line));

    let pre: Vec<&Value> = findings
        .iter()
        .copied()
        .filter(|f| f["origin"] == "pre_existing")
        .collect();
    assert_eq!(pre.len(), 1, "{pre:#?}");
    assert_eq!(pre[0]["resource"], "aws_security_group.sg_40");
}

/// The text report shows the finding with its line of code and the summary.
#[test]
fn text_report_shows_the_offending_line() {
    let r = fifty_blocks();
    let out = r.countersign(&["check", "main..feature", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "critical  aws-sg-public-admin-port  aws_security_group.sg_17 opens 22 (SSH)"
        ),
        "{text}"
    );
    assert!(
        text.contains("│ +    cidr_blocks = [\"0.0.0.0/0\"]"),
        "{text}"
    );
    assert!(
        text.contains(
            "critical (pre-existing)  aws-sg-public-admin-port  aws_security_group.sg_40"
        ),
        "{text}"
    );
    let summary = text.trim_end().lines().last().unwrap();
    assert!(
        summary.starts_with("1 introduced (1 critical") && summary.ends_with(" · 0 errors"),
        "{text}"
    );
}

/// A repository whose feature branch adds the given corpus files.
fn repo_adding(files: &[(&str, &str)]) -> Repo {
    let r = Repo::new();
    r.write("README.md", "infra\n");
    r.commit("base");
    r.branch("feature");
    for (from, to) in files {
        r.write(to, std::fs::read(Path::new(CORPUS).join(from)).unwrap());
    }
    r.commit("add infrastructure");
    r
}

fn messages(doc: &Value) -> Vec<String> {
    let mut m: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    m.sort();
    m
}

/// A user's conftest policies (string messages, `deny contains msg if`) run unchanged on HCL,
/// multi-document YAML and plan inputs.
#[test]
fn conftest_policies_work_unchanged() {
    let policies = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/conftest-policy"
    );
    let r = repo_adding(&[
        ("hcl2/terraform.tf", "terraform.tf"),
        ("kubernetes/deployment+service.yaml", "k8s/app.yaml"),
    ]);
    let (code, doc) = check(
        &r,
        &["main..feature", "--no-builtin", "--policies", policies],
    );
    assert_eq!(code, Some(1), "{doc:#}");
    assert_eq!(
        messages(&doc),
        [
            "deployment hello-kubernetes may run as root",
            "load balancer listener my-alb-listener uses plain HTTP",
            "security group rule my-rule is open to the world",
            "service hello-kubernetes is exposed through a cloud load balancer",
        ]
    );
    let plan = format!("{CORPUS}/hcl1/gke-show.json");
    let out = countersign_in(
        r.path(),
        &[
            "check",
            "--plan",
            &plan,
            "--no-builtin",
            "--policies",
            policies,
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        messages(&doc),
        ["plan creates a GKE cluster: google_container_cluster.primary"]
    );
    // A bare message names no resource or path: it applies to the plan as a whole.
    assert_eq!(doc["findings"][0]["anchor"]["type"], "file");
}

fn broken_policy(rego: &str) -> (Option<i32>, String) {
    let r = repo_adding(&[("hcl2/terraform.tf", "terraform.tf")]);
    let dir = r.path().join("broken-policies");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("broken.rego"), rego).unwrap();
    let out = r.countersign(&[
        "check",
        "main..feature",
        "--policies",
        dir.to_str().unwrap(),
    ]);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout),
    )
}

/// A syntax error, a builtin type error and an infinite recursion each give a clear error
/// naming the policy file, and exit 2 — never a panic or a hang.
#[test]
fn broken_policies_are_clear_errors() {
    let (code, text) = broken_policy("package main\n\ndeny contains msg if {\n  msg := \n}\n");
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("broken.rego:4: "), "{text}");

    let (code, text) = broken_policy(
        "package main\n\ndeny contains msg if {\n  some name\n  input.resource.aws_alb_listener[name]\n  msg := concat(\",\", name)\n}\n",
    );
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("broken.rego:6: `concat` expects"), "{text}");

    let (code, text) =
        broken_policy("package main\n\na if b\n\nb if a\n\ndeny contains \"x\" if a\n");
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("broken.rego"), "{text}");
}

/// The built-in pack's own unit tests pass (`countersign policy test`).
#[test]
fn builtin_pack_tests_pass() {
    let dir = tempfile::tempdir().unwrap();
    let out = countersign_in(dir.path(), &["policy", "test"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = text.lines().last().unwrap();
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed > 0 && last.ends_with(" passed, 0 failed"), "{last}");
}

/// `policy test --format json`: every test with its verdict, and the counts.
#[test]
fn policy_test_results_as_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.rego"),
        "package main\n\ndeny contains \"x\" if input.x\n\ntest_x if deny[\"x\"] with input as {\"x\": true}\n\ntest_wrong if deny[\"x\"] with input as {}\n",
    )
    .unwrap();
    let out = countersign_in(
        dir.path(),
        &["policy", "test", ".", "--format", "json", "--coverage"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["passed"].as_u64(), report["failed"].as_u64()),
        (Some(1), Some(1))
    );
    let tests = report["tests"].as_array().unwrap();
    let verdicts: Vec<(&str, bool)> = tests
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["passed"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        verdicts,
        [("data.main.test_x", true), ("data.main.test_wrong", false)]
    );
    assert!(
        tests[1]["location"].as_str().unwrap().ends_with("p.rego:7"),
        "{report:#}"
    );
    assert_eq!(
        report["coverage"][0]["path"]
            .as_str()
            .map(|p| p.ends_with("p.rego")),
        Some(true)
    );
}

/// SARIF 2.1.0 for code scanning: rules, levels, regions, and baseline states that tell new
/// findings from pre-existing ones.
#[test]
fn sarif_output() {
    let r = fifty_blocks();
    let out = r.countersign(&["check", "main..feature", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "countersign");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules.iter().any(|r| r["id"] == "aws-sg-public-admin-port"
            && r["properties"]["security-severity"] == "9.5")
    );
    let results: Vec<&Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "aws-sg-public-admin-port")
        .collect();
    let new: Vec<&Value> = results
        .iter()
        .copied()
        .filter(|r| r["baselineState"] == "new")
        .collect();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["level"], "error");
    let location = &new[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "network.tf");
    assert!(location["region"]["startLine"].as_u64().unwrap() > 0);
    assert_eq!(
        rules[new[0]["ruleIndex"].as_u64().unwrap() as usize]["id"],
        new[0]["ruleId"]
    );
    assert_eq!(
        results
            .iter()
            .filter(|r| r["baselineState"] == "unchanged")
            .count(),
        1
    );
}

/// The sources behind `tests/fixtures/sample-plan.json`: a root module with the web security
/// group and a local `data` module with the orders database and the legacy log bucket. The
/// feature branch opens SSH, bumps the database's engine (a replacement) and drops the bucket.
fn plan_sources() -> Repo {
    let r = Repo::new();
    let root = |cidr: &str| {
        format!(
            "module \"data\" {{\n  source = \"./modules/data\"\n}}\n\nresource \"aws_security_group\" \"web\" {{\n  name = \"web\"\n\n  ingress {{\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }}\n{cidr}}}\n"
        )
    };
    let db = |version: &str| {
        format!(
            "resource \"aws_db_instance\" \"orders\" {{\n  identifier     = \"orders\"\n  engine         = \"postgres\"\n  engine_version = \"{version}\"\n  username       = \"orders\"\n}}\n"
        )
    };
    let bucket =
        "\nresource \"aws_s3_bucket\" \"legacy_logs\" {\n  bucket = \"acme-legacy-logs\"\n}\n";
    r.write("main.tf", root(""));
    r.write("modules/data/main.tf", format!("{}{bucket}", db("15.4")));
    r.commit("base");
    let ssh = "\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n";
    r.branch("feature")
        .write("main.tf", root(ssh))
        .write("modules/data/main.tf", db("16.1"));
    r.commit("agent: upgrade postgres, debug access, drop old logs");
    r
}

fn added_line(doc: &Value, file: &str, needle: &str) -> u64 {
    common::hunks_of(doc, file)
        .iter()
        .flat_map(|h| h["lines"].as_array().unwrap())
        .find(|l| l["kind"] == "added" && l["text"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("{needle} in {file}"))["new"]
        .as_u64()
        .unwrap()
}

/// A plan that replaces a database and destroys a bucket: one critical finding each and a
/// blast radius that matches the plan; with the range, the findings land on the hunks of the
/// `.tf` files that define those resources.
#[test]
fn plan_findings_land_on_the_source_that_defines_them() {
    let plan = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sample-plan.json"
    );
    let r = plan_sources();
    let (code, alone) = check(&r, &["--plan", plan]);
    assert_eq!(code, Some(1));
    let blast = &alone["blast_radius"];
    assert_eq!(
        (
            blast["create"].as_u64(),
            blast["update"].as_u64(),
            blast["replace"].as_u64(),
            blast["destroy"].as_u64()
        ),
        (Some(2), Some(1), Some(1), Some(1))
    );
    let stateful: Vec<(&str, &str)> = blast["stateful"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["address"].as_str().unwrap(),
                s["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        stateful,
        [
            ("module.data.aws_db_instance.orders", "replace"),
            ("module.data.aws_s3_bucket.legacy_logs", "destroy")
        ]
    );
    let by_rule = |doc: &Value, rule: &str| -> Vec<Value> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .cloned()
            .collect()
    };
    for rule in [
        "plan-replaces-stateful-resource",
        "plan-destroys-stateful-resource",
    ] {
        let found = by_rule(&alone, rule);
        assert_eq!(found.len(), 1, "{rule}");
        assert_eq!(found[0]["severity"], "critical");
    }

    let (code, together) = check(&r, &["main..feature", "--plan", plan]);
    assert_eq!(code, Some(1), "{together:#}");
    let show = r.show_json(&["main..feature"]);
    let hunk_with =
        |file: &str, needle: &str| -> Value {
            common::hunks_of(&show, file)
                .iter()
                .find(|h| {
                    h["lines"].as_array().unwrap().iter().any(|l| {
                        l["kind"] != "context" && l["text"].as_str().unwrap().contains(needle)
                    })
                })
                .unwrap_or_else(|| panic!("{needle}"))["id"]
                .clone()
        };
    let replace = &by_rule(&together, "plan-replaces-stateful-resource")[0];
    assert_eq!(replace["file"], "modules/data/main.tf");
    assert_eq!(
        replace["anchor"]["hunks"],
        serde_json::json!([hunk_with("modules/data/main.tf", "engine_version")])
    );
    let destroy = &by_rule(&together, "plan-destroys-stateful-resource")[0];
    assert_eq!(destroy["file"], "modules/data/main.tf");
    assert_eq!(
        destroy["anchor"]["hunks"],
        serde_json::json!([hunk_with("modules/data/main.tf", "legacy_logs")])
    );
    // The open SSH rule is reported once (by the source and the plan alike), on its line.
    let ssh = by_rule(&together, "aws-sg-public-admin-port");
    assert_eq!(ssh.len(), 1, "{ssh:#?}");
    assert_eq!(ssh[0]["file"], "main.tf");
    assert_eq!(
        ssh[0]["lines"]["start"].as_u64(),
        Some(added_line(&show, "main.tf", "0.0.0.0/0"))
    );
}

/// The hunk-level input lets a line rule see the added lines of any file type; a finding
/// pointing at an added line lands on that line.
#[test]
fn line_rules_on_the_hunk_level_input() {
    let r = Repo::new();
    r.write(
        "scripts/bootstrap.sh",
        "#!/bin/sh\nset -eu\napt-get update\n",
    );
    r.commit("base");
    r.branch("feature").write(
        "scripts/bootstrap.sh",
        "#!/bin/sh\nset -eu\napt-get update\ncurl -fsSL https://get.example.com/install.sh | sh\n",
    );
    r.commit("agent: install the tool");
    let dir = r.path().join("line-policies");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pipe.rego"),
        "package main\n\ndeny contains f if {\n  some i, line in input.countersign.hunk.added\n  regex.match(`curl[^|]*\\|\\s*(ba)?sh`, line.text)\n  f := {\"msg\": sprintf(\"%s pipes a download into a shell\", [input.countersign.hunk.file]), \"rule\": \"curl-pipe-shell\", \"path\": [\"countersign\", \"hunk\", \"added\", i]}\n}\n\nwarn contains \"hunk input is not shell\" if input.countersign.hunk.language != \"shell\"\n",
    )
    .unwrap();
    let (code, doc) = check(
        &r,
        &[
            "main..feature",
            "--no-builtin",
            "--policies",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1), "{doc:#}");
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "curl-pipe-shell");
    assert_eq!(findings[0]["file"], "scripts/bootstrap.sh");
    assert_eq!(findings[0]["lines"]["start"], 4);
    assert_eq!(findings[0]["anchor"]["type"], "hunks");
}

/// `data/` documents in a policy directory reach the policies — here the built-in tag rule's
/// list of required tags.
#[test]
fn data_documents_configure_the_policies() {
    let r = fifty_blocks();
    let dir = r.path().join("team-policies");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(
        dir.join("data/tags.yaml"),
        "countersign:\n  required_tags: [CostCentre]\n",
    )
    .unwrap();
    let (_, doc) = check(&r, &["main..feature", "--policies", dir.to_str().unwrap()]);
    let tags: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "aws-tags-missing")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(tags.len(), 50);
    assert!(
        tags.iter()
            .all(|m| m.ends_with("missing the required tag CostCentre")),
        "{tags:?}"
    );
}

/// A policy that runs away is stopped at the time limit with an error naming its rule; the
/// check exits 2 instead of hanging.
#[test]
fn a_runaway_policy_is_stopped() {
    let r = repo_adding(&[("hcl2/terraform.tf", "terraform.tf")]);
    let dir = r.path().join("slow-policies");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("slow.rego"),
        "package main\n\ndeny contains \"never\" if {\n  some x in numbers.range(1, 100000)\n  some y in numbers.range(1, 100000)\n  x + y < 0\n}\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = r.countersign(&[
        "check",
        "main..feature",
        "--no-builtin",
        "--policies",
        dir.to_str().unwrap(),
        "--policy-timeout",
        "0.5",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("slow.rego:3"), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}
