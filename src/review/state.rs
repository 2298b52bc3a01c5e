//! The state of a review: the change and its findings, where the reviewer is, what they have
//! seen, and what they decided. Changed only by [`crate::review::update()`].

use serde::{Deserialize, Serialize};

use super::layout::{HunkLayout, Note};
use super::progress::Progress;
use crate::model::{ChangeSet, FileStatus, Hunk};
use crate::policy::blast::BlastRadius;
use crate::policy::finding::{Anchor, Finding, Origin, Severity};
use crate::render::sanitize::sanitize_str;
use crate::render::text::annotation_line;

/// Settings of a review that do not change during it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Who reviews (`Name <email>`).
    pub reviewer: String,
    /// What is reviewed, as shown in the header (`git main..feature (1a2b..3c4d)`).
    pub source: String,
    /// The fewest characters a justification or a bulk reason may have.
    pub min_justification: usize,
    /// The hunks a coding agent wrote (SPEC §8), as known when the review was loaded: empty
    /// for a patch or a plan, or when no commit of the range is an agent's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ai_hunks: Vec<crate::model::HunkId>,
}

/// One hunk of the review, with what the policies said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct HunkEntry {
    /// Index of its file in the change.
    pub file: usize,
    /// Index of the hunk in its file.
    pub index: usize,
    /// Findings anchored on it (indexes into the review's findings), introduced ones first.
    pub findings: Vec<usize>,
    /// Those findings as annotations under their lines.
    pub notes: Vec<Note>,
    /// It carries an introduced finding of severity high or critical: approving it needs a
    /// justification.
    pub risky: bool,
    /// The highest severity introduced on it.
    pub severity: Option<Severity>,
    /// A coding agent wrote it ([`Options::ai_hunks`]).
    pub ai: bool,
}

/// One file of the review.
#[derive(Debug, Clone, PartialEq)]
pub struct FileEntry {
    /// Its path, safe to display.
    pub path: String,
    /// `A`, `D`, `M`, `R`, `C` or `T` (mode change).
    pub letter: char,
    /// Index of its first hunk in [`State::hunks`].
    pub first_hunk: usize,
    /// How many hunks it has.
    pub hunk_count: usize,
    /// How many of them are decided.
    pub decided: usize,
    /// The highest severity introduced anywhere in it.
    pub severity: Option<Severity>,
    /// Findings about the whole file or its unchanged code (not on a hunk).
    pub findings: Vec<usize>,
    /// A coding agent wrote at least one of its hunks.
    pub ai: bool,
}

/// What the reviewer decided about a hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Approved; a risky hunk carries the reviewer's justification.
    Approved {
        /// Why the risk is acceptable (risky hunks only).
        justification: Option<String>,
    },
    /// Approved together with the rest of its file, for one typed reason.
    ApprovedInBulk {
        /// Why the file needs no line-by-line review.
        reason: String,
    },
    /// Rejected.
    Rejected {
        /// What must change.
        reason: String,
    },
}

impl Decision {
    /// The decision in words, with its justification or reason (safe to display).
    pub fn describe(&self) -> String {
        match self {
            Decision::Approved {
                justification: Some(j),
            } => format!("approved, justified: {}", sanitize_str(j)),
            Decision::Approved {
                justification: None,
            } => "approved".into(),
            Decision::ApprovedInBulk { reason } => {
                format!("approved with its file: {}", sanitize_str(reason))
            }
            Decision::Rejected { reason } => format!("rejected: {}", sanitize_str(reason)),
        }
    }

    /// True for both kinds of approval.
    pub fn is_approval(&self) -> bool {
        !matches!(self, Decision::Rejected { .. })
    }
}

/// A decision with its timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decided {
    /// The decision.
    pub decision: Decision,
    /// When it was taken (milliseconds on the review's clock).
    pub at_ms: u64,
    /// How long the reviewer had spent on the hunk by then.
    pub dwell_ms: u64,
}

/// A text the review is asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// Why the hunk is rejected.
    Reject,
    /// A comment on the hunk.
    Comment,
    /// Why a risky hunk may be approved.
    Justify,
    /// Why a whole file is approved at once.
    ApproveFile,
    /// What to search for.
    Search,
}

/// An open prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// What it asks.
    pub kind: PromptKind,
    /// The hunk it is about.
    pub hunk: usize,
    /// What has been typed.
    pub input: String,
    /// Why the last submission was refused.
    pub error: Option<String>,
}

/// A full-screen layer over the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The key list.
    Help,
    /// The summary shown before finishing.
    Summary,
}

/// A one-line message in the status bar until the next action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// The message.
    pub text: String,
    /// Shown as a warning (a refusal) rather than information.
    pub warn: bool,
}

/// An active search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The text searched for (case-insensitive).
    pub query: String,
    /// Every match as (hunk, line), in order.
    pub matches: Vec<(usize, usize)>,
    /// The match last jumped to.
    pub current: Option<usize>,
}

/// The outcome of a finished review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every hunk approved.
    Approved,
    /// At least one hunk rejected.
    ChangesRequested,
}

/// Counts shown before finishing and printed after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Hunks approved one by one.
    pub approved: usize,
    /// Hunks approved in bulk with their file.
    pub approved_in_bulk: usize,
    /// Hunks rejected.
    pub rejected: usize,
    /// Risky hunks approved with a justification.
    pub justified: usize,
    /// Comments written.
    pub comments: usize,
    /// Hunks not decided yet.
    pub undecided: usize,
    /// The verdict the decisions add up to.
    pub verdict: Verdict,
}

impl Summary {
    /// The verdict and counts in one line: `approved · 12 hunks: 9 approved, …`.
    pub fn describe(&self, total: usize) -> String {
        let verdict = match self.verdict {
            Verdict::Approved => "approved",
            Verdict::ChangesRequested => "changes requested",
        };
        format!(
            "{verdict} · {total} hunks: {} approved, {} approved with their file, {} rejected, {} justified risks, {} comments",
            self.approved, self.approved_in_bulk, self.rejected, self.justified, self.comments
        )
    }
}

/// Everything the review screen shows and the reducer changes.
#[derive(Debug, Clone)]
pub struct State {
    /// The change under review, shared with the evaluation thread and the session's start
    /// record rather than copied (a large plan's change is tens of megabytes).
    pub change: std::sync::Arc<ChangeSet>,
    /// Every finding of the policies on it.
    pub findings: Vec<Finding>,
    /// Fixed settings.
    pub options: Options,
    /// The files, in the change's order.
    pub files: Vec<FileEntry>,
    /// Every hunk of every file, in order.
    pub hunks: Vec<HunkEntry>,
    /// The header line (source, size, blast radius), safe to display.
    pub header: String,
    /// Terminal size (columns, rows).
    pub viewport: (u16, u16),
    /// The hunk on screen.
    pub cursor: usize,
    /// The first row of the hunk's layout on screen.
    pub scroll: usize,
    /// The first file shown in the file list.
    pub file_scroll: usize,
    /// Side-by-side instead of unified.
    pub side_by_side: bool,
    /// The layout of the hunk on screen.
    pub layout: HunkLayout,
    /// The hunk `layout` is of.
    pub layout_hunk: usize,
    /// How much of each hunk has been on screen.
    pub progress: Vec<Progress>,
    /// Decisions by hunk.
    pub decisions: Vec<Option<Decided>>,
    /// For a hunk that changed since the reviewer decided an earlier version of it (a resumed
    /// review of a changed source): that earlier decision. The hunk must be decided again.
    pub superseded: Vec<Option<Decided>>,
    /// Comments by hunk.
    pub comments: Vec<Vec<String>>,
    /// Milliseconds spent on each hunk, not counting the current visit.
    pub dwell_ms: Vec<u64>,
    /// When the current hunk was entered.
    pub entered_ms: u64,
    /// The review clock at the last action.
    pub now_ms: u64,
    /// Earlier decisions, to undo: each entry restores these hunks' previous decisions.
    pub undo: Vec<Vec<(usize, Option<Decided>)>>,
    /// The open prompt.
    pub prompt: Option<Prompt>,
    /// The open overlay.
    pub overlay: Option<Overlay>,
    /// The message of the last action.
    pub flash: Option<Flash>,
    /// The active search.
    pub search: Option<Search>,
    /// The policies are still being evaluated: their findings have not arrived yet.
    pub findings_pending: bool,
}

/// Where a finding sits when that is not simply on the hunk's changed lines.
pub fn place_word(f: &Finding) -> &'static str {
    match (f.origin, &f.anchor) {
        (Origin::PreExisting, _) => " (pre-existing)",
        (Origin::Introduced, Anchor::Context) => " (on unchanged code)",
        (Origin::Introduced, Anchor::File) => " (whole file)",
        _ => "",
    }
}

/// The annotation text of a finding under its line: `└─ high rule: message`.
pub fn note_text(f: &Finding) -> String {
    format!(
        "└─ {}{} {}: {}",
        f.severity.word(),
        place_word(f),
        sanitize_str(&f.rule),
        sanitize_str(&f.message)
    )
}

fn status_letter(status: FileStatus) -> char {
    match status {
        FileStatus::Added => 'A',
        FileStatus::Deleted => 'D',
        FileStatus::Modified => 'M',
        FileStatus::Renamed => 'R',
        FileStatus::Copied => 'C',
        FileStatus::ModeChanged => 'T',
    }
}

impl State {
    /// A review of `change` with the policies' `findings`, nothing seen or decided yet, on an
    /// 80×24 screen until the first resize.
    pub fn new(
        change: impl Into<std::sync::Arc<ChangeSet>>,
        findings: Vec<Finding>,
        options: Options,
    ) -> State {
        let change = change.into();
        let mut files = Vec::with_capacity(change.files.len());
        let mut hunks = Vec::with_capacity(change.hunk_count());
        let mut by_id: std::collections::HashMap<&crate::model::HunkId, Vec<usize>> =
            Default::default();
        for (i, f) in findings.iter().enumerate() {
            if let Anchor::Hunks(ids) = &f.anchor {
                for id in ids {
                    by_id.entry(id).or_default().push(i);
                }
            }
        }
        let ai: std::collections::HashSet<&crate::model::HunkId> =
            options.ai_hunks.iter().collect();
        for (fi, file) in change.files.iter().enumerate() {
            let path = String::from_utf8_lossy(file.path()).into_owned();
            let first_hunk = hunks.len();
            let mut file_severity = None;
            for (hi, hunk) in file.hunks.iter().enumerate() {
                let mut on: Vec<usize> = by_id.get(&hunk.id).cloned().unwrap_or_default();
                on.sort_by_key(|&i| (findings[i].origin != Origin::Introduced, i));
                on.dedup();
                let severity = on
                    .iter()
                    .filter(|&&i| findings[i].origin == Origin::Introduced)
                    .map(|&i| findings[i].severity)
                    .max();
                file_severity = file_severity.max(severity);
                let notes = on
                    .iter()
                    .map(|&i| Note {
                        line: annotation_line(hunk, &findings[i]),
                        text: note_text(&findings[i]),
                        finding: i,
                    })
                    .collect();
                hunks.push(HunkEntry {
                    file: fi,
                    index: hi,
                    findings: on,
                    notes,
                    risky: severity >= Some(Severity::High),
                    severity,
                    ai: ai.contains(&hunk.id),
                });
            }
            let file_findings: Vec<usize> = findings
                .iter()
                .enumerate()
                .filter(|(_, f)| !matches!(f.anchor, Anchor::Hunks(_)) && f.file == path)
                .map(|(i, _)| i)
                .collect();
            files.push(FileEntry {
                path: sanitize_str(&path),
                letter: status_letter(file.status),
                first_hunk,
                hunk_count: file.hunks.len(),
                decided: 0,
                severity: file_severity,
                findings: file_findings,
                ai: hunks[first_hunk..].iter().any(|h| h.ai),
            });
        }
        let (added, removed) = change.line_stats();
        let mut header = format!(
            "{} · {} files · {} hunks · +{added} −{removed}",
            sanitize_str(&options.source),
            files.len(),
            hunks.len()
        );
        if let Some(blast) = BlastRadius::of(&change, &findings) {
            header.push_str(" · ");
            header.push_str(&sanitize_str(&blast.line()));
        }
        let n = hunks.len();
        let progress = hunks
            .iter()
            .map(|h| {
                let hunk = &change.files[h.file].hunks[h.index];
                Progress::new(hunk.lines.len(), h.notes.len())
            })
            .collect();
        let mut state = State {
            layout: HunkLayout {
                width: 0,
                side_by_side: false,
                number_width: 3,
                text_width: 1,
                rows: Vec::new(),
            },
            layout_hunk: 0,
            change,
            findings,
            options,
            files,
            hunks,
            header,
            viewport: (80, 24),
            cursor: 0,
            scroll: 0,
            file_scroll: 0,
            side_by_side: false,
            progress,
            decisions: vec![None; n],
            superseded: vec![None; n],
            comments: vec![Vec::new(); n],
            dwell_ms: vec![0; n],
            entered_ms: 0,
            now_ms: 0,
            undo: Vec::new(),
            prompt: None,
            overlay: None,
            flash: None,
            search: None,
            findings_pending: false,
        };
        state.settle();
        state
    }

    /// The hunk on screen, if the change has any.
    pub fn current(&self) -> Option<(&HunkEntry, &Hunk)> {
        let entry = self.hunks.get(self.cursor)?;
        Some((entry, self.hunk(self.cursor)))
    }

    /// The model hunk of entry `i`.
    pub fn hunk(&self, i: usize) -> &Hunk {
        let e = &self.hunks[i];
        &self.change.files[e.file].hunks[e.index]
    }

    /// Where hunk `i` is, for transcripts and reports: `path:first-last` (new side).
    pub fn location(&self, i: usize) -> String {
        let hunk = self.hunk(i);
        format!(
            "{}:{}-{}",
            self.files[self.hunks[i].file].path,
            hunk.new_start,
            hunk.new_start + hunk.new_lines.saturating_sub(1)
        )
    }

    /// How many hunks are decided.
    pub fn decided(&self) -> usize {
        self.files.iter().map(|f| f.decided).sum()
    }

    /// Risky hunks not decided yet.
    pub fn risky_left(&self) -> usize {
        self.hunks
            .iter()
            .zip(&self.decisions)
            .filter(|(h, d)| h.risky && d.is_none())
            .count()
    }

    /// Milliseconds spent on hunk `i` so far, the current visit included.
    pub fn dwell(&self, i: usize) -> u64 {
        let current = if i == self.cursor {
            self.now_ms.saturating_sub(self.entered_ms)
        } else {
            0
        };
        self.dwell_ms[i] + current
    }

    /// The counts of the decisions so far.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            approved: 0,
            approved_in_bulk: 0,
            rejected: 0,
            justified: 0,
            comments: self.comments.iter().map(Vec::len).sum(),
            undecided: 0,
            verdict: Verdict::Approved,
        };
        for d in &self.decisions {
            match d.as_ref().map(|d| &d.decision) {
                None => s.undecided += 1,
                Some(Decision::Approved { justification }) => {
                    s.approved += 1;
                    s.justified += usize::from(justification.is_some());
                }
                Some(Decision::ApprovedInBulk { .. }) => s.approved_in_bulk += 1,
                Some(Decision::Rejected { .. }) => {
                    s.rejected += 1;
                    s.verdict = Verdict::ChangesRequested;
                }
            }
        }
        s
    }
}
