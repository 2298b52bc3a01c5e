//! Files too large to review line by line (a generated bundle, a data dump, a hostile input
//! meant to exhaust memory or time) become one summary hunk: each side's size and sha256.
//! The hunk's id is made from those lines, so it is decided like any other and an approval is
//! invalidated by any change to the file's bytes.

use crate::model::{FileStatus, Hunk, HunkId, HunkKind, Line, LineKind, sha256_hex};

/// The largest file (on either side of a change, in bytes) that is diffed line by line: 5 MiB.
/// A patch whose hunks for one file hold more than this is summarised the same way.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// One side of an oversized file: its size in bytes and the sha256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideDigest {
    /// Size in bytes.
    pub size: u64,
    /// Lowercase hex sha256 of the content.
    pub sha256: String,
}

impl SideDigest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> SideDigest {
        SideDigest {
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

/// The summary hunk of a file over [`MAX_FILE_BYTES`]: a removed line for the old side (absent
/// for an added file) and an added line for the new side (absent for a deleted one), each
/// `N bytes, sha256 <hex>`. `what` names what was measured (`file`, `patch text`).
pub fn summary_hunk(
    status: FileStatus,
    what: &str,
    old: Option<&SideDigest>,
    new: Option<&SideDigest>,
) -> Hunk {
    let line = |kind, side: &SideDigest| {
        Line::new(
            kind,
            format!("{what} of {} bytes, sha256 {}", side.size, side.sha256),
        )
    };
    let mut lines = Vec::new();
    if let Some(old) = old.filter(|_| status != FileStatus::Added) {
        lines.push(line(LineKind::Removed, old));
    }
    if let Some(new) = new.filter(|_| status != FileStatus::Deleted) {
        lines.push(line(LineKind::Added, new));
    }
    Hunk {
        id: HunkId::for_lines(b"", &[]),
        kind: HunkKind::TooLarge,
        old_start: 0,
        old_lines: 0,
        new_start: 0,
        new_lines: 0,
        title: format!(
            "over the {} MiB limit: not shown line by line",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_side_gets_its_size_and_digest() {
        let (old, new) = (SideDigest::of(b"a"), SideDigest::of(b"bb"));
        let hunk = summary_hunk(FileStatus::Modified, "file", Some(&old), Some(&new));
        assert_eq!(hunk.kind, HunkKind::TooLarge);
        assert_eq!(hunk.lines.len(), 2);
        assert_eq!(
            hunk.lines[1].text_lossy(),
            format!("file of 2 bytes, sha256 {}", sha256_hex(b"bb"))
        );
        assert_eq!(hunk.lines[0].kind, LineKind::Removed);
        let added = summary_hunk(FileStatus::Added, "file", Some(&old), Some(&new));
        assert_eq!(added.lines.len(), 1);
        assert_eq!(added.lines[0].kind, LineKind::Added);
    }
}
