//! Content-derived hunk identity (SPEC §3).
//!
//! A text hunk's id is the sha256 of
//!
//! ```text
//! path "\n"  then, for every line:  marker bytes "\n"   [+ "\\ No newline at end of file\n"]
//! ```
//!
//! where `path` is the file's new path (old path for a deletion) and `marker` is `' '`, `'-'` or
//! `'+'`. Line numbers are not part of it, so an approval survives a rebase that only shifts
//! lines, and any change to a line of the hunk or its context changes the id. When the same
//! content occurs more than once in a file, the n-th repeat (n ≥ 1, in file order) gets
//! `sha256(first_digest_hex "#" n)`, so every hunk of a file has a distinct id.
//!
//! A plan hunk's id is the sha256 of `address "\n" actions "\n" before "\n" after`, where
//! `before`/`after` are canonical JSON (sorted keys, no spaces) with every sensitive value
//! replaced by `"sha256:<hex of its canonical JSON>"`, so a secret never enters the id in clear.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;

use super::hunk::Line;

/// The identity of a hunk: 64 lowercase hex characters of a sha256.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HunkId(String);

impl HunkId {
    /// The full hex digest.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 hex characters, for display.
    pub fn short(&self) -> &str {
        &self.0[..12]
    }

    /// The content digest of a text-like hunk (before occurrence numbering).
    pub fn for_lines(path: &[u8], lines: &[Line]) -> HunkId {
        let mut h = Sha256::new();
        h.update(path);
        h.update(b"\n");
        for line in lines {
            h.update([line.kind.marker()]);
            h.update(&line.bytes);
            h.update(b"\n");
            if line.no_newline_at_eof {
                h.update(b"\\ No newline at end of file\n");
            }
        }
        HunkId(hex(&h.finalize()))
    }

    /// The digest of a plan resource change; `before`/`after` must already be canonical JSON
    /// with sensitive values replaced by their digests.
    pub fn for_resource(address: &str, actions: &[String], before: &str, after: &str) -> HunkId {
        let mut h = Sha256::new();
        h.update(address.as_bytes());
        h.update(b"\n");
        h.update(actions.join(",").as_bytes());
        h.update(b"\n");
        h.update(before.as_bytes());
        h.update(b"\n");
        h.update(after.as_bytes());
        HunkId(hex(&h.finalize()))
    }

    fn with_occurrence(&self, n: usize) -> HunkId {
        HunkId(sha256_hex(format!("{}#{n}", self.0).as_bytes()))
    }
}

impl fmt::Display for HunkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Gives repeated ids within one file their occurrence index, in order, so all are distinct.
pub fn number_occurrences<'a>(ids: impl IntoIterator<Item = &'a mut HunkId>) {
    let mut seen: HashMap<HunkId, usize> = HashMap::new();
    for id in ids {
        let count = seen.entry(id.clone()).or_insert(0);
        if *count > 0 {
            *id = id.with_occurrence(*count);
        }
        *count += 1;
    }
}

/// Lowercase hex of the sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hunk::LineKind;

    fn lines(spec: &[(&str, LineKind)]) -> Vec<Line> {
        spec.iter().map(|(t, k)| Line::new(*k, *t)).collect()
    }

    #[test]
    fn line_numbers_do_not_change_the_id() {
        let mut a = lines(&[("x", LineKind::Context), ("y", LineKind::Added)]);
        let b = a.clone();
        a[0].old_lineno = Some(10);
        a[0].new_lineno = Some(12);
        assert_eq!(HunkId::for_lines(b"f", &a), HunkId::for_lines(b"f", &b));
    }

    #[test]
    fn marker_path_and_eof_change_the_id() {
        let base = lines(&[("x", LineKind::Added)]);
        let other_kind = lines(&[("x", LineKind::Removed)]);
        let mut no_eol = base.clone();
        no_eol[0].no_newline_at_eof = true;
        let id = HunkId::for_lines(b"f", &base);
        assert_ne!(id, HunkId::for_lines(b"f", &other_kind));
        assert_ne!(id, HunkId::for_lines(b"g", &base));
        assert_ne!(id, HunkId::for_lines(b"f", &no_eol));
    }

    #[test]
    fn the_id_is_the_documented_sha256() {
        let l = lines(&[(" a", LineKind::Context), ("b", LineKind::Added)]);
        assert_eq!(
            HunkId::for_lines(b"main.tf", &l).as_str(),
            sha256_hex(b"main.tf\n  a\n+b\n")
        );
    }

    #[test]
    fn repeats_get_distinct_ids_and_the_first_keeps_its_digest() {
        let one = HunkId::for_lines(b"f", &lines(&[("x", LineKind::Added)]));
        let mut ids = [one.clone(), one.clone(), one.clone()];
        number_occurrences(ids.iter_mut());
        assert_eq!(ids[0], one);
        assert_ne!(ids[1], ids[0]);
        assert_ne!(ids[2], ids[1]);
        assert_ne!(ids[2], ids[0]);
    }
}
