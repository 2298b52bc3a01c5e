//! One file per subcommand: thin adapters from parsed arguments to library calls.

pub mod attest;
pub mod check;
pub mod completions;
pub mod demo;
pub mod evaluating;
pub mod keygen;
pub mod man;
pub mod output;
pub mod policy_test;
pub mod progress;
pub mod replay;
pub mod review;
pub mod sessions;
pub mod show;
pub mod stats;
pub mod verify;

use crate::cli::SourceArgs;
use crate::source::Source;

impl SourceArgs {
    /// The source these arguments name; a git range is looked up from the current directory.
    pub fn source(&self) -> Source {
        if let Some(p) = &self.patch {
            Source::Patch(p.clone())
        } else if let (Some(p), None) = (&self.plan, &self.range) {
            Source::Plan(p.clone())
        } else {
            Source::GitRange {
                repo: std::path::PathBuf::from("."),
                range: self.range.clone(),
                context: self.unified,
            }
        }
    }

    /// A plan given together with a range: its findings are placed on the range's source.
    pub fn linked_plan(&self) -> Option<&std::path::Path> {
        self.range.as_ref().and(self.plan.as_deref())
    }
}
