//! Values a plan marks sensitive never leave countersign in clear (SPEC §3, §9): a plan whose
//! secrets are canaries, and a policy that tries to print them in its message, go through
//! every output — `show`, `check` (text, JSON, SARIF), a session log, a signed attestation
//! (the envelope and its decoded payload) and a headless replay — and no canary comes out.

mod common;
mod review_support;

use std::path::Path;
use std::process::{Command, Output};

use countersign::attest::dsse::{Envelope, decode_base64};
use countersign::cli::PolicyArgs;
use countersign::commands::review::load;
use countersign::config::AuthorshipConfig;
use countersign::source::Source;
use review_support::{scripted_review, write_log};
use serde_json::json;

/// Every secret of the plan starts with this; nothing else in any output does.
const CANARY: &str = "CANARY";

/// Resources and an output holding canaries: a password changed in place, a sensitive
/// attribute of a nested block, a wholly sensitive object (a JSON policy document), and a
/// sensitive output.
fn canary_plan() -> serde_json::Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": [
            {
                "address": "aws_db_instance.main", "mode": "managed",
                "type": "aws_db_instance", "name": "main",
                "change": {
                    "actions": ["update"],
                    "before": {"identifier": "main-db", "password": "CANARY-OLD-8d1f", "publicly_accessible": false},
                    "after": {"identifier": "main-db", "password": "CANARY-NEW-29ab", "publicly_accessible": true},
                    "after_unknown": {},
                    "before_sensitive": {"password": true},
                    "after_sensitive": {"password": true}
                }
            },
            {
                "address": "aws_instance.web", "mode": "managed",
                "type": "aws_instance", "name": "web",
                "change": {
                    "actions": ["create"],
                    "before": null,
                    "after": {
                        "ami": "ami-0c55b159cbfafe1f0",
                        "root_block_device": [{"volume_size": 20, "kms_key_id": "CANARY-NESTED-77"}]
                    },
                    "after_unknown": {"id": true},
                    "before_sensitive": false,
                    "after_sensitive": {"root_block_device": [{"kms_key_id": true}]}
                }
            },
            {
                "address": "aws_iam_policy.deploy", "mode": "managed",
                "type": "aws_iam_policy", "name": "deploy",
                "change": {
                    "actions": ["create"],
                    "before": null,
                    "after": {
                        "name": "deploy",
                        "policy": "{\"Statement\":[{\"Action\":\"*\",\"Resource\":\"*\",\"Sid\":\"CANARY-IN-DOCUMENT\"}]}"
                    },
                    "after_unknown": {},
                    "before_sensitive": false,
                    "after_sensitive": {"policy": true}
                }
            }
        ],
        "output_changes": {
            "db_password": {
                "actions": ["create"], "before": null, "after": "CANARY-OUTPUT-5e",
                "after_unknown": false, "before_sensitive": false, "after_sensitive": true
            }
        }
    })
}

/// A policy that puts each resource's secrets into its messages.
const LEAKY_POLICY: &str = r#"package main

deny contains msg if {
    rc := input.resource_changes[_]
    msg := sprintf("%s has password %v and key %v", [rc.address, object.get(rc.change.after, "password", "none"), rc.change.after])
}
"#;

/// The real binary in `dir` with its session store and home kept inside `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_countersign"))
        .arg("--store")
        .arg(dir.join("store"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

/// The stdout of a run that exited with one of `codes`.
fn stdout_of(out: Output, codes: &[i32], what: &str) -> String {
    assert!(
        out.status.code().is_some_and(|c| codes.contains(&c)),
        "{what}: exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains(CANARY),
        "{what}: stderr leaks"
    );
    String::from_utf8(out.stdout).unwrap()
}

fn assert_no_canary(what: &str, output: &str) {
    assert!(!output.is_empty(), "{what} is empty");
    assert!(!output.contains(CANARY), "{what} leaks a canary:\n{output}");
}

#[test]
fn sensitive_values_never_appear_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let plan = dir.join("plan.json");
    std::fs::write(&plan, serde_json::to_vec_pretty(&canary_plan()).unwrap()).unwrap();
    let policies = dir.join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::write(policies.join("leaky.rego"), LEAKY_POLICY).unwrap();
    let (plan_arg, policies_arg) = (plan.to_str().unwrap(), policies.to_str().unwrap());

    for extra in [
        &["--format", "text"][..],
        &["--format", "json"],
        &["--color", "always"],
    ] {
        let mut args = vec![
            "show",
            "--plan",
            plan_arg,
            "--no-pager",
            "--findings",
            "--policies",
            policies_arg,
        ];
        args.extend_from_slice(extra);
        let shown = stdout_of(run(dir, &args), &[0], &format!("show {extra:?}"));
        assert_no_canary(&format!("show {extra:?}"), &shown);
        assert!(shown.contains("(sensitive)"), "show {extra:?}:\n{shown}");
    }
    for format in ["text", "json", "sarif"] {
        let checked = stdout_of(
            run(
                dir,
                &[
                    "check",
                    "--plan",
                    plan_arg,
                    "--policies",
                    policies_arg,
                    "--format",
                    format,
                ],
            ),
            &[1],
            &format!("check --format {format}"),
        );
        assert_no_canary(&format!("check --format {format}"), &checked);
        // The leaky policy did fire: its message is there, with the secret masked.
        assert!(
            checked.contains("aws_db_instance.main has password"),
            "check --format {format}:\n{checked}"
        );
    }

    // A review of the plan, recorded through the library like the review screen does.
    let policy_args = PolicyArgs {
        policies: vec![policies.clone()],
        ..PolicyArgs::builtin()
    };
    let loaded = load(
        &Source::Plan(plan.clone()),
        None,
        &policy_args,
        "Ada <ada@example.com>".into(),
        20,
        &AuthorshipConfig::default(),
    )
    .unwrap();
    let mut state = loaded.state.clone();
    let actions = scripted_review(&mut state, "no such file");
    let log = dir.join("review.jsonl");
    write_log(&log, &loaded, &actions);
    let recorded = std::fs::read_to_string(&log).unwrap();
    assert_no_canary("the session log", &recorded);
    assert!(
        recorded.contains("(sensitive)"),
        "the log holds no masked hunk"
    );

    let key = dir.join("id_ed25519");
    let key_arg = key.to_str().unwrap();
    stdout_of(
        run(dir, &["--key", key_arg, "keygen", "--no-passphrase"]),
        &[0],
        "keygen",
    );
    let att = dir.join("review.att");
    let log_arg = log.to_str().unwrap();
    stdout_of(
        run(
            dir,
            &[
                "--key",
                key_arg,
                "attest",
                log_arg,
                "--out",
                att.to_str().unwrap(),
            ],
        ),
        &[0],
        "attest",
    );
    let envelope_text = std::fs::read_to_string(&att).unwrap();
    assert_no_canary("the attestation", &envelope_text);
    let envelope = Envelope::from_json(envelope_text.as_bytes()).unwrap();
    let payload = String::from_utf8(decode_base64(&envelope.payload).unwrap()).unwrap();
    assert_no_canary("the attestation's statement", &payload);
    // It is the review of this plan: its four hunks, the leaky policy's findings among theirs.
    assert_eq!(
        payload.matches("\"decision\":\"approved\"").count(),
        4,
        "{payload}"
    );

    let transcript = stdout_of(run(dir, &["replay", log_arg, "--headless"]), &[0], "replay");
    assert_no_canary("the headless replay", &transcript);
}
