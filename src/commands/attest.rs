//! Signing a finished review: its statement (from the session log) in a DSSE envelope signed
//! with the reviewer's key, kept beside the log, written to `--out`, and for a git range added
//! to the head commit's notes. `countersign attest` does it for a session finished earlier.

use std::path::{Path, PathBuf};

use crate::attest::key_location::{GitSigningConfig, KeyOrigin, locate};
use crate::attest::notes;
use crate::attest::review_statement::statement_for;
use crate::attest::sign::sign;
use crate::attest::signing_key::{KeyError, Passphrase, load};
use crate::cli::{AttestArgs, Cli};
use crate::error::{Error, Result};
use crate::model::SourceInfo;
use crate::session::record::{Body, Ending};
use crate::session::replay::Replay;
use crate::session::store::{Store, read_log};

/// Runs `attest` and says where the attestation went.
pub fn run(args: &AttestArgs, cli: &Cli) -> Result<Signed> {
    let store = Store::locate(cli.store.as_deref(), Path::new("."))?;
    let path = store.find(&args.session)?;
    let signed = sign_session(&path, cli, args.out.as_deref())?;
    announce(&signed, args.out.as_deref());
    Ok(signed)
}

/// Prints where a signed attestation went.
fn announce(signed: &Signed, out: Option<&Path>) {
    println!("attestation signed: {}", signed.kept.display());
    if let Some(out) = out {
        println!("  also written to {}", out.display());
    }
    if signed.noted {
        println!(
            "  and added to the head commit's notes ({})",
            notes::NOTES_REF
        );
    }
}

/// Where a signed attestation went.
pub struct Signed {
    /// Beside the session log, `<id>.intoto.jsonl`.
    pub kept: PathBuf,
    /// Added to the head commit's notes (a git range).
    pub noted: bool,
}

/// Signs the finished session whose log is at `path`.
pub fn sign_session(path: &Path, cli: &Cli, out: Option<&Path>) -> Result<Signed> {
    let log = read_log(path)?;
    let finished = matches!(
        log.records.last().map(|r| &r.body),
        Some(Body::End {
            ending: Ending::Finished,
            ..
        })
    );
    if !finished {
        return Err(Error::Usage(format!(
            "{}: the review is not finished; resume it with `countersign review --resume`",
            path.display()
        )));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let location = locate(
        cli.key.as_deref(),
        &GitSigningConfig::read(Path::new(".")),
        home.as_deref(),
    )?;
    let key = load(&location, &Passphrase::from_env())?;
    let state = Replay::new(&log).finish();
    let statement = statement_for(&log, &state, &key.fingerprint());
    let envelope = sign(&statement, &key)?;
    let line = envelope.to_json_line();
    let kept = path.with_extension("intoto.jsonl");
    let write = |to: &Path| {
        std::fs::write(to, &line)
            .map_err(|e| Error::input(to.display().to_string(), format!("cannot write: {e}")))
    };
    write(&kept)?;
    if let Some(out) = out {
        write(out)?;
    }
    let noted = match &state.change.source {
        SourceInfo::GitRange { head, .. } => {
            notes::add(Path::new("."), head, &envelope)?;
            true
        }
        _ => false,
    };
    Ok(Signed { kept, noted })
}

/// Signs a review that just finished and says where its attestation went. Without `--key`,
/// git's signing key or the default key file, the review stays unsigned with a note on how to
/// sign it later; any other key problem is an error.
pub fn sign_finished(path: &Path, id: &str, cli: &Cli, out: Option<&Path>) -> Result<()> {
    match sign_session(path, cli, out) {
        Ok(signed) => {
            announce(&signed, out);
            Ok(())
        }
        Err(e) if cli.key.is_none() && default_key_missing() => {
            println!(
                "not signed: {e}\n  after `countersign keygen`, `countersign attest {id}` signs this review"
            );
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// True when no key is configured and the default key file does not exist.
fn default_key_missing() -> bool {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match locate(
        None,
        &GitSigningConfig::read(Path::new(".")),
        home.as_deref(),
    ) {
        Ok(l) => l.origin == KeyOrigin::Default && !l.path.exists(),
        Err(KeyError::NoHome) => true,
        Err(_) => false,
    }
}
