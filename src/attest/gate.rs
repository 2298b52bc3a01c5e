//! The CI gate's judgement (SPEC §7), given attestations whose signatures and signers already
//! checked: every hunk of the change as it is now must be approved, the verdicts must be
//! approvals, every introduced high or critical finding under the current policies must carry
//! a justification, and hunks with critical findings may need several reviewers.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use super::predicate::{HunkDecision, HunkReview, Verdict};
use super::statement::Statement;
use crate::policy::finding::{Origin, Severity};
use crate::review::State;

/// An attestation whose signature checked, with the allowed_signers principal that signed it.
pub struct Attested<'a> {
    /// The principal (the reviewer's email, as allowed_signers lists it).
    pub principal: String,
    /// The signed statement.
    pub statement: &'a Statement,
}

/// Why the gate fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The attestation is of another change (its change digest differs).
    DifferentChange {
        /// Who signed it.
        by: String,
        /// The digest it attests.
        attested: String,
        /// The digest of the change now.
        current: String,
    },
    /// The attestation's verdict is not an approval.
    NotApproved {
        /// Who signed it.
        by: String,
    },
    /// No attestation decides this hunk.
    Unreviewed {
        /// `file:line`.
        at: String,
    },
    /// The hunk replaced one that was approved: it changed after the approval.
    ChangedSinceApproval {
        /// `file:line`.
        at: String,
        /// Who approved the earlier version.
        by: String,
    },
    /// A reviewer rejected the hunk.
    Rejected {
        /// `file:line`.
        at: String,
        /// Who.
        by: String,
        /// Why.
        reason: String,
    },
    /// An introduced high or critical finding was approved without a justification.
    MissingJustification {
        /// `file:line`.
        at: String,
        /// The rule.
        rule: String,
        /// Its severity.
        severity: Severity,
    },
    /// Fewer distinct reviewers approved a hunk with a critical finding than required.
    TooFewReviewers {
        /// `file:line`.
        at: String,
        /// Distinct approvers.
        have: usize,
        /// Required.
        need: usize,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::DifferentChange {
                by,
                attested,
                current,
            } => write!(
                f,
                "the attestation by {by} is of another change (change sha256 {attested}, now {current})"
            ),
            Problem::NotApproved { by } => write!(f, "{by}'s verdict is changes requested"),
            Problem::Unreviewed { at } => write!(f, "{at}: not reviewed"),
            Problem::ChangedSinceApproval { at, by } => {
                write!(f, "{at}: changed since {by} approved it")
            }
            Problem::Rejected { at, by, reason } => write!(f, "{at}: rejected by {by}: {reason}"),
            Problem::MissingJustification { at, rule, severity } => write!(
                f,
                "{at}: no justification for the introduced {} finding {rule}",
                severity.word()
            ),
            Problem::TooFewReviewers { at, have, need } => write!(
                f,
                "{at}: a critical finding needs {need} distinct reviewers, {have} approved it"
            ),
        }
    }
}

impl Problem {
    /// A short machine-readable name of the kind of problem.
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::DifferentChange { .. } => "different_change",
            Problem::NotApproved { .. } => "not_approved",
            Problem::Unreviewed { .. } => "unreviewed",
            Problem::ChangedSinceApproval { .. } => "changed_since_approval",
            Problem::Rejected { .. } => "rejected",
            Problem::MissingJustification { .. } => "missing_justification",
            Problem::TooFewReviewers { .. } => "too_few_reviewers",
        }
    }
}

/// Judges the change `now` (its hunks and the current policies' findings) against the
/// checked attestations; `current_digest` is the change's digest, `require` the reviewers a
/// hunk with a critical finding needs. No problems: the gate passes.
pub fn judge(
    now: &State,
    current_digest: &str,
    attested: &[Attested],
    require: usize,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Every review of each hunk id, with who gave it.
    let mut by_id: HashMap<&str, Vec<(&str, &HunkReview)>> = HashMap::new();
    for a in attested {
        let digest = a
            .statement
            .subject
            .iter()
            .find_map(|s| s.digest.get("sha256"));
        if digest.map(String::as_str) != Some(current_digest) {
            problems.push(Problem::DifferentChange {
                by: a.principal.clone(),
                attested: digest.cloned().unwrap_or_default(),
                current: current_digest.to_string(),
            });
        }
        if a.statement.predicate.verdict != Verdict::Approved {
            problems.push(Problem::NotApproved {
                by: a.principal.clone(),
            });
        }
        for h in &a.statement.predicate.hunks {
            by_id
                .entry(h.id.as_str())
                .or_default()
                .push((a.principal.as_str(), h));
        }
    }
    for (i, entry) in now.hunks.iter().enumerate() {
        let hunk = now.hunk(i);
        let file = String::from_utf8_lossy(now.change.files[entry.file].path()).into_owned();
        let line = if hunk.new_start > 0 {
            hunk.new_start
        } else {
            hunk.old_start
        };
        let at = format!("{file}:{line}");
        let Some(reviews) = by_id.get(hunk.id.as_str()) else {
            let earlier = attested
                .iter()
                .flat_map(|a| a.statement.predicate.hunks.iter().map(move |h| (a, h)))
                .find(|(_, h)| {
                    h.file == file
                        && h.decision != HunkDecision::Rejected
                        && hunk.new_side_overlaps(h.new_lines.start, h.new_lines.count)
                });
            problems.push(match earlier {
                Some((a, _)) => Problem::ChangedSinceApproval {
                    at,
                    by: a.principal.clone(),
                },
                None => Problem::Unreviewed { at },
            });
            continue;
        };
        for (by, review) in reviews {
            if review.decision == HunkDecision::Rejected {
                problems.push(Problem::Rejected {
                    at: at.clone(),
                    by: by.to_string(),
                    reason: review.comment.clone().unwrap_or_default(),
                });
            }
        }
        let approvers: BTreeSet<&str> = reviews
            .iter()
            .filter(|(_, r)| r.decision != HunkDecision::Rejected)
            .map(|(by, _)| *by)
            .collect();
        let justified = reviews.iter().any(|(_, r)| {
            r.decision == HunkDecision::Approved
                && r.justification
                    .as_deref()
                    .is_some_and(|j| !j.trim().is_empty())
        });
        let risks = entry
            .findings
            .iter()
            .map(|&f| &now.findings[f])
            .filter(|f| f.origin == Origin::Introduced && f.severity >= Severity::High);
        let mut critical = false;
        for f in risks {
            critical |= f.severity == Severity::Critical;
            if !justified {
                problems.push(Problem::MissingJustification {
                    at: at.clone(),
                    rule: f.rule.clone(),
                    severity: f.severity,
                });
            }
        }
        if critical && approvers.len() < require {
            problems.push(Problem::TooFewReviewers {
                at,
                have: approvers.len(),
                need: require,
            });
        }
    }
    problems.dedup();
    problems
}
