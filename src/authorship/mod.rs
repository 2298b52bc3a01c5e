//! Which changes a coding agent wrote (SPEC §8). A commit is AI-authored when a trailer names
//! a known agent or its author is a configured bot account ([`classify`], pure); a hunk is
//! AI-authored when the commit of the range that last touched its added lines is ([`blame`],
//! git).

pub mod blame;
pub mod classify;

pub use blame::{ai_hunks, ai_hunks_of};
pub use classify::Classifier;
