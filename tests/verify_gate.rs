//! The CI gate end to end: a review of a real repository's change, finished, signed with an
//! OpenSSH key by `countersign attest`, then `countersign verify` — which passes, and fails with
//! a precise reason for each way the change, the attestation or the signer can be wrong.

mod common;
mod review_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Repo, countersign_in};
use countersign::cli::PolicyArgs;
use countersign::commands::review::load;
use countersign::config::AuthorshipConfig;
use countersign::source::Source;
use review_support::{scripted_review, write_log};

const MAIN_TF: &str = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n";
const SG: &str = "\nresource \"aws_security_group\" \"db\" {\n  name = \"db\"\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
const VARIABLES: &str = "variable \"region\" {\n  default = \"eu-west-1\"\n}\n";

/// main: a bucket and a region; feature: a database security group open to the world (a
/// critical finding), a runbook, and another region. `header` lines go on top of main.tf.
fn write_feature(repo: &Repo, header: &str) {
    let runbook: String = (1..=12).map(|i| format!("step {i}: check\n")).collect();
    repo.write("main.tf", format!("{header}{MAIN_TF}{SG}"))
        .write("docs/runbook.md", runbook)
        .write(
            "variables.tf",
            VARIABLES.replace("eu-west-1", "eu-central-1"),
        );
    repo.commit("feature");
}

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("main.tf", MAIN_TF)
        .write("variables.tf", VARIABLES);
    repo.commit("base");
    repo.branch("feature");
    write_feature(&repo, "");
    repo
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A new unencrypted key at `dir/name`; returns its path and its allowed_signers line for
/// `email`.
fn key(dir: &Path, name: &str, email: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let out = countersign_in(
        dir,
        &["--key", path.to_str().unwrap(), "keygen", "--no-passphrase"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    (path, format!("{email} namespaces=\"countersign\" {public}"))
}

/// The review of `range` in `repo` by Ada (rejecting the hunks of `reject`), recorded to
/// `name.jsonl` in the repository; returns the log's path.
fn recorded_review(repo: &Repo, range: &str, reject: &str, name: &str) -> PathBuf {
    let source = Source::GitRange {
        repo: repo.path().to_path_buf(),
        range: Some(range.into()),
        context: 3,
    };
    let loaded = load(
        &source,
        None,
        &PolicyArgs::builtin(),
        "Ada <ada@example.com>".into(),
        20,
        &AuthorshipConfig::default(),
    )
    .unwrap();
    let mut state = loaded.state.clone();
    let actions = scripted_review(&mut state, reject);
    let log = repo.path().join(format!("{name}.jsonl"));
    write_log(&log, &loaded, &actions);
    log
}

/// [`recorded_review`], signed with `key`; returns the attestation's path.
fn review_and_sign(repo: &Repo, range: &str, reject: &str, key: &Path, name: &str) -> PathBuf {
    let log = recorded_review(repo, range, reject, name);
    let att = repo.path().join(format!("{name}.att"));
    let out = repo.countersign(&[
        "--key",
        key.to_str().unwrap(),
        "attest",
        log.to_str().unwrap(),
        "--out",
        att.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("attestation signed: ")
            && said.contains(&format!("also written to {}", att.display())),
        "{said}"
    );
    att
}

/// `verify main..feature --from-notes` with `signers`.
fn verify_from_notes(repo: &Repo, signers: &Path) -> Output {
    repo.countersign(&[
        "verify",
        "main..feature",
        "--from-notes",
        "--allowed-signers",
        signers.to_str().unwrap(),
    ])
}

fn verify(repo: &Repo, range: &str, att: &Path, signers: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "verify",
        range,
        "--attestation",
        att.to_str().unwrap(),
        "--allowed-signers",
        signers.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    repo.countersign(&args)
}

fn assert_fails(out: &Output, reason: &str) {
    let said = text(out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("NOT verified"), "{said}");
    assert!(said.contains(reason), "{reason:?} missing:\n{said}");
}

/// The feature branch, approved by Ada in a signed review: the repository, the keys'
/// directory, Ada's key, an allowed_signers file listing her, and the attestation.
fn approved_by_ada() -> (Repo, tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let repo = repo();
    let keys = tempfile::tempdir().unwrap();
    let (ada, ada_line) = key(keys.path(), "ada", "ada@example.com");
    let signers = keys.path().join("allowed_signers");
    std::fs::write(&signers, &ada_line).unwrap();
    let att = review_and_sign(&repo, "main..feature", "no such file", &ada, "s1");
    (repo, keys, ada, signers, att)
}

#[test]
fn a_signed_review_passes_the_gate_and_every_tampering_fails_it() {
    let (repo, keys, ada, signers, att) = approved_by_ada();

    let out = verify(&repo, "main..feature", &att, &signers, &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("verified: all 3 hunks approved by ada@example.com"));
    // The same from the head commit's notes.
    let out = verify_from_notes(&repo, &signers);
    assert!(out.status.success(), "{}", text(&out));

    // A signer allowed_signers does not list.
    let (_, eve_line) = key(keys.path(), "eve", "eve@example.com");
    let eve_only = keys.path().join("eve_signers");
    std::fs::write(&eve_only, &eve_line).unwrap();
    assert_fails(
        &verify(&repo, "main..feature", &att, &eve_only, &[]),
        "a key allowed_signers does not list",
    );

    // A byte flipped in the payload.
    let good = std::fs::read_to_string(&att).unwrap();
    let at = good.find("\"payload\":\"").unwrap() + 40;
    let mut bad = good.clone().into_bytes();
    bad[at] = if bad[at] == b'A' { b'B' } else { b'A' };
    let flipped = repo.path().join("flipped.att");
    std::fs::write(&flipped, bad).unwrap();
    assert_fails(
        &verify(&repo, "main..feature", &flipped, &signers, &[]),
        "flipped.att:1: the signature by SHA256:",
    );

    // The signature of another attestation (another review of the same change) swapped in.
    let other = review_and_sign(&repo, "main..feature", "docs/runbook.md", &ada, "s2");
    let good_json: serde_json::Value = serde_json::from_str(&good).unwrap();
    let mut swapped: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&other).unwrap()).unwrap();
    swapped["payload"] = good_json["payload"].clone();
    assert_ne!(swapped["signatures"], good_json["signatures"]);
    let swapped_path = repo.path().join("swapped.att");
    std::fs::write(&swapped_path, swapped.to_string()).unwrap();
    assert_fails(
        &verify(&repo, "main..feature", &swapped_path, &signers, &[]),
        "swapped.att:1: ",
    );

    // A rejected hunk.
    let rejecting = review_and_sign(&repo, "main..feature", "variables.tf", &ada, "s3");
    let out = verify(&repo, "main..feature", &rejecting, &signers, &[]);
    assert_fails(&out, "variables.tf:1: rejected by ada@example.com");
    assert_fails(&out, "ada@example.com's verdict is changes requested");

    // A justification the current policies need and the reviewer never gave: a policy that
    // now flags the region as a high risk.
    let policies = repo.path().join("extra-policies");
    std::fs::create_dir_all(&policies).unwrap();
    std::fs::write(
        policies.join("region.rego"),
        "package main\n\ndeny contains {\"msg\": \"region outside the EU residency list\", \"severity\": \"high\", \"rule\": \"region-residency\", \"path\": [\"variable\", name, i, \"default\"]} if {\n  some name, i\n  input.variable[name][i].default == \"eu-central-1\"\n}\n",
    )
    .unwrap();
    assert_fails(
        &verify(
            &repo,
            "main..feature",
            &att,
            &signers,
            &["--policies", policies.to_str().unwrap()],
        ),
        "variables.tf:1: no justification for the introduced high finding region-residency",
    );

    // An attestation of a different change: the review of the branch's first commit only.
    repo.write("variables.tf", VARIABLES.replace("eu-west-1", "us-east-1"));
    repo.commit("another region");
    let different = review_and_sign(&repo, "main..feature", "no such file", &ada, "s4");
    repo.write(
        "variables.tf",
        VARIABLES.replace("eu-west-1", "eu-central-1"),
    );
    repo.commit("back");
    assert_fails(
        &verify(&repo, "main..feature", &different, &signers, &[]),
        "is of another change",
    );

    // One line changed in one hunk after the approval: that hunk is named.
    repo.write("variables.tf", VARIABLES.replace("eu-west-1", "eu-north-1"));
    repo.commit("one line changed");
    let out = verify(&repo, "main..feature", &att, &signers, &[]);
    assert_fails(
        &out,
        "variables.tf:1: changed since ada@example.com approved it",
    );
    assert!(!text(&out).contains("main.tf:"), "{}", text(&out));

    // A new hunk added.
    repo.write(
        "variables.tf",
        VARIABLES.replace("eu-west-1", "eu-central-1"),
    )
    .write(
        "outputs.tf",
        "output \"bucket\" {\n  value = aws_s3_bucket.logs.id\n}\n",
    );
    repo.commit("a new file");
    assert_fails(
        &verify(&repo, "main..feature", &att, &signers, &[]),
        "outputs.tf:1: not reviewed",
    );
}

#[test]
fn an_approval_survives_a_rebase_that_only_shifts_lines() {
    let (repo, _keys, _, signers, att) = approved_by_ada();

    // main gains a header on main.tf; the feature is made again on top of it (a rebase).
    let header: String = (1..=8).map(|i| format!("# header line {i}\n")).collect();
    repo.checkout("main");
    repo.write("main.tf", format!("{header}{MAIN_TF}"));
    repo.commit("header");
    repo.branch("rebased");
    write_feature(&repo, &header);

    let out = verify(&repo, "main..rebased", &att, &signers, &[]);
    assert!(out.status.success(), "{}", text(&out));
    // Two reviewers are required for the critical hunk: one is not enough.
    assert_fails(
        &verify(&repo, "main..rebased", &att, &signers, &["--require", "2"]),
        "main.tf:9: a critical finding needs 2 distinct reviewers, 1 approved it",
    );
}

#[test]
fn verify_explains_missing_inputs() {
    let repo = repo();
    let out = repo.countersign(&["verify", "main..feature", "--from-notes"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("--allowed-signers"), "{}", text(&out));
    let signers = repo.path().join("allowed_signers");
    std::fs::write(&signers, "").unwrap();
    let out = verify_from_notes(&repo, &signers);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("has no attestation in refs/notes/countersign"));
}

#[test]
fn passphrase_keys_sign_and_rsa_or_missing_keys_point_to_keygen() {
    let repo = repo();
    let keys = tempfile::tempdir().unwrap();
    let log = recorded_review(&repo, "main..feature", "no such file", "s");
    let attest = |key: &Path, passphrase: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_countersign"));
        cmd.args([
            "--key",
            key.to_str().unwrap(),
            "attest",
            log.to_str().unwrap(),
        ])
        .current_dir(repo.path())
        .env_remove("COUNTERSIGN_KEY_PASSPHRASE");
        if let Some(p) = passphrase {
            cmd.env("COUNTERSIGN_KEY_PASSPHRASE", p);
        }
        cmd.output().unwrap()
    };

    // A passphrase-protected key made by countersign keygen signs with its passphrase.
    let locked = keys.path().join("locked");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args(["--key", locked.to_str().unwrap(), "keygen"])
        .env("COUNTERSIGN_KEY_PASSPHRASE", "correct horse battery")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = attest(&locked, Some("correct horse battery"));
    assert!(out.status.success(), "{}", text(&out));
    let wrong = attest(&locked, Some("wrong"));
    assert_eq!(wrong.status.code(), Some(2), "{}", text(&wrong));

    // A missing key says how to make one.
    let out = attest(&keys.path().join("none"), None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("countersign keygen"), "{}", text(&out));

    // So does an RSA key (made with OpenSSH's ssh-keygen, where it is installed).
    let mut probe = std::process::Command::new("sh");
    probe.args(["-c", "command -v ssh-keygen"]);
    if common::outside_program("ssh-keygen (openssh-client)", &mut probe) {
        let rsa = keys.path().join("rsa");
        let made = std::process::Command::new("ssh-keygen")
            .args([
                "-q",
                "-t",
                "rsa",
                "-b",
                "2048",
                "-N",
                "",
                "-f",
                rsa.to_str().unwrap(),
            ])
            .status()
            .unwrap();
        assert!(made.success());
        let out = attest(&rsa, None);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(text(&out).contains("countersign keygen"), "{}", text(&out));
    }
}
