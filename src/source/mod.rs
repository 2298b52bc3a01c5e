//! The three sources of a change (SPEC §3), each loaded into one [`ChangeSet`].

pub mod git;
pub mod oversized;
pub mod patch;
pub mod plan;

pub use oversized::MAX_FILE_BYTES;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{ChangeSet, SourceInfo, sha256_hex};

/// What the user asked to review.
#[derive(Debug, Clone)]
pub enum Source {
    /// A git range in the repository at `repo` (`None`: the default PR-style range).
    GitRange {
        /// A directory inside the repository.
        repo: PathBuf,
        /// `A..B`, `A...B`, `A`, or `None` for the default.
        range: Option<String>,
        /// Context lines around each change.
        context: u32,
    },
    /// A unified diff file, or `-` for standard input.
    Patch(PathBuf),
    /// A Terraform plan JSON file.
    Plan(PathBuf),
}

impl Source {
    /// Reads and parses the source.
    pub fn load(&self) -> Result<ChangeSet> {
        self.load_source(false).map(|loaded| loaded.change)
    }

    /// Reads and parses the source, with what the policies read besides the hunks: a plan's
    /// document (so the file is read once) and the changed files' texts.
    pub fn load_for_policies(&self) -> Result<LoadedChange> {
        self.load_source(true)
    }

    fn load_source(&self, keep_texts: bool) -> Result<LoadedChange> {
        match self {
            Source::GitRange {
                repo,
                range,
                context,
            } => {
                let repository = git::open(repo)?;
                let (change, versions) =
                    git::load_with_texts(&repository, range.as_deref(), *context, keep_texts)?;
                Ok(LoadedChange {
                    change,
                    plan: None,
                    versions,
                })
            }
            Source::Patch(path) => {
                let (bytes, name) = read_input(path)?;
                let files = patch::parse(&bytes, &name)?;
                let change = ChangeSet {
                    source: SourceInfo::Patch {
                        name,
                        sha256: sha256_hex(&bytes),
                    },
                    files,
                    plan: None,
                    notes: Vec::new(),
                    value_lines: Default::default(),
                };
                let versions = if keep_texts {
                    added_files(&change)
                } else {
                    Vec::new()
                };
                Ok(LoadedChange {
                    change,
                    plan: None,
                    versions,
                })
            }
            Source::Plan(path) => {
                let (bytes, name) = read_input(path)?;
                let (change, document) = plan::read(&bytes, &name)?;
                Ok(LoadedChange {
                    change,
                    plan: Some(document),
                    versions: Vec::new(),
                })
            }
        }
    }
}

/// A loaded source: its change, and what the policies read besides the hunks.
pub struct LoadedChange {
    /// The change.
    pub change: ChangeSet,
    /// A plan source's document.
    pub plan: Option<plan::PlanDocument>,
    /// The base and head text of every changed text file whose whole text is known: every
    /// one of a git range, and only the added ones of a patch (which carries only the hunks
    /// of a modified file). Plans have no files.
    pub versions: Vec<FileVersions>,
}

/// A changed file's text at the base and at the head of the change, for policies that read
/// whole files. `None` where the file does not exist on that side, or is not known (a patch
/// only carries the hunks of a modified file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVersions {
    /// The file's path on the head side (the old path for a deletion).
    pub path: String,
    /// Its text at the base.
    pub base: Option<String>,
    /// Its text at the head.
    pub head: Option<String>,
}

/// The whole text of every added text file of a patch's `change`.
fn added_files(change: &ChangeSet) -> Vec<FileVersions> {
    change
        .files
        .iter()
        .filter(|f| {
            f.content == crate::model::FileContent::Text
                && f.status == crate::model::FileStatus::Added
        })
        .map(|f| FileVersions {
            path: String::from_utf8_lossy(f.path()).into_owned(),
            base: None,
            head: Some(added_text(f)),
        })
        .collect()
}

/// The whole text of an added file, from its hunks.
fn added_text(file: &crate::model::FileChange) -> String {
    let mut text = String::new();
    for line in file.hunks.iter().flat_map(|h| &h.lines) {
        text.push_str(&line.text_lossy());
        if !line.no_newline_at_eof {
            text.push('\n');
        }
    }
    text
}

/// Reads a file the user named, or standard input for `-`.
pub(crate) fn read_input(path: &Path) -> Result<(Vec<u8>, String)> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::input("<stdin>", format!("cannot read: {e}")))?;
        return Ok((buf, "<stdin>".to_string()));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::unreadable(path, e))?;
    Ok((bytes, path.display().to_string()))
}
