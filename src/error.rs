//! Errors that reach the user, each mapped to an exit code of SPEC §2.

use std::path::Path;

/// Every error countersign reports. Messages name the file and line, or the revision, involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input from the user: a file, a revision, a malformed patch or plan. Exit code 2.
    #[error("{location}: {message}")]
    Input {
        /// `file`, `file:line` or a revision.
        location: String,
        /// What is wrong, in one line.
        message: String,
    },
    /// Something the user asked for that does not make sense (bad option combination). Exit 2.
    #[error("{0}")]
    Usage(String),
    /// A check that failed on evidence: a session log or attestation that does not verify.
    /// Exit code 1.
    #[error("{0}")]
    Failed(String),
    /// A failure that is countersign's fault or the system's. Exit code 3.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// An input error at a file.
    pub fn input(location: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Input {
            location: location.into(),
            message: message.into(),
        }
    }

    /// An input error at a line of a file (1-based).
    pub fn at_line(file: &str, line: usize, message: impl Into<String>) -> Self {
        Error::input(format!("{file}:{line}"), message)
    }

    /// An error reading a file the user named.
    pub fn unreadable(path: &Path, err: std::io::Error) -> Self {
        Error::input(path.display().to_string(), format!("cannot read: {err}"))
    }

    /// The process exit code for this error (SPEC §2).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. } | Error::Usage(_) => 2,
            Error::Failed(_) => 1,
            Error::Internal(_) => 3,
        }
    }
}

/// Result with countersign's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
