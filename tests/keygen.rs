//! `countersign keygen` run as a user would, with HOME in a temporary directory.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

/// Runs `countersign ARGS` with HOME (and git's user configuration) under `home`, in `home`.
fn keygen(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_countersign"))
        .arg("keygen")
        .args(args)
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("COUNTERSIGN_KEY_PASSPHRASE")
        .output()
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn writes_the_default_key_with_safe_modes_and_prints_its_allowed_signers_line() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".gitconfig"),
        "[user]\n\tname = Ada\n\temail = ada@example.com\n",
    )
    .unwrap();
    let text = stdout(&keygen(home.path(), &["--no-passphrase"]));
    let ssh = home.path().join(".ssh");
    assert_eq!(mode(&ssh), 0o700);
    assert_eq!(mode(&ssh.join("id_ed25519")), 0o600);
    let public = std::fs::read_to_string(ssh.join("id_ed25519.pub")).unwrap();
    assert!(public.starts_with("ssh-ed25519 AAAA"), "{public}");
    assert!(
        public.trim_end().ends_with(" ada@example.com"),
        "comment is the email: {public}"
    );
    assert!(text.contains("not encrypted"), "{text}");
    assert!(text.contains("fingerprint  SHA256:"), "{text}");
    let key_field = public.split_whitespace().nth(1).unwrap();
    assert!(
        text.contains(&format!(
            "ada@example.com namespaces=\"countersign\" ssh-ed25519 {key_field}\n"
        )),
        "{text}"
    );
}

#[test]
fn never_overwrites_a_key() {
    let home = tempfile::tempdir().unwrap();
    let ssh = home.path().join(".ssh");
    std::fs::create_dir(&ssh).unwrap();
    std::fs::write(ssh.join("id_ed25519"), "my precious key").unwrap();
    let out = keygen(home.path(), &["--no-passphrase"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".ssh/id_ed25519: already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(ssh.join("id_ed25519")).unwrap(),
        "my precious key"
    );
    assert!(!ssh.join("id_ed25519.pub").exists());
}

#[test]
fn writes_where_key_says_with_the_given_comment_and_reviewer() {
    let home = tempfile::tempdir().unwrap();
    let text = stdout(&keygen(
        home.path(),
        &[
            "--key",
            "ci/reviewer",
            "--comment",
            "release key",
            "--no-passphrase",
            "--reviewer",
            "Bob Builder <bob@example.com>",
        ],
    ));
    let public = std::fs::read_to_string(home.path().join("ci/reviewer.pub")).unwrap();
    assert!(public.trim_end().ends_with(" release key"), "{public}");
    assert!(
        text.contains("\nbob@example.com namespaces=\"countersign\" ssh-ed25519 "),
        "{text}"
    );
    assert!(!home.path().join(".ssh").exists());
}

#[test]
fn without_a_terminal_a_passphrase_must_be_declined_or_given() {
    let home = tempfile::tempdir().unwrap();
    let out = keygen(home.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--no-passphrase") && err.contains("COUNTERSIGN_KEY_PASSPHRASE"),
        "{err}"
    );
    assert!(!home.path().join(".ssh/id_ed25519").exists());
}

#[test]
fn without_an_email_it_says_how_to_get_the_line() {
    let home = tempfile::tempdir().unwrap();
    let text = stdout(&keygen(home.path(), &["--no-passphrase"]));
    assert!(text.contains("git config user.email"), "{text}");
    assert!(
        text.trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("namespaces=\"countersign\" ssh-ed25519 "),
        "{text}"
    );
}

#[test]
fn says_when_git_signs_with_another_key() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".gitconfig"),
        "[user]\n\temail = ada@example.com\n\tsigningkey = ~/.ssh/work_key.pub\n[gpg]\n\tformat = ssh\n",
    )
    .unwrap();
    let out = keygen(home.path(), &["--no-passphrase"]);
    stdout(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("user.signingkey names") && err.contains("work_key"),
        "{err}"
    );
}
