//! `countersign verify`: the CI gate. Recomputes the change and the current policies' findings,
//! checks each attestation's signature and signer against allowed_signers, then judges the
//! change against what the signers decided. Exit 0 verified, 1 not, 2 bad input.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::attest::allowed_signers::AllowedSigners;
use crate::attest::dsse::Envelope;
use crate::attest::gate::{Attested, Problem, judge};
use crate::attest::notes;
use crate::attest::review_statement::change_digest;
use crate::attest::sshsig::NAMESPACE;
use crate::attest::statement::Statement;
use crate::attest::verify::verify;
use crate::cli::{Cli, ListFormat, VerifyArgs};
use crate::error::{Error, Result};
use crate::model::SourceInfo;

/// A signed statement whose signer checked.
struct Signed {
    principal: String,
    keyid: String,
    statement: Statement,
}

/// Runs `verify`; `Ok(false)` when the change is not verified.
pub fn run(args: &VerifyArgs, cli: &Cli) -> Result<bool> {
    let root = super::review::repo_root(Path::new("."));
    let config = crate::config::Config::load(cli.config.as_deref(), &root)?;
    let busy = super::progress::spinner("loading the change and evaluating the policies");
    let loaded = super::review::load(
        &args.source.source(),
        args.source.linked_plan(),
        &args.policy,
        String::new(),
        0,
        &config.authorship,
    )?;
    let now = loaded.state;
    let digest = change_digest(&now.change);
    let signers = AllowedSigners::load(&allowed_signers_path(args)?)?;
    let mut refusals = Vec::new();
    let mut signed = Vec::new();
    for (label, line) in attestation_lines(args, &now.change.source)? {
        match check_signature(&line, &signers) {
            Ok(s) => signed.push(s),
            Err(why) => refusals.push(format!("{label}: {why}")),
        }
    }
    let attested: Vec<Attested> = signed
        .iter()
        .map(|s| Attested {
            principal: s.principal.clone(),
            statement: &s.statement,
        })
        .collect();
    let problems = judge(&now, &digest, &attested, args.require);
    drop(busy);
    let ok = refusals.is_empty() && problems.is_empty() && !signed.is_empty();
    match args.format {
        ListFormat::Json => {
            let report = json!({
                "verified": ok,
                "change_sha256": digest,
                "hunks": now.hunks.len(),
                "attestations": signed.iter().map(|s| json!({
                    "signer": s.principal,
                    "key": s.keyid,
                    "session": s.statement.predicate.session.id,
                    "verdict": s.statement.predicate.verdict,
                })).collect::<Vec<_>>(),
                "refused": refusals,
                "problems": problems.iter().map(|p| json!({
                    "kind": p.kind(),
                    "message": p.to_string(),
                })).collect::<Vec<_>>(),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        ListFormat::Text => print!(
            "{}",
            text_report(ok, now.hunks.len(), &signed, &refusals, &problems)
        ),
    }
    Ok(ok)
}

/// The human report: the verdict, who signed, and every reason it fails.
fn text_report(
    ok: bool,
    hunks: usize,
    signed: &[Signed],
    refusals: &[String],
    problems: &[Problem],
) -> String {
    let mut out = String::new();
    let signers: Vec<String> = signed
        .iter()
        .map(|s| format!("{} ({})", s.principal, s.keyid))
        .collect();
    if ok {
        out.push_str(&format!(
            "verified: all {hunks} hunks approved by {}\n",
            signers.join(", ")
        ));
        return out;
    }
    out.push_str("NOT verified:\n");
    if signed.is_empty() {
        out.push_str("  no attestation with a valid signature by an allowed signer\n");
    }
    for r in refusals {
        out.push_str(&format!("  {r}\n"));
    }
    for p in problems {
        out.push_str(&format!("  {p}\n"));
    }
    out
}

/// `--allowed-signers`, else git's gpg.ssh.allowedSignersFile.
fn allowed_signers_path(args: &VerifyArgs) -> Result<PathBuf> {
    if let Some(p) = &args.allowed_signers {
        return Ok(p.clone());
    }
    crate::source::git::config_at(Path::new("."))
        .and_then(|c| c.get_path("gpg.ssh.allowedSignersFile").ok())
        .ok_or_else(|| {
            Error::Usage(
                "who may sign? pass --allowed-signers FILE (or set git config gpg.ssh.allowedSignersFile)"
                    .into(),
            )
        })
}

/// Each attestation to check, with where it came from (`file:line` or the note).
fn attestation_lines(args: &VerifyArgs, source: &SourceInfo) -> Result<Vec<(String, String)>> {
    let (label, text) = match (&args.attestation, source) {
        (Some(path), _) => (
            path.display().to_string(),
            std::fs::read_to_string(path).map_err(|e| Error::unreadable(path, e))?,
        ),
        (None, SourceInfo::GitRange { head, .. }) => {
            let text = notes::read(Path::new("."), head)?.ok_or_else(|| {
                Error::Failed(format!(
                    "NOT verified: commit {head} has no attestation in {} (fetch them with `git fetch origin {0}:{0}`)",
                    notes::NOTES_REF
                ))
            })?;
            (format!("note on {}", &head[..head.len().min(10)]), text)
        }
        (None, _) => {
            return Err(Error::Usage(
                "--from-notes needs a git range; for a patch or plan pass --attestation FILE"
                    .into(),
            ));
        }
    };
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (format!("{label}:{}", i + 1), l.to_string()))
        .collect())
}

/// Checks one envelope: parsed, signed by a key allowed_signers lists, the signature valid,
/// and the signer allowed, as the reviewer the statement names, when the review finished.
fn check_signature(line: &str, signers: &AllowedSigners) -> Result<Signed, String> {
    let envelope = Envelope::from_json(line.as_bytes()).map_err(|e| e.to_string())?;
    let keyid = envelope
        .signatures
        .first()
        .map(|s| s.keyid.clone())
        .ok_or("the envelope has no signatures")?;
    let key = signers
        .key_with_fingerprint(&keyid)
        .ok_or_else(|| format!("signed by {keyid}, a key allowed_signers does not list"))?;
    let statement = verify(&envelope, key).map_err(|e| e.to_string())?;
    let predicate = &statement.predicate;
    let entries = signers
        .principals_for(key, NAMESPACE, predicate.finished.0)
        .map_err(|refusal| format!("signer {keyid}: {refusal}"))?;
    let email = &predicate.reviewer.email;
    if !entries.iter().any(|e| e.principals.matches(email)) {
        return Err(format!(
            "the attestation names reviewer {email:?}, but allowed_signers lists key {keyid} for {}",
            entries
                .iter()
                .map(|e| e.principals.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(Signed {
        principal: email.clone(),
        keyid,
        statement,
    })
}
