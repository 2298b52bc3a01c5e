//! Attestations as git notes on the reviewed head commit, under `refs/notes/countersign`, so they
//! travel with `git push origin refs/notes/countersign`. A note holds one envelope per line, one
//! per signing key: a new attestation by the same key replaces the earlier one.

use std::path::Path;

use super::dsse::Envelope;
use crate::error::{Error, Result};

/// The notes ref attestations are stored under.
pub const NOTES_REF: &str = "refs/notes/countersign";

/// The note `text` with `envelope` (one JSON line) added, replacing any line signed by the
/// same key.
pub fn with_envelope(text: &str, envelope: &Envelope) -> String {
    let keyids: Vec<&str> = envelope
        .signatures
        .iter()
        .map(|s| s.keyid.as_str())
        .collect();
    let mut out = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let same_key = Envelope::from_json(line.as_bytes()).is_ok_and(|e| {
            e.signatures
                .iter()
                .any(|s| keyids.contains(&s.keyid.as_str()))
        });
        if !same_key {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(envelope.to_json_line().trim_end());
    out.push('\n');
    out
}

/// Adds `envelope` to the note on `commit` in the repository around `dir`.
pub fn add(dir: &Path, commit: &str, envelope: &Envelope) -> Result<()> {
    let repo = git2::Repository::discover(dir).map_err(|e| git(dir, e))?;
    let oid = git2::Oid::from_str(commit).map_err(|e| git(dir, e))?;
    let existing = repo
        .find_note(Some(NOTES_REF), oid)
        .ok()
        .and_then(|n| n.message().ok().map(str::to_string))
        .unwrap_or_default();
    let text = with_envelope(&existing, envelope);
    let signature = repo
        .signature()
        .or_else(|_| git2::Signature::now("countersign", "countersign@localhost"))
        .map_err(|e| git(dir, e))?;
    repo.note(&signature, &signature, Some(NOTES_REF), oid, &text, true)
        .map_err(|e| git(dir, e))?;
    Ok(())
}

/// The envelope lines of the note on `commit`, if it has one.
pub fn read(dir: &Path, commit: &str) -> Result<Option<String>> {
    let repo = git2::Repository::discover(dir).map_err(|e| git(dir, e))?;
    let oid = git2::Oid::from_str(commit).map_err(|e| git(dir, e))?;
    Ok(repo
        .find_note(Some(NOTES_REF), oid)
        .ok()
        .and_then(|n| n.message().ok().map(str::to_string)))
}

fn git(dir: &Path, e: git2::Error) -> Error {
    Error::input(
        dir.display().to_string(),
        format!("git notes: {}", e.message()),
    )
}
