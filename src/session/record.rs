//! The records of a session log (SPEC §6): one JSON object per line. The first holds
//! everything a replay needs (the change, its findings, the settings); every other is one
//! action with its time, a resumption, or the end.

use serde::{Deserialize, Serialize};

use crate::model::{ChangeSet, SourceInfo};
use crate::policy::finding::Finding;
use crate::review::state::Verdict;
use crate::review::{Action, Options, State};

/// The log format written by this version.
pub const FORMAT: u32 = 1;

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Its line number in the log, from 1.
    pub seq: u64,
    /// What it records.
    #[serde(flatten)]
    pub body: Body,
    /// The chain hash of the record before it (`None` for the first).
    pub prev: Option<String>,
}

/// What a record holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    /// The session's start: what is reviewed, by whom, with which policies.
    Start(Box<Start>),
    /// One action of the reviewer.
    Action {
        /// Milliseconds on the review's clock (time the program was not running excluded).
        ms: u64,
        /// Wall-clock time, RFC 3339 UTC.
        wall: String,
        /// The action, as the reducer received it.
        action: Action,
    },
    /// The policies' findings arrived (the review opened before they were evaluated).
    Findings(Box<Arrival>),
    /// The review was opened again after it was left or interrupted.
    Resume(Box<Resume>),
    /// The review was left: finished or quit.
    End {
        /// Milliseconds on the review's clock.
        ms: u64,
        /// Wall-clock time, RFC 3339 UTC.
        wall: String,
        /// Finished or quit.
        ending: Ending,
        /// The verdict, when finished.
        verdict: Option<Verdict>,
    },
}

/// How a review was left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// Every hunk decided and the summary confirmed.
    Finished,
    /// Left to be resumed later.
    Quit,
}

/// The first record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Start {
    /// The log format ([`FORMAT`]).
    pub format: u32,
    /// The session id.
    pub session: String,
    /// `countersign <version>`.
    pub tool: String,
    /// Wall-clock start, RFC 3339 UTC.
    pub wall: String,
    /// What is reviewed: the range and commit ids, or the patch or plan and its digest.
    pub source: SourceInfo,
    /// How to load the source again to resume.
    pub reopen: Reopen,
    /// A key shared by every session of the same source (to offer resuming it).
    pub source_key: String,
    /// Who reviews.
    pub reviewer: String,
    /// sha256 of the policy bundle in force.
    pub policy_bundle: String,
    /// Terminal size at the start (columns, rows).
    pub terminal: (u16, u16),
    /// The review's settings.
    pub options: Options,
    /// The change as reviewed (sensitive values already masked by the loaders).
    pub change: std::sync::Arc<ChangeSet>,
    /// The policies' findings on it (secrets redacted).
    pub findings: Vec<Finding>,
    /// The findings were still being evaluated when the review opened: they are in a later
    /// [`Body::Findings`] record, and `findings` is empty.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub findings_pending: bool,
}

/// The policies' findings arriving during the review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arrival {
    /// Milliseconds on the review's clock.
    pub ms: u64,
    /// Wall-clock time, RFC 3339 UTC.
    pub wall: String,
    /// The findings (secrets redacted).
    pub findings: Vec<Finding>,
    /// How many policies failed with an error.
    pub policy_errors: usize,
}

/// A resumption: the review continues on the change as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resume {
    /// Milliseconds on the review's clock (where it stopped).
    pub ms: u64,
    /// Wall-clock time, RFC 3339 UTC.
    pub wall: String,
    /// The policy bundle in force now.
    pub policy_bundle: String,
    /// The change and findings now, when they differ from the ones reviewed so far; decisions
    /// carry over to the hunks whose id is unchanged.
    pub snapshot: Option<Snapshot>,
}

/// A change with its findings and the review's settings for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The settings (the source's label names the new commits).
    pub options: Options,
    /// The change.
    pub change: std::sync::Arc<ChangeSet>,
    /// The findings on it.
    pub findings: Vec<Finding>,
}

/// How `review --resume` loads the source again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reopen {
    /// A git range of the repository the session is stored in.
    Range {
        /// The range as given (`None`: the default).
        range: Option<String>,
        /// Context lines.
        context: u32,
        /// A plan whose findings were placed on the range's hunks.
        plan: Option<String>,
    },
    /// A patch file.
    Patch {
        /// Its path.
        path: String,
    },
    /// A plan file.
    Plan {
        /// Its path.
        path: String,
    },
    /// Standard input: cannot be read again; a resumption continues on the recorded change.
    Stdin,
}

impl Start {
    /// The start record of a new session `id` reviewing `state` (as loaded, before any action).
    pub fn for_review(
        id: String,
        wall: String,
        state: &State,
        reopen: Reopen,
        source_key: String,
        policy_bundle: String,
        terminal: (u16, u16),
    ) -> Start {
        Start {
            format: FORMAT,
            session: id,
            tool: format!("countersign {}", env!("CARGO_PKG_VERSION")),
            wall,
            source: state.change.source.clone(),
            reopen,
            source_key,
            reviewer: state.options.reviewer.clone(),
            policy_bundle,
            terminal,
            options: state.options.clone(),
            change: state.change.clone(),
            findings: state.findings.clone(),
            findings_pending: state.findings_pending,
        }
    }
}

impl Record {
    /// The review clock at this record (0 for the start).
    pub fn ms(&self) -> u64 {
        match &self.body {
            Body::Start(_) => 0,
            Body::Action { ms, .. } | Body::End { ms, .. } => *ms,
            Body::Resume(r) => r.ms,
            Body::Findings(a) => a.ms,
        }
    }

    /// Its wall-clock time.
    pub fn wall(&self) -> &str {
        match &self.body {
            Body::Start(s) => &s.wall,
            Body::Action { wall, .. } | Body::End { wall, .. } => wall,
            Body::Resume(r) => &r.wall,
            Body::Findings(a) => &a.wall,
        }
    }
}
