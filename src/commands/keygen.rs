//! `countersign keygen`: a new OpenSSH ed25519 key pair to sign reviews with, and the
//! allowed_signers line that lets it sign.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::attest::allowed_signers::line_for;
use crate::attest::key_location::{GitSigningConfig, KeyOrigin, default_key_path, locate};
use crate::attest::new_key::{generate, refuse_existing, write_key_pair};
use crate::attest::review_statement::split_reviewer;
use crate::attest::signing_key::PASSPHRASE_VAR;
use crate::cli::{Cli, KeygenArgs};
use crate::error::{Error, Result};

/// Runs `keygen`.
pub fn run(args: &KeygenArgs, cli: &Cli) -> Result<()> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let path = match &cli.key {
        Some(p) => p.clone(),
        None => default_key_path(home.as_deref())?,
    };
    refuse_existing(&path)?;
    let email = reviewer_email(cli);
    let comment = args
        .comment
        .clone()
        .or_else(|| email.clone())
        .unwrap_or_else(|| "countersign".into());
    let passphrase = passphrase(args)?;
    let key = generate(&comment)?;
    let public = write_key_pair(&key, &path, &passphrase)?;

    let protection = if passphrase.is_empty() {
        "not encrypted"
    } else {
        "passphrase-protected"
    };
    println!("Created an ed25519 key pair for signing reviews:");
    println!("  private key  {} ({protection})", path.display());
    println!("  public key   {}", public.display());
    println!(
        "  fingerprint  {}",
        key.fingerprint(ssh_key::HashAlg::Sha256)
    );
    println!();
    match email {
        Some(email) => {
            println!("Its allowed_signers line (one per reviewer, in the file CI trusts):");
            println!("{}", line_for(&email, key.public_key()));
        }
        None => {
            println!(
                "Its allowed_signers line is the reviewer's email followed by this (no email is \
                 known: set git config user.email, or pass --reviewer \"Name <email>\"):"
            );
            println!("{}", line_for("", key.public_key()).trim_start());
        }
    }
    if cli.key.is_none() {
        note_other_signing_key(&path, home.as_deref());
    }
    Ok(())
}

/// The passphrase for the new key: none with --no-passphrase, else COUNTERSIGN_KEY_PASSPHRASE,
/// else typed twice on the terminal (empty for none).
fn passphrase(args: &KeygenArgs) -> Result<Zeroizing<String>> {
    if args.no_passphrase {
        return Ok(Zeroizing::new(String::new()));
    }
    if let Ok(given) = std::env::var(PASSPHRASE_VAR) {
        return Ok(Zeroizing::new(given));
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage(format!(
            "no terminal to ask for a passphrase on: pass --no-passphrase, or set {PASSPHRASE_VAR}"
        )));
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| Error::Usage(format!("cannot read the passphrase: {e}")))
    };
    let first = ask("Enter passphrase (empty for no passphrase): ")?;
    let second = ask("Enter the same passphrase again: ")?;
    if first != second {
        return Err(Error::Usage(
            "the passphrases differ; no key was written".into(),
        ));
    }
    Ok(first)
}

/// The reviewer's email: from `--reviewer "Name <email>"`, else git's user.email.
fn reviewer_email(cli: &Cli) -> Option<String> {
    if let Some(reviewer) = &cli.reviewer {
        return Some(split_reviewer(reviewer).1).filter(|e| e.contains('@'));
    }
    crate::source::git::config_at(Path::new("."))?
        .get_string("user.email")
        .ok()
        .filter(|e| !e.is_empty())
}

/// Warns when git's configuration makes countersign sign with another key than the new one.
fn note_other_signing_key(new_key: &Path, home: Option<&Path>) {
    match locate(None, &GitSigningConfig::read(Path::new(".")), home) {
        Ok(found) if found.origin == KeyOrigin::GitConfig && found.path != new_key => eprintln!(
            "note: git config user.signingkey names {}, which countersign signs with unless \
             --key {} is given",
            found.path.display(),
            new_key.display()
        ),
        Err(e) => eprintln!("note: {e}"),
        Ok(_) => {}
    }
}
