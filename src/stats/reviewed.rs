//! One recorded review as `stats` sees it: who reviewed, when, whether it was finished, and
//! for every hunk whether an agent wrote it, what was decided, when and after how long, and
//! which findings it introduced. Read from a session log by replaying it (no I/O).

use crate::policy::finding::{Origin, Severity};
use crate::review::state::Decision;
use crate::session::chain::Log;
use crate::session::record::{Body, Ending};
use crate::session::replay::{Replay, start_of};

use super::calendar::rfc3339_ms;

/// A recorded review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewedSession {
    /// The session id.
    pub id: String,
    /// Who reviewed.
    pub reviewer: String,
    /// When it started (milliseconds since the epoch).
    pub started_ms: i64,
    /// Finished (every hunk decided, summary confirmed); otherwise abandoned: left or
    /// interrupted.
    pub finished: bool,
    /// Every hunk of the change as last reviewed.
    pub hunks: Vec<ReviewedHunk>,
}

/// One hunk of a recorded review.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewedHunk {
    /// A coding agent wrote it.
    pub ai: bool,
    /// The decision, if one was taken.
    pub decision: Option<HunkDecision>,
    /// The rule and severity of every finding introduced on it.
    pub findings: Vec<(String, Severity)>,
}

/// A decision on a hunk, with its timing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HunkDecision {
    /// Approved (one by one or with its file) rather than rejected.
    pub approved: bool,
    /// Approved together with its whole file, for one typed reason.
    pub in_bulk: bool,
    /// When it was taken (milliseconds since the epoch).
    pub at_ms: i64,
    /// Time the reviewer had spent on the hunk by then.
    pub dwell_ms: u64,
}

impl ReviewedSession {
    /// The review a checked log records, as its last record leaves it.
    pub fn from_log(log: &Log) -> ReviewedSession {
        let start = start_of(log);
        let started_ms = rfc3339_ms(&start.wall).unwrap_or(0);
        let state = Replay::new(log).finish();
        let finished = matches!(
            log.records.last().map(|r| &r.body),
            Some(Body::End {
                ending: Ending::Finished,
                ..
            })
        );
        // The wall-clock time of a moment on the review's clock: that of the first record at
        // or after it (the action that took the decision).
        let wall_ms = |at: u64| {
            let i = log.records.partition_point(|r| r.ms() < at);
            log.records
                .get(i)
                .and_then(|r| rfc3339_ms(r.wall()))
                .unwrap_or(started_ms)
        };
        let hunks = state
            .hunks
            .iter()
            .zip(&state.decisions)
            .map(|(h, d)| ReviewedHunk {
                ai: h.ai,
                decision: d.as_ref().map(|d| HunkDecision {
                    approved: d.decision.is_approval(),
                    in_bulk: matches!(d.decision, Decision::ApprovedInBulk { .. }),
                    at_ms: wall_ms(d.at_ms),
                    dwell_ms: d.dwell_ms,
                }),
                findings: h
                    .findings
                    .iter()
                    .map(|&i| &state.findings[i])
                    .filter(|f| f.origin == Origin::Introduced)
                    .map(|f| (f.rule.clone(), f.severity))
                    .collect(),
            })
            .collect();
        ReviewedSession {
            id: start.session.clone(),
            reviewer: start.reviewer.clone(),
            started_ms,
            finished,
            hunks,
        }
    }
}
