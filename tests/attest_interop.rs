//! Attestations checked by other people's tools: the DSSE envelope by securesystemslib, the
//! SSHSIG by `ssh-keygen -Y verify`, keys made by `ssh-keygen` and by `countersign keygen`,
//! and allowed_signers decisions compared with ssh-keygen's.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{TimeZone, Utc};
use countersign::attest::allowed_signers::{AllowedSigners, line_for};
use countersign::attest::dsse::{Envelope, decode_base64, encode_base64};
use countersign::attest::key_location::{KeyLocation, KeyOrigin};
use countersign::attest::predicate::{
    FindingRef, HunkDecision, HunkReview, LineRange, ReviewPredicate, ReviewedSource, Reviewer,
    SessionRef, Timestamp, Tool, Verdict,
};
use countersign::attest::sign::sign;
use countersign::attest::signing_key::{KeyError, Passphrase, SigningKey, load};
use countersign::attest::sshsig::NAMESPACE;
use countersign::attest::statement::{ResourceDescriptor, Statement};
use countersign::attest::verify::verify;
use countersign::policy::finding::Severity;
use zeroize::Zeroizing;

fn have_ssh_keygen() -> bool {
    common::outside_program(
        "ssh-keygen (openssh-client)",
        Command::new("sh").args(["-c", "command -v ssh-keygen"]),
    )
}

fn have_securesystemslib() -> bool {
    common::outside_program(
        "python3 with securesystemslib[crypto]",
        Command::new("python3").args([
            "-c",
            "import securesystemslib.dsse, securesystemslib.signer, cryptography",
        ]),
    )
}

/// Runs `ssh-keygen ARGS`, feeding `stdin`.
fn ssh_keygen(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new("ssh-keygen")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// A new key made by `ssh-keygen -t TYPE` at `dir/name`, with `passphrase`.
fn ssh_keygen_key(dir: &Path, name: &str, key_type: &str, passphrase: &str) -> PathBuf {
    let path = dir.join(name);
    let out = ssh_keygen(
        &[
            "-q",
            "-t",
            key_type,
            "-N",
            passphrase,
            "-C",
            "ada@example.com",
            "-f",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

fn location(path: &Path) -> KeyLocation {
    KeyLocation {
        path: path.to_path_buf(),
        named_public: None,
        origin: KeyOrigin::Option,
    }
}

fn statement(fingerprint: &str) -> Statement {
    let at = |s| Timestamp(Utc.timestamp_opt(s, 0).unwrap());
    Statement::new(
        vec![
            ResourceDescriptor::git_commit("main..feature", "b".repeat(40)),
            ResourceDescriptor::change("c".repeat(64)),
        ],
        ReviewPredicate {
            reviewer: Reviewer {
                name: "Ada".into(),
                email: "ada@example.com".into(),
                key_fingerprint: fingerprint.into(),
            },
            tool: Tool::countersign(),
            source: ReviewedSource::Range {
                range: "main..feature".into(),
                base: "a".repeat(40),
                head: "b".repeat(40),
            },
            policy_bundle: [("sha256".to_string(), "d".repeat(64))].into(),
            started: at(1_750_000_000),
            finished: at(1_750_000_300),
            session: SessionRef {
                id: "session-1".into(),
                final_chain_hash: "e".repeat(64),
            },
            verdict: Verdict::Approved,
            hunks: vec![HunkReview {
                id: "f".repeat(64),
                file: "infra/iam.tf".into(),
                old_lines: LineRange { start: 4, count: 2 },
                new_lines: LineRange { start: 4, count: 3 },
                decision: HunkDecision::Approved,
                decided_at: at(1_750_000_200),
                time_on_hunk_ms: 9_000,
                findings: vec![FindingRef {
                    rule: "aws_iam.wildcard_action".into(),
                    severity: Severity::High,
                }],
                justification: Some("break-glass role".into()),
                comment: None,
                ai_authored: false,
            }],
        },
    )
}

/// The fingerprint `ssh-keygen -l` prints for a public key file.
fn ssh_keygen_fingerprint(public: &Path) -> String {
    let out = ssh_keygen(&["-l", "-E", "sha256", "-f", public.to_str().unwrap()], b"");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string()
}

/// `ssh-keygen -Y verify` of `sshsig` over `payload` for `principal` against `allowed`.
fn ssh_keygen_verifies(
    dir: &Path,
    allowed: &str,
    principal: &str,
    sshsig: &str,
    payload: &[u8],
) -> bool {
    let allowed_file = dir.join("allowed_signers");
    let sig_file = dir.join("payload.sig");
    std::fs::write(&allowed_file, allowed).unwrap();
    std::fs::write(&sig_file, sshsig).unwrap();
    let out = ssh_keygen(
        &[
            "-Y",
            "verify",
            "-f",
            allowed_file.to_str().unwrap(),
            "-I",
            principal,
            "-n",
            NAMESPACE,
            "-s",
            sig_file.to_str().unwrap(),
        ],
        payload,
    );
    out.status.success()
}

/// securesystemslib's verdict on `envelope` for `key`; prints what it says.
fn securesystemslib_verifies(dir: &Path, envelope: &Envelope, key: &SigningKey) -> bool {
    let file = dir.join("attestation.intoto.jsonl");
    std::fs::write(&file, envelope.to_json_line()).unwrap();
    let public = key.public_key().key_data().ed25519().unwrap().0;
    let public_hex: String = public.iter().map(|b| format!("{b:02x}")).collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/verify_dsse.py");
    let out = Command::new("python3")
        .arg(script)
        .args([file.to_str().unwrap(), &public_hex, &key.fingerprint()])
        .output()
        .unwrap();
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "https://countersign.dev/attestation/review/v1"
        );
    }
    out.status.success()
}

/// Signs a statement with `key` and has both outside tools check it, and reject it tampered.
fn check_outside(dir: &Path, key: &SigningKey) {
    let envelope = sign(&statement(&key.fingerprint()), key).unwrap();
    assert!(verify(&envelope, key.public_key()).is_ok());
    let payload = decode_base64(&envelope.payload).unwrap();
    let sshsig = envelope.signatures[0].sshsig.clone().unwrap();
    let allowed = format!("{}\n", line_for("ada@example.com", key.public_key()));

    if have_ssh_keygen() {
        assert!(ssh_keygen_verifies(
            dir,
            &allowed,
            "ada@example.com",
            &sshsig,
            &payload
        ));
        let mut tampered = payload.clone();
        let at = tampered.len() / 2;
        tampered[at] ^= 0x20;
        assert!(!ssh_keygen_verifies(
            dir,
            &allowed,
            "ada@example.com",
            &sshsig,
            &tampered
        ));
        assert!(!ssh_keygen_verifies(
            dir,
            &allowed,
            "eve@example.com",
            &sshsig,
            &payload
        ));
    }
    if have_securesystemslib() {
        assert!(securesystemslib_verifies(dir, &envelope, key));
        let mut tampered = envelope.clone();
        let mut bytes = payload.clone();
        bytes[10] ^= 1;
        tampered.payload = encode_base64(&bytes);
        assert!(!securesystemslib_verifies(dir, &tampered, key));
    }
}

#[test]
fn a_key_made_by_ssh_keygen_signs_what_securesystemslib_and_ssh_keygen_verify() {
    if !have_ssh_keygen() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = ssh_keygen_key(dir.path(), "id_ed25519", "ed25519", "");
    let key = load(&location(&path), &Passphrase::Prompt).unwrap();
    assert_eq!(
        key.fingerprint(),
        ssh_keygen_fingerprint(&dir.path().join("id_ed25519.pub"))
    );
    check_outside(dir.path(), &key);
}

#[test]
fn a_key_made_by_countersign_keygen_signs_what_both_verify() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args([
            "keygen",
            "--no-passphrase",
            "--reviewer",
            "Ada <ada@example.com>",
        ])
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env_remove("COUNTERSIGN_KEY_PASSPHRASE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = home.path().join(".ssh/id_ed25519");
    let key = load(&location(&path), &Passphrase::Prompt).unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains(&key.fingerprint()), "{stdout}");
    let printed_line = stdout.lines().last().unwrap();
    assert_eq!(printed_line, line_for("ada@example.com", key.public_key()));

    if have_ssh_keygen() {
        assert_eq!(
            key.fingerprint(),
            ssh_keygen_fingerprint(&home.path().join(".ssh/id_ed25519.pub"))
        );
        // OpenSSH reads the private key countersign wrote.
        let out = ssh_keygen(&["-y", "-f", path.to_str().unwrap()], b"");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let public = std::fs::read_to_string(home.path().join(".ssh/id_ed25519.pub")).unwrap();
        assert!(public.starts_with(String::from_utf8(out.stdout).unwrap().trim()));
        // The line keygen printed is what ssh-keygen's allowed_signers takes.
        let envelope = sign(&statement(&key.fingerprint()), &key).unwrap();
        let payload = decode_base64(&envelope.payload).unwrap();
        let sshsig = envelope.signatures[0].sshsig.as_deref().unwrap();
        assert!(ssh_keygen_verifies(
            home.path(),
            &format!("{printed_line}\n"),
            "ada@example.com",
            sshsig,
            &payload
        ));
    }
    check_outside(home.path(), &key);
}

#[test]
fn passphrase_protected_keys_from_both_tools_sign() {
    let home = tempfile::tempdir().unwrap();
    let given = |p: &str| Passphrase::Given(Zeroizing::new(p.to_string()));
    // countersign keygen encrypts with COUNTERSIGN_KEY_PASSPHRASE when it is set.
    let out = Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args([
            "keygen",
            "--key",
            "keys/signing",
            "--reviewer",
            "ada@example.com",
        ])
        .current_dir(home.path())
        .env("HOME", home.path())
        .env("COUNTERSIGN_KEY_PASSPHRASE", "correct horse")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("passphrase-protected"));
    let ours = home.path().join("keys/signing");
    let mut paths = vec![(ours.clone(), "correct horse")];
    if have_ssh_keygen() {
        let out = ssh_keygen(
            &["-y", "-P", "correct horse", "-f", ours.to_str().unwrap()],
            b"",
        );
        assert!(
            out.status.success(),
            "OpenSSH decrypts it: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        paths.push((
            ssh_keygen_key(home.path(), "id_openssh", "ed25519", "battery staple"),
            "battery staple",
        ));
    }
    for (path, passphrase) in paths {
        let key = load(&location(&path), &given(passphrase)).unwrap();
        let envelope = sign(&statement(&key.fingerprint()), &key).unwrap();
        assert!(verify(&envelope, key.public_key()).is_ok());
        let err = load(&location(&path), &given("wrong")).unwrap_err();
        assert!(matches!(err, KeyError::WrongPassphrase { .. }), "{err}");
        let err = load(&location(&path), &Passphrase::Prompt).unwrap_err();
        assert!(
            err.to_string().contains("COUNTERSIGN_KEY_PASSPHRASE"),
            "without a terminal: {err}"
        );
    }
}

#[test]
fn rsa_ecdsa_and_missing_keys_point_to_keygen() {
    let dir = tempfile::tempdir().unwrap();
    let err = load(
        &location(&dir.path().join("id_ed25519")),
        &Passphrase::Prompt,
    )
    .unwrap_err();
    assert!(matches!(err, KeyError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("countersign keygen"), "{err}");
    if !have_ssh_keygen() {
        return;
    }
    for (key_type, name) in [("rsa", "ssh-rsa"), ("ecdsa", "ecdsa-sha2-nistp256")] {
        let path = ssh_keygen_key(dir.path(), &format!("id_{key_type}"), key_type, "");
        let err = load(&location(&path), &Passphrase::Prompt).unwrap_err();
        assert!(matches!(err, KeyError::Unsupported { .. }), "{err}");
        let message = err.to_string();
        assert!(
            message.contains(name) && message.contains("countersign keygen"),
            "{message}"
        );
        assert_eq!(countersign::Error::from(err).exit_code(), 2);
    }
}

#[test]
fn allowed_signers_decisions_agree_with_ssh_keygen() {
    if !have_ssh_keygen() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = ssh_keygen_key(dir.path(), "id_ed25519", "ed25519", "");
    let key = load(&location(&path), &Passphrase::Prompt).unwrap();
    let envelope = sign(&statement(&key.fingerprint()), &key).unwrap();
    let payload = decode_base64(&envelope.payload).unwrap();
    let sshsig = envelope.signatures[0].sshsig.clone().unwrap();
    let public = key.public_key().to_openssh().unwrap();
    let now = Utc::now();
    let cases = [
        ("ada@example.com", "ada@example.com", ""),
        ("ada@example.com", "bob@example.com", ""),
        ("*@example.com,!mallory@example.com", "ada@example.com", ""),
        (
            "*@example.com,!mallory@example.com",
            "mallory@example.com",
            "",
        ),
        (
            "ad?@example.com",
            "ada@example.com",
            "namespaces=\"git,counter*\" ",
        ),
        ("ada@example.com", "ada@example.com", "namespaces=\"git\" "),
        (
            "ada@example.com",
            "ada@example.com",
            "valid-after=\"20200101\",valid-before=\"29991231Z\" ",
        ),
        (
            "ada@example.com",
            "ada@example.com",
            "valid-after=\"29990101Z\" ",
        ),
        (
            "ada@example.com",
            "ada@example.com",
            "valid-before=\"202001010000\" ",
        ),
        ("ada@example.com", "ada@example.com", "cert-authority "),
    ];
    for (principals, principal, options) in cases {
        let allowed = format!("# team\n{principals} {options}{public}\n");
        let file = AllowedSigners::parse(&allowed, "allowed_signers").unwrap();
        let ours = file
            .principals_for(key.public_key(), NAMESPACE, now)
            .is_ok_and(|entries| entries.iter().any(|e| e.principals.matches(principal)));
        let theirs = ssh_keygen_verifies(dir.path(), &allowed, principal, &sshsig, &payload);
        assert_eq!(ours, theirs, "{principal} against: {allowed}");
    }
}
