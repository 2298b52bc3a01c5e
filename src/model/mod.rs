//! The review model: one `ChangeSet` for every source (git range, patch, Terraform plan).
//!
//! Pure data, no I/O. Sources build it; policies, the review screen, sessions and attestations
//! read it.

mod attr_path;
mod bytes_serde;
mod hunk;
mod id;

pub use attr_path::AttrPath;
pub use hunk::{Hunk, HunkKind, Line, LineKind, PlanAction};
pub use id::{HunkId, number_occurrences, sha256_hex};

use serde::{Deserialize, Serialize};

/// How a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// New file.
    Added,
    /// Removed file.
    Deleted,
    /// Content (and possibly mode) changed in place.
    Modified,
    /// Moved, possibly with edits.
    Renamed,
    /// Copied from another file, possibly with edits.
    Copied,
    /// Only the file mode changed.
    ModeChanged,
}

impl FileStatus {
    /// A lowercase word for headers.
    pub fn word(self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Deleted => "deleted",
            FileStatus::Modified => "modified",
            FileStatus::Renamed => "renamed",
            FileStatus::Copied => "copied",
            FileStatus::ModeChanged => "mode changed",
        }
    }
}

/// What a file's content is, which decides how its hunks are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileContent {
    /// Text with line hunks.
    Text,
    /// Binary (by content or `.gitattributes`): one summary hunk.
    Binary,
    /// A submodule (gitlink): one pointer hunk.
    Submodule,
    /// Larger than [`crate::source::MAX_FILE_BYTES`] on a side: one summary hunk giving each
    /// side's size and sha256, decided like any other.
    TooLarge,
    /// A Terraform plan module: one hunk per resource change.
    Plan,
}

/// One changed file (or, for a plan, one module's resource changes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    /// Path on the old side; `None` for an added file.
    #[serde(with = "bytes_serde::option")]
    pub old_path: Option<Vec<u8>>,
    /// Path on the new side; `None` for a deleted file.
    #[serde(with = "bytes_serde::option")]
    pub new_path: Option<Vec<u8>>,
    /// How the file changed.
    pub status: FileStatus,
    /// What kind of content it holds.
    pub content: FileContent,
    /// Old mode (e.g. `0o100644`), when known.
    pub old_mode: Option<u32>,
    /// New mode, when known.
    pub new_mode: Option<u32>,
    /// Rename/copy similarity in percent, when detected.
    pub similarity: Option<u8>,
    /// The hunks, in file order.
    pub hunks: Vec<Hunk>,
}

impl FileChange {
    /// The path that names the file: the new path, or the old one for a deletion.
    pub fn path(&self) -> &[u8] {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or_default()
    }

    /// Counts of (added, removed) lines over all hunks (see [`Hunk::line_stats`]).
    pub fn line_stats(&self) -> (usize, usize) {
        self.hunks.iter().fold((0, 0), |(a, r), h| {
            let (ha, hr) = h.line_stats();
            (a + ha, r + hr)
        })
    }

    /// Completes a file built by a diff source: a submodule's hunks become pointer hunks, a
    /// mode change — or a file with no hunks at all (pure rename, empty file) — gets a `Meta`
    /// hunk so that every change is something a reviewer decides, and ids are assigned.
    pub fn finish(&mut self) {
        if self.content == FileContent::Submodule {
            for hunk in &mut self.hunks {
                hunk.kind = HunkKind::Submodule;
            }
        }
        let mut meta = Vec::new();
        let mode = |m: Option<u32>| format!("{:o}", m.unwrap_or(0o100644));
        let path_text = |p: &Option<Vec<u8>>| p.clone().unwrap_or_default();
        match self.status {
            FileStatus::Added | FileStatus::Deleted => {}
            _ if self.old_mode.is_some()
                && self.new_mode.is_some()
                && self.old_mode != self.new_mode =>
            {
                meta.push(Line::new(
                    LineKind::Removed,
                    format!("old mode {}", mode(self.old_mode)),
                ));
                meta.push(Line::new(
                    LineKind::Added,
                    format!("new mode {}", mode(self.new_mode)),
                ));
            }
            _ => {}
        }
        if self.hunks.is_empty() {
            match self.status {
                FileStatus::Added => meta.push(Line::new(
                    LineKind::Added,
                    format!("new file mode {}", mode(self.new_mode)),
                )),
                FileStatus::Deleted => meta.push(Line::new(
                    LineKind::Removed,
                    format!("deleted file mode {}", mode(self.old_mode)),
                )),
                FileStatus::Renamed => {
                    meta.push(Line::new(
                        LineKind::Removed,
                        [b"rename from ".as_slice(), &path_text(&self.old_path)].concat(),
                    ));
                    meta.push(Line::new(
                        LineKind::Added,
                        [b"rename to ".as_slice(), &path_text(&self.new_path)].concat(),
                    ));
                }
                FileStatus::Copied => {
                    meta.push(Line::new(
                        LineKind::Context,
                        [b"copy from ".as_slice(), &path_text(&self.old_path)].concat(),
                    ));
                    meta.push(Line::new(
                        LineKind::Added,
                        [b"copy to ".as_slice(), &path_text(&self.new_path)].concat(),
                    ));
                }
                FileStatus::Modified | FileStatus::ModeChanged => {}
            }
        }
        if !meta.is_empty() {
            let hunk = Hunk {
                id: HunkId::for_lines(b"", &[]),
                kind: HunkKind::Meta,
                old_start: 0,
                old_lines: 0,
                new_start: 0,
                new_lines: 0,
                title: String::new(),
                lines: meta,
            };
            self.hunks.insert(0, hunk);
        }
        self.assign_ids();
    }

    /// Recomputes every hunk id from the hunk's content and numbers repeats (SPEC §3).
    /// Plan hunks keep their resource ids.
    pub fn assign_ids(&mut self) {
        let path = self.path().to_vec();
        for hunk in &mut self.hunks {
            if !matches!(hunk.kind, HunkKind::Resource { .. }) {
                hunk.id = HunkId::for_lines(&path, &hunk.lines);
            }
        }
        number_occurrences(self.hunks.iter_mut().map(|h| &mut h.id));
    }
}

/// Where a change came from, recorded so a review can name what it reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum SourceInfo {
    /// A git range, resolved to commits.
    GitRange {
        /// What the user asked for (e.g. `main..feature`, or the default).
        spec: String,
        /// The base commit (the merge-base for PR-style ranges).
        base: String,
        /// The head commit.
        head: String,
    },
    /// A unified diff file (or stdin).
    Patch {
        /// The file name, `-` for stdin.
        name: String,
        /// sha256 of the patch bytes.
        sha256: String,
    },
    /// A Terraform plan in JSON form.
    Plan {
        /// The file name.
        name: String,
        /// sha256 of the plan file bytes.
        sha256: String,
        /// The plan's `format_version`, when present.
        format_version: Option<String>,
        /// The `terraform_version` that wrote it, when present.
        terraform_version: Option<String>,
    },
}

/// Counts of what a plan does, like the last line of `terraform plan`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    /// Resources to create.
    pub create: usize,
    /// Resources to update in place.
    pub update: usize,
    /// Resources to replace (either order).
    pub replace: usize,
    /// Resources to destroy.
    pub delete: usize,
    /// Resources with no change (summarised, not reviewed).
    pub no_op: usize,
    /// Data sources read (summarised, not reviewed).
    pub read: usize,
    /// Resources forgotten (removed from state, not destroyed).
    pub forget: usize,
    /// Output values that change.
    pub outputs_changed: usize,
}

impl PlanSummary {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &PlanSummary) {
        self.create += other.create;
        self.update += other.update;
        self.replace += other.replace;
        self.delete += other.delete;
        self.no_op += other.no_op;
        self.read += other.read;
        self.forget += other.forget;
        self.outputs_changed += other.outputs_changed;
    }
}

/// The new-side lines one attribute of a rendered plan resource occupies, so a finding that
/// points into a resource's values lands on its line of the hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueLines {
    /// Attribute names and list indexes under the resource's values (`["ingress", "1"]`).
    pub path: AttrPath,
    /// First line (new side, as numbered in the hunk).
    pub start: u32,
    /// Last line.
    pub end: u32,
}

/// A whole change: the files and hunks a reviewer must decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// Where it came from.
    pub source: SourceInfo,
    /// The changed files in diff order.
    pub files: Vec<FileChange>,
    /// For plans: what the plan does in total.
    pub plan: Option<PlanSummary>,
    /// Things the loader wants the reader to know (e.g. changes summarised but not reviewable).
    pub notes: Vec<String>,
    /// For plan hunks: where each rendered attribute is, by hunk.
    pub value_lines: std::collections::BTreeMap<HunkId, Vec<ValueLines>>,
}

impl ChangeSet {
    /// Every hunk with its file, in order.
    pub fn hunks(&self) -> impl Iterator<Item = (&FileChange, &Hunk)> {
        self.files
            .iter()
            .flat_map(|f| f.hunks.iter().map(move |h| (f, h)))
    }

    /// Number of hunks to decide.
    pub fn hunk_count(&self) -> usize {
        self.files.iter().map(|f| f.hunks.len()).sum()
    }

    /// Total (added, removed) text lines.
    pub fn line_stats(&self) -> (usize, usize) {
        self.files.iter().fold((0, 0), |(a, r), f| {
            let (fa, fr) = f.line_stats();
            (a + fa, r + fr)
        })
    }
}
