//! The three sources of a change (SPEC §3), each loaded into one [`ChangeSet`].

pub mod git;
pub mod patch;
pub mod plan;

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
        match self {
            Source::GitRange {
                repo,
                range,
                context,
            } => {
                let repository = git::open(repo)?;
                git::load(&repository, range.as_deref(), *context)
            }
            Source::Patch(path) => {
                let (bytes, name) = read_input(path)?;
                let files = patch::parse(&bytes, &name)?;
                Ok(ChangeSet {
                    source: SourceInfo::Patch {
                        name,
                        sha256: sha256_hex(&bytes),
                    },
                    files,
                    plan: None,
                    notes: Vec::new(),
                })
            }
            Source::Plan(path) => {
                let (bytes, name) = read_input(path)?;
                plan::parse(&bytes, &name)
            }
        }
    }
}

/// Reads a file the user named, or standard input for `-`.
fn read_input(path: &Path) -> Result<(Vec<u8>, String)> {
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
