//! The statement a finished review attests: built from its session log and final state, so
//! what is signed is exactly what was recorded.

use chrono::{DateTime, Utc};

use super::predicate::{
    DigestSet, FindingRef, HunkDecision, HunkReview, LineRange, ReviewPredicate, ReviewedSource,
    Reviewer, SessionRef, Timestamp, Tool, Verdict,
};
use super::statement::{ResourceDescriptor, Statement};
use crate::model::{ChangeSet, SourceInfo, sha256_hex};
use crate::policy::finding::Origin;
use crate::review::State;
use crate::review::state::{Decision, Verdict as ReviewVerdict};
use crate::session::chain::Log;
use crate::session::record::Body;
use crate::session::replay::start_of;

/// The digest that names a change: for a git range, the sha256 of its hunk ids in order (one
/// per line), so a rebase that only shifts lines keeps it; for a patch or a plan, the file's
/// sha256.
pub fn change_digest(change: &ChangeSet) -> String {
    match &change.source {
        SourceInfo::GitRange { .. } => {
            let mut ids = String::new();
            for (_, hunk) in change.hunks() {
                ids.push_str(hunk.id.as_str());
                ids.push('\n');
            }
            sha256_hex(ids.as_bytes())
        }
        SourceInfo::Patch { sha256, .. } | SourceInfo::Plan { sha256, .. } => sha256.clone(),
    }
}

/// `Name <email>` split into its parts. A reviewer given as a bare address (`ada@example.com`)
/// is both; the email is empty when there is none.
pub fn split_reviewer(reviewer: &str) -> (String, String) {
    match reviewer.rsplit_once('<') {
        Some((name, rest)) if rest.ends_with('>') => (
            name.trim().to_string(),
            rest.trim_end_matches('>').trim().to_string(),
        ),
        _ if reviewer.contains('@') => (reviewer.trim().to_string(), reviewer.trim().to_string()),
        _ => (reviewer.trim().to_string(), String::new()),
    }
}

/// The statement of the finished review `state` recorded in `log`, signed by the key with
/// `fingerprint`.
pub fn statement_for(log: &Log, state: &State, fingerprint: &str) -> Statement {
    let start = start_of(log);
    let wall_at = |ms: u64| {
        log.records
            .iter()
            .find(|r| matches!(r.body, Body::Action { .. }) && r.ms() == ms)
            .map_or(start.wall.as_str(), |r| r.wall())
    };
    let policy_bundle = log
        .records
        .iter()
        .rev()
        .find_map(|r| match &r.body {
            Body::Resume(resume) => Some(resume.policy_bundle.clone()),
            _ => None,
        })
        .unwrap_or_else(|| start.policy_bundle.clone());
    let mut hunks = Vec::new();
    for (i, entry) in state.hunks.iter().enumerate() {
        let Some(decided) = &state.decisions[i] else {
            continue;
        };
        let hunk = state.hunk(i);
        let (decision, justification, reason) = match &decided.decision {
            Decision::Approved { justification } => {
                (HunkDecision::Approved, justification.clone(), None)
            }
            Decision::ApprovedInBulk { reason } => {
                (HunkDecision::ApprovedInBulk, Some(reason.clone()), None)
            }
            Decision::Rejected { reason } => (HunkDecision::Rejected, None, Some(reason.clone())),
        };
        let comments: Vec<String> = reason
            .into_iter()
            .chain(state.comments[i].clone())
            .collect();
        hunks.push(HunkReview {
            id: hunk.id.as_str().to_string(),
            file: String::from_utf8_lossy(state.change.files[entry.file].path()).into_owned(),
            old_lines: LineRange {
                start: hunk.old_start,
                count: hunk.old_lines,
            },
            new_lines: LineRange {
                start: hunk.new_start,
                count: hunk.new_lines,
            },
            decision,
            decided_at: timestamp(wall_at(decided.at_ms)),
            time_on_hunk_ms: decided.dwell_ms,
            findings: entry
                .findings
                .iter()
                .map(|&f| &state.findings[f])
                .filter(|f| f.origin == Origin::Introduced)
                .map(|f| FindingRef {
                    rule: f.rule.clone(),
                    severity: f.severity,
                })
                .collect(),
            justification,
            comment: (!comments.is_empty()).then(|| comments.join("\n")),
            ai_authored: entry.ai,
        });
    }
    let (name, email) = split_reviewer(&state.options.reviewer);
    let digest = |hex: &str| -> DigestSet { [("sha256".to_string(), hex.to_string())].into() };
    let source = match &state.change.source {
        SourceInfo::GitRange { spec, base, head } => ReviewedSource::Range {
            range: spec.clone(),
            base: base.clone(),
            head: head.clone(),
        },
        SourceInfo::Patch { name, sha256 } => ReviewedSource::Patch {
            name: name.clone(),
            digest: digest(sha256),
        },
        SourceInfo::Plan { name, sha256, .. } => ReviewedSource::Plan {
            name: name.clone(),
            digest: digest(sha256),
        },
    };
    let mut subject = Vec::new();
    if let SourceInfo::GitRange { spec, head, .. } = &state.change.source {
        subject.push(ResourceDescriptor::git_commit(spec.clone(), head.clone()));
    }
    subject.push(ResourceDescriptor::change(change_digest(&state.change)));
    let predicate = ReviewPredicate {
        reviewer: Reviewer {
            name,
            email,
            key_fingerprint: fingerprint.to_string(),
        },
        tool: Tool::countersign(),
        source,
        policy_bundle: digest(&policy_bundle),
        started: timestamp(&start.wall),
        finished: timestamp(log.records.last().map_or(start.wall.as_str(), |r| r.wall())),
        session: SessionRef {
            id: start.session.clone(),
            final_chain_hash: log.final_hash().unwrap_or_default().to_string(),
        },
        verdict: match state.summary().verdict {
            ReviewVerdict::Approved => Verdict::Approved,
            ReviewVerdict::ChangesRequested => Verdict::ChangesRequested,
        },
        hunks,
    };
    Statement::new(subject, predicate)
}

/// A recorded wall-clock time (RFC 3339, as the log writes it).
fn timestamp(wall: &str) -> Timestamp {
    Timestamp(
        DateTime::parse_from_rfc3339(wall)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviewer_names_split_into_name_and_email() {
        assert_eq!(
            split_reviewer("Ada Reviewer <ada@example.com>"),
            ("Ada Reviewer".into(), "ada@example.com".into())
        );
        assert_eq!(split_reviewer("ada"), ("ada".into(), String::new()));
        assert_eq!(
            split_reviewer("ada@example.com"),
            ("ada@example.com".into(), "ada@example.com".into())
        );
    }
}
