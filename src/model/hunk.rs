//! Hunks and their lines: the unit a reviewer decides on.

use super::id::HunkId;
use serde::{Deserialize, Serialize};

/// What a line is in a diff: unchanged context, removed from the old side, or added to the new side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Present on both sides.
    Context,
    /// Present only on the old side.
    Removed,
    /// Present only on the new side.
    Added,
}

impl LineKind {
    /// The one-byte marker a unified diff puts in front of the line (`' '`, `'-'`, `'+'`).
    pub fn marker(self) -> u8 {
        match self {
            LineKind::Context => b' ',
            LineKind::Removed => b'-',
            LineKind::Added => b'+',
        }
    }

    /// The kind for a unified-diff marker byte, if it is one.
    pub fn from_marker(byte: u8) -> Option<Self> {
        match byte {
            b' ' => Some(LineKind::Context),
            b'-' => Some(LineKind::Removed),
            b'+' => Some(LineKind::Added),
            _ => None,
        }
    }
}

/// One line of a hunk. The bytes are kept exactly as they are in the file (without the line
/// terminator `\n`, but with a `\r` when the file has one), so nothing is lost before rendering.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// Context, removed or added.
    pub kind: LineKind,
    /// The raw bytes of the line, without its `\n`.
    #[serde(with = "super::bytes_serde")]
    pub bytes: Vec<u8>,
    /// 1-based line number on the old side, for context and removed lines.
    pub old_lineno: Option<u32>,
    /// 1-based line number on the new side, for context and added lines.
    pub new_lineno: Option<u32>,
    /// True when this is the last line of its side and the file has no final newline
    /// (git's `\ No newline at end of file`).
    pub no_newline_at_eof: bool,
}

impl Line {
    /// A line with the given kind and bytes and no line numbers (for synthetic hunks).
    pub fn new(kind: LineKind, bytes: impl Into<Vec<u8>>) -> Self {
        Line {
            kind,
            bytes: bytes.into(),
            old_lineno: None,
            new_lineno: None,
            no_newline_at_eof: false,
        }
    }

    /// The line decoded for display: invalid UTF-8 becomes U+FFFD. Never use this for identity.
    pub fn text_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// The action a Terraform plan takes on a resource, as `terraform plan` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanAction {
    /// `+ create`
    Create,
    /// `~ update in-place`
    Update,
    /// `- destroy`
    Delete,
    /// `-/+ destroy and then create replacement`
    DeleteThenCreate,
    /// `+/- create replacement and then destroy`
    CreateThenDelete,
    /// Changes to root module outputs.
    Outputs,
}

impl PlanAction {
    /// True for the two replace orders.
    pub fn is_replace(self) -> bool {
        matches!(
            self,
            PlanAction::DeleteThenCreate | PlanAction::CreateThenDelete
        )
    }
}

/// What kind of change a hunk stands for. Every kind is decided the same way; the kind says how
/// its lines were made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum HunkKind {
    /// Lines of a text file.
    Text,
    /// A change without text lines: a mode change, a pure rename or copy, an empty file added
    /// or deleted. Its lines are git's extended header lines (`old mode 100644`, …).
    Meta,
    /// A binary file's content changed (lines describe the blobs).
    Binary,
    /// A submodule pointer moved (`Subproject commit` lines).
    Submodule,
    /// A file too large to diff line by line: one line per side with its size and sha256, so
    /// the id still changes with any byte of the file.
    TooLarge,
    /// One `resource_changes[]` entry of a Terraform plan, or its output changes.
    Resource {
        /// The resource address, e.g. `module.db.aws_db_instance.main`.
        address: String,
        /// The action the plan takes.
        action: PlanAction,
    },
}

/// A contiguous group of changed lines with their context: the unit of review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hunk {
    /// Content-derived identity (see [`HunkId`]).
    pub id: HunkId,
    /// How the hunk's lines were made.
    pub kind: HunkKind,
    /// First line on the old side (as in `@@ -old_start,old_lines`).
    pub old_start: u32,
    /// Number of old-side lines (context + removed).
    pub old_lines: u32,
    /// First line on the new side.
    pub new_start: u32,
    /// Number of new-side lines (context + added).
    pub new_lines: u32,
    /// The text after the `@@ … @@` header (the enclosing function or block), or the plan's
    /// `# address will be created` line. Display only; not part of the id.
    pub title: String,
    /// The lines, in diff order.
    pub lines: Vec<Line>,
}

impl Hunk {
    /// True when this hunk's new-side lines overlap the `count` lines from `start` (an empty
    /// side counts as its one position).
    pub fn new_side_overlaps(&self, start: u32, count: u32) -> bool {
        self.new_start < start + count.max(1) && start < self.new_start + self.new_lines.max(1)
    }

    /// Counts of (added, removed) lines of code or plan; metadata, binary and submodule hunks
    /// count none.
    pub fn line_stats(&self) -> (usize, usize) {
        if !matches!(self.kind, HunkKind::Text | HunkKind::Resource { .. }) {
            return (0, 0);
        }
        self.lines.iter().fold((0, 0), |(a, r), l| match l.kind {
            LineKind::Added => (a + 1, r),
            LineKind::Removed => (a, r + 1),
            LineKind::Context => (a, r),
        })
    }
}
