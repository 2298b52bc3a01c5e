//! A strict unified-diff parser for `git diff`, `git format-patch` and plain `diff -u` output.
//!
//! Text before the first file header (a commit message, a diffstat, an mbox header) is a
//! preamble and skipped. From the first file header on, every line must be part of a file
//! section, a hunk whose length matches its `@@` header, or a known separator (a format-patch
//! signature `-- `, the next mbox `From ` line, blank lines between files). Anything else is an
//! error naming the line: a malformed patch never loads partially.

use super::MAX_FILE_BYTES;
use super::oversized::{SideDigest, summary_hunk};
use crate::error::{Error, Result};
use crate::model::{FileChange, FileContent, FileStatus, Hunk, HunkId, HunkKind, Line, LineKind};

/// Parses a whole patch. `name` is used in error messages (`name:line: …`).
pub fn parse(bytes: &[u8], name: &str) -> Result<Vec<FileChange>> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut parser = Parser {
        lines,
        pos: 0,
        name,
    };
    parser.run()
}

struct Parser<'a> {
    lines: Vec<&'a [u8]>,
    pos: usize,
    name: &'a str,
}

/// Where the parser is between file sections.
#[derive(PartialEq)]
enum Between {
    /// Before any file, or after an mbox `From ` line: free text is a preamble.
    Preamble,
    /// Right after a file section: only headers, separators and blank lines may follow.
    Strict,
    /// After a format-patch signature (`-- `): the version line and blank lines, until `From `.
    Signature,
}

/// The pieces of a file section header as they are read.
#[derive(Default)]
struct Header {
    old_path: Option<Vec<u8>>,
    new_path: Option<Vec<u8>>,
    old_mode: Option<u32>,
    new_mode: Option<u32>,
    status: Option<FileStatus>,
    similarity: Option<u8>,
    old_oid: Option<String>,
    new_oid: Option<String>,
}

impl<'a> Parser<'a> {
    fn err(&self, line_index: usize, message: impl Into<String>) -> Error {
        Error::at_line(self.name, line_index + 1, message)
    }

    fn peek(&self, offset: usize) -> Option<&'a [u8]> {
        self.lines.get(self.pos + offset).copied()
    }

    fn run(&mut self) -> Result<Vec<FileChange>> {
        let mut files = Vec::new();
        let mut between = Between::Preamble;
        while let Some(line) = self.peek(0) {
            let line = trim_cr(line);
            if line.starts_with(b"diff --git ") {
                files.push(self.git_file()?);
                between = Between::Strict;
            } else if line.starts_with(b"--- ")
                && self.peek(1).is_some_and(|l| l.starts_with(b"+++ "))
            {
                files.push(self.plain_file()?);
                between = Between::Strict;
            } else if is_mbox_from(line) {
                between = Between::Preamble;
                self.pos += 1;
            } else if between == Between::Preamble {
                self.pos += 1;
            } else if line == b"-- " || line == b"--" {
                between = Between::Signature;
                self.pos += 1;
            } else if between == Between::Signature || line.is_empty() {
                self.pos += 1;
            } else if line.starts_with(b"diff ") || line.starts_with(b"Only in ") {
                // `diff -ru a b` command lines and `Only in` notes from recursive plain diffs.
                self.pos += 1;
            } else if matches!(line.first(), Some(b'+' | b'-' | b' ' | b'\\')) {
                return Err(self.err(
                    self.pos,
                    "more lines than the hunk header above says (counts do not match)",
                ));
            } else {
                return Err(self.err(
                    self.pos,
                    format!(
                        "unexpected text between file sections: {:?}",
                        String::from_utf8_lossy(&line[..line.len().min(60)])
                    ),
                ));
            }
        }
        if files.is_empty() && self.lines.iter().any(|l| !trim_cr(l).is_empty()) {
            return Err(Error::input(
                self.name,
                "no unified diff found (expected `diff --git` or `---`/`+++` file headers)",
            ));
        }
        Ok(files)
    }

    /// A `diff --git a/x b/x` section with its extended headers and hunks.
    fn git_file(&mut self) -> Result<FileChange> {
        let start = self.pos;
        let (a, b) = split_git_header_paths(&trim_cr(self.lines[start])[b"diff --git ".len()..])
            .ok_or_else(|| self.err(start, "malformed `diff --git` header"))?;
        let mut h = Header {
            old_path: Some(strip_git_prefix(&a)),
            new_path: Some(strip_git_prefix(&b)),
            ..Header::default()
        };
        self.pos += 1;
        let mut content = FileContent::Text;
        let mut hunks = Vec::new();
        while let Some(raw) = self.peek(0) {
            let line = trim_cr(raw);
            let at = self.pos;
            if let Some(rest) = line.strip_prefix(b"old mode ") {
                h.old_mode = Some(self.mode(at, rest)?);
            } else if let Some(rest) = line.strip_prefix(b"new mode ") {
                h.new_mode = Some(self.mode(at, rest)?);
            } else if let Some(rest) = line.strip_prefix(b"deleted file mode ") {
                h.old_mode = Some(self.mode(at, rest)?);
                h.status = Some(FileStatus::Deleted);
            } else if let Some(rest) = line.strip_prefix(b"new file mode ") {
                h.new_mode = Some(self.mode(at, rest)?);
                h.status = Some(FileStatus::Added);
            } else if let Some(rest) = line.strip_prefix(b"rename from ") {
                h.old_path = Some(unquote(rest));
                h.status = Some(FileStatus::Renamed);
            } else if let Some(rest) = line.strip_prefix(b"rename to ") {
                h.new_path = Some(unquote(rest));
                h.status = Some(FileStatus::Renamed);
            } else if let Some(rest) = line.strip_prefix(b"copy from ") {
                h.old_path = Some(unquote(rest));
                h.status = Some(FileStatus::Copied);
            } else if let Some(rest) = line.strip_prefix(b"copy to ") {
                h.new_path = Some(unquote(rest));
                h.status = Some(FileStatus::Copied);
            } else if let Some(rest) = line.strip_prefix(b"similarity index ") {
                h.similarity = Some(self.percent(at, rest)?);
            } else if line.starts_with(b"dissimilarity index ") {
                self.percent(at, &line[b"dissimilarity index ".len()..])?;
            } else if let Some(rest) = line.strip_prefix(b"index ") {
                self.index_line(at, rest, &mut h)?;
            } else if line.starts_with(b"--- ") {
                self.file_names(&mut h)?;
                hunks = self.hunks()?;
                break;
            } else if line.starts_with(b"Binary files ") && line.ends_with(b" differ") {
                content = FileContent::Binary;
                self.pos += 1;
                break;
            } else if line == b"GIT binary patch" {
                content = FileContent::Binary;
                self.binary_patch()?;
                break;
            } else {
                break;
            }
            self.pos += 1;
        }
        if h.old_mode == Some(0o160000) || h.new_mode == Some(0o160000) {
            content = FileContent::Submodule;
        }
        if content == FileContent::Binary {
            hunks.push(binary_hunk(&h));
        }
        let status = h.status.unwrap_or(
            if hunks.is_empty() && h.old_mode.is_some() && h.old_mode != h.new_mode {
                FileStatus::ModeChanged
            } else {
                FileStatus::Modified
            },
        );
        Ok(file(h, status, content, hunks))
    }

    /// A plain `--- old` / `+++ new` section (diff -u).
    fn plain_file(&mut self) -> Result<FileChange> {
        let mut h = Header::default();
        self.file_names(&mut h)?;
        let hunks = self.hunks()?;
        let (old, new) = (h.old_path.take(), h.new_path.take());
        let status = match (&old, &new) {
            (None, _) => FileStatus::Added,
            (_, None) => FileStatus::Deleted,
            _ => FileStatus::Modified,
        };
        // `diff -ru old/ new/` names each side under its own directory: keep the shared part.
        let shared = match (&old, &new) {
            (Some(o), Some(n)) => Some(strip_first_component_if_same(o, n)),
            _ => None,
        };
        h.old_path = shared.clone().or(old);
        h.new_path = shared.or(new);
        if status == FileStatus::Added {
            h.old_path = None;
        }
        if status == FileStatus::Deleted {
            h.new_path = None;
        }
        Ok(file(h, status, FileContent::Text, hunks))
    }

    /// Reads `--- a` and `+++ b`, which must be adjacent.
    fn file_names(&mut self, h: &mut Header) -> Result<()> {
        let minus = trim_cr(self.lines[self.pos]);
        let plus = match self.peek(1).map(trim_cr) {
            Some(l) if l.starts_with(b"+++ ") => l,
            _ => return Err(self.err(self.pos + 1, "expected `+++ ` after `--- ` line")),
        };
        let git = h.old_path.is_some() || h.new_path.is_some();
        let old = diff_path(&minus[4..], git);
        let new = diff_path(&plus[4..], git);
        if git {
            // Paths from `---`/`+++` are exact (no space ambiguity); /dev/null marks a side absent.
            if h.status != Some(FileStatus::Renamed) && h.status != Some(FileStatus::Copied) {
                if old.is_some() {
                    h.old_path = old;
                }
                if new.is_some() {
                    h.new_path = new;
                }
            }
        } else {
            h.old_path = old;
            h.new_path = new;
        }
        self.pos += 2;
        Ok(())
    }

    fn hunks(&mut self) -> Result<Vec<Hunk>> {
        let mut hunks: Vec<Hunk> = Vec::new();
        while let Some(line) = self.peek(0) {
            if line.starts_with(b"@@@") {
                return Err(self.err(
                    self.pos,
                    "combined diff (merge commit) hunks are not supported",
                ));
            }
            if !line.starts_with(b"@@") {
                break;
            }
            let hunk = self.hunk()?;
            if let Some(prev) = hunks.last() {
                let prev_end = prev.old_start + prev.old_lines;
                if hunk.old_start < prev_end {
                    return Err(self.err(
                        self.pos - 1,
                        "hunk overlaps or precedes the previous hunk of the same file",
                    ));
                }
            }
            hunks.push(hunk);
        }
        if hunks.is_empty() {
            return Err(self.err(self.pos, "expected a `@@ -a,b +c,d @@` hunk header"));
        }
        Ok(hunks)
    }

    fn hunk(&mut self) -> Result<Hunk> {
        let header_at = self.pos;
        let header = trim_cr(self.lines[header_at]);
        let (old_start, old_lines, new_start, new_lines, title) = parse_hunk_header(header)
            .ok_or_else(|| {
                self.err(
                    header_at,
                    "malformed hunk header (expected `@@ -a[,b] +c[,d] @@`)",
                )
            })?;
        if old_start.checked_add(old_lines).is_none() || new_start.checked_add(new_lines).is_none()
        {
            return Err(self.err(
                header_at,
                "hunk header line numbers out of range (past 4294967295)",
            ));
        }
        self.pos += 1;
        let (mut old_left, mut new_left) = (old_lines, new_lines);
        let (mut old_no, mut new_no) = (old_start, new_start);
        let mut lines: Vec<Line> = Vec::new();
        while old_left > 0 || new_left > 0 {
            let Some(raw) = self.peek(0) else {
                return Err(self.err(
                    self.lines.len(),
                    format!(
                        "truncated hunk at end of input: the header at line {} expects {old_left} more old and {new_left} more new lines",
                        header_at + 1
                    ),
                ));
            };
            // An empty line is an empty context line (editors strip the lone space).
            let (kind, bytes) = match raw.first() {
                None => (LineKind::Context, raw),
                Some(&m) => match LineKind::from_marker(m) {
                    Some(kind) => (kind, &raw[1..]),
                    None if m == b'\\' => {
                        self.no_newline_marker(&mut lines)?;
                        continue;
                    }
                    None => {
                        return Err(self.err(
                            self.pos,
                            format!(
                                "hunk ends early: the header at line {} expects {old_left} more old and {new_left} more new lines",
                                header_at + 1
                            ),
                        ));
                    }
                },
            };
            let (takes_old, takes_new) = match kind {
                LineKind::Context => (true, true),
                LineKind::Removed => (true, false),
                LineKind::Added => (false, true),
            };
            if (takes_old && old_left == 0) || (takes_new && new_left == 0) {
                return Err(self.err(
                    self.pos,
                    format!(
                        "line does not fit the hunk header at line {} (counts do not match)",
                        header_at + 1
                    ),
                ));
            }
            let mut line = Line::new(kind, bytes);
            if takes_old {
                line.old_lineno = Some(old_no);
                old_no += 1;
                old_left -= 1;
            }
            if takes_new {
                line.new_lineno = Some(new_no);
                new_no += 1;
                new_left -= 1;
            }
            lines.push(line);
            self.pos += 1;
        }
        if self.peek(0).is_some_and(|l| l.starts_with(b"\\")) {
            self.no_newline_marker(&mut lines)?;
        }
        Ok(Hunk {
            id: HunkId::for_lines(b"", &[]),
            kind: HunkKind::Text,
            old_start,
            old_lines,
            new_start,
            new_lines,
            title,
            lines,
        })
    }

    fn no_newline_marker(&mut self, lines: &mut [Line]) -> Result<()> {
        match lines.last_mut() {
            Some(last) if !last.no_newline_at_eof => last.no_newline_at_eof = true,
            _ => {
                return Err(self.err(
                    self.pos,
                    "`\\ No newline at end of file` without a line before it",
                ));
            }
        }
        self.pos += 1;
        Ok(())
    }

    /// Skips the base85 blocks of a `GIT binary patch` (forward, then optional reverse).
    fn binary_patch(&mut self) -> Result<()> {
        self.pos += 1;
        for block in 0..2 {
            match self.peek(0).map(trim_cr) {
                Some(l) if l.starts_with(b"literal ") || l.starts_with(b"delta ") => {}
                _ if block == 1 => return Ok(()),
                _ => {
                    return Err(self.err(
                        self.pos,
                        "expected `literal N` or `delta N` in GIT binary patch",
                    ));
                }
            }
            self.pos += 1;
            while let Some(l) = self.peek(0).map(trim_cr) {
                self.pos += 1;
                if l.is_empty() {
                    break;
                }
                if !l[0].is_ascii_alphabetic() {
                    return Err(self.err(self.pos - 1, "malformed base85 line in binary patch"));
                }
            }
        }
        Ok(())
    }

    fn index_line(&self, at: usize, rest: &[u8], h: &mut Header) -> Result<()> {
        let text = std::str::from_utf8(rest).map_err(|_| self.err(at, "malformed index line"))?;
        let mut parts = text.split(' ');
        let oids = parts.next().unwrap_or_default();
        let (old, new) = oids
            .split_once("..")
            .filter(|(o, n)| is_hex(o) && is_hex(n))
            .ok_or_else(|| self.err(at, "malformed index line (expected `index abc..def`)"))?;
        h.old_oid = Some(old.to_string());
        h.new_oid = Some(new.to_string());
        if let Some(mode) = parts.next() {
            let mode = self.mode(at, mode.as_bytes())?;
            h.old_mode.get_or_insert(mode);
            h.new_mode.get_or_insert(mode);
        }
        Ok(())
    }

    fn mode(&self, at: usize, text: &[u8]) -> Result<u32> {
        std::str::from_utf8(text)
            .ok()
            .and_then(|t| u32::from_str_radix(t.trim(), 8).ok())
            .ok_or_else(|| self.err(at, "malformed file mode"))
    }

    fn percent(&self, at: usize, text: &[u8]) -> Result<u8> {
        std::str::from_utf8(text)
            .ok()
            .and_then(|t| t.trim().strip_suffix('%'))
            .and_then(|t| t.parse::<u8>().ok())
            .filter(|p| *p <= 100)
            .ok_or_else(|| self.err(at, "malformed similarity index"))
    }
}

fn file(h: Header, status: FileStatus, content: FileContent, hunks: Vec<Hunk>) -> FileChange {
    let (content, hunks) = summarise_if_oversized(status, content, hunks);
    let (old_path, new_path) = match status {
        FileStatus::Added => (None, h.new_path),
        FileStatus::Deleted => (h.old_path, None),
        _ => (h.old_path, h.new_path),
    };
    let mut f = FileChange {
        old_path,
        new_path,
        status,
        content,
        old_mode: h.old_mode,
        new_mode: h.new_mode,
        similarity: h.similarity,
        hunks,
    };
    f.finish();
    f
}

/// A file whose hunks hold more than [`MAX_FILE_BYTES`] becomes one summary hunk: the size and
/// sha256 of its old-side lines (context and removed) and of its new-side lines.
fn summarise_if_oversized(
    status: FileStatus,
    content: FileContent,
    hunks: Vec<Hunk>,
) -> (FileContent, Vec<Hunk>) {
    let lines = || hunks.iter().flat_map(|h| &h.lines);
    let size: u64 = lines().map(|l| l.bytes.len() as u64 + 1).sum();
    if content != FileContent::Text || size <= MAX_FILE_BYTES {
        return (content, hunks);
    }
    let side = |other: LineKind| {
        let mut bytes = Vec::new();
        for line in lines().filter(|l| l.kind != other) {
            bytes.extend_from_slice(&line.bytes);
            bytes.push(b'\n');
        }
        SideDigest::of(&bytes)
    };
    let (old, new) = (side(LineKind::Added), side(LineKind::Removed));
    let hunk = summary_hunk(status, "hunk lines", Some(&old), Some(&new));
    (FileContent::TooLarge, vec![hunk])
}

/// The summary hunk of a binary change: one line per side naming the blob.
pub(crate) fn binary_hunk_lines(status: FileStatus, old_blob: &str, new_blob: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    if status != FileStatus::Added {
        lines.push(Line::new(
            LineKind::Removed,
            format!("binary blob {old_blob}"),
        ));
    }
    if status != FileStatus::Deleted {
        lines.push(Line::new(
            LineKind::Added,
            format!("binary blob {new_blob}"),
        ));
    }
    lines
}

fn binary_hunk(h: &Header) -> Hunk {
    let status = h.status.unwrap_or(FileStatus::Modified);
    Hunk {
        id: HunkId::for_lines(b"", &[]),
        kind: HunkKind::Binary,
        old_start: 0,
        old_lines: 0,
        new_start: 0,
        new_lines: 0,
        title: String::from("binary file"),
        lines: binary_hunk_lines(
            status,
            h.old_oid.as_deref().unwrap_or("?"),
            h.new_oid.as_deref().unwrap_or("?"),
        ),
    }
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_mbox_from(line: &[u8]) -> bool {
    line.strip_prefix(b"From ")
        .and_then(|rest| rest.split(|&b| b == b' ').next())
        .is_some_and(|sha| sha.len() >= 7 && sha.iter().all(u8::is_ascii_hexdigit))
}

/// Parses `@@ -a[,b] +c[,d] @@[ title]`.
fn parse_hunk_header(line: &[u8]) -> Option<(u32, u32, u32, u32, String)> {
    let rest = line.strip_prefix(b"@@ -")?;
    let text_end = rest.windows(3).position(|w| w == b" @@")?;
    let ranges = std::str::from_utf8(&rest[..text_end]).ok()?;
    let (old, new) = ranges.split_once(" +")?;
    let range = |r: &str| -> Option<(u32, u32)> {
        match r.split_once(',') {
            Some((s, c)) => Some((digits(s)?, digits(c)?)),
            None => Some((digits(r)?, 1)),
        }
    };
    let (old_start, old_lines) = range(old)?;
    let (new_start, new_lines) = range(new)?;
    let after = &rest[text_end + 3..];
    let title = after.strip_prefix(b" ").unwrap_or(after);
    Some((
        old_start,
        old_lines,
        new_start,
        new_lines,
        String::from_utf8_lossy(title).into_owned(),
    ))
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A path from a `---`/`+++` line: timestamps after a tab dropped, quotes undone, `/dev/null`
/// as absent, and for git diffs the `a/`/`b/` prefix removed.
fn diff_path(raw: &[u8], git: bool) -> Option<Vec<u8>> {
    // git ends a name containing spaces with a tab; diff -u puts a timestamp after one.
    let raw = match raw.first() {
        Some(b'"') => closing_quote(raw).map_or(raw, |end| &raw[..=end]),
        _ => raw.split(|&b| b == b'\t').next().unwrap_or(raw),
    };
    let path = unquote(raw);
    if path == b"/dev/null" {
        return None;
    }
    Some(if git { strip_git_prefix(&path) } else { path })
}

/// Removes git's one-letter side prefix (`a/`, `b/`, or the mnemonic `i/ w/ c/ o/`).
fn strip_git_prefix(path: &[u8]) -> Vec<u8> {
    match path {
        [b'a' | b'b' | b'i' | b'w' | b'c' | b'o', b'/', rest @ ..] => rest.to_vec(),
        _ => path.to_vec(),
    }
}

fn strip_first_component_if_same(old: &[u8], new: &[u8]) -> Vec<u8> {
    let tail = |p: &[u8]| {
        p.iter()
            .position(|&b| b == b'/')
            .map(|i| p[i + 1..].to_vec())
    };
    match (tail(old), tail(new)) {
        (Some(a), Some(b)) if a == b => b,
        _ => new.to_vec(),
    }
}

/// Splits the two paths of `diff --git <a> <b>`, handling quoted paths and, for unquoted
/// paths with spaces, the symmetric `a/X b/X` form.
fn split_git_header_paths(rest: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    if rest.first() == Some(&b'"') {
        let end = closing_quote(rest)?;
        let second = rest.get(end + 1..)?.strip_prefix(b" ")?;
        return Some((unquote(&rest[..=end]), unquote(second)));
    }
    if let Some(q) = rest.windows(2).position(|w| w == b" \"") {
        return Some((rest[..q].to_vec(), unquote(&rest[q + 1..])));
    }
    // Unquoted: for `a/X b/X` the split is in the middle; otherwise at the first ` b/`.
    if rest.len() % 2 == 1 {
        let mid = rest.len() / 2;
        if rest[mid] == b' ' && strip_git_prefix(&rest[..mid]) == strip_git_prefix(&rest[mid + 1..])
        {
            return Some((rest[..mid].to_vec(), rest[mid + 1..].to_vec()));
        }
    }
    let at = rest.windows(3).position(|w| w == b" b/")?;
    Some((rest[..at].to_vec(), rest[at + 1..].to_vec()))
}

fn closing_quote(s: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < s.len() {
        match s[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Undoes git's C-style path quoting (`"a/\303\244 b"`); unquoted input is returned as is.
fn unquote(raw: &[u8]) -> Vec<u8> {
    let Some(inner) = raw.strip_prefix(b"\"").and_then(|r| r.strip_suffix(b"\"")) else {
        return raw.to_vec();
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        if b != b'\\' || i + 1 == inner.len() {
            out.push(b);
            i += 1;
            continue;
        }
        let e = inner[i + 1];
        i += 2;
        out.push(match e {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'a' => 0x07,
            b'b' => 0x08,
            b'f' => 0x0c,
            b'v' => 0x0b,
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    if let Some(d @ b'0'..=b'7') = inner.get(i) {
                        v = v * 8 + u32::from(d - b'0');
                        i += 1;
                    }
                }
                v as u8
            }
            other => other,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text.as_bytes(), "p.diff").unwrap_err().to_string()
    }

    const SIMPLE: &str = "diff --git a/main.tf b/main.tf\nindex 1111111..2222222 100644\n--- a/main.tf\n+++ b/main.tf\n@@ -1,3 +1,3 @@ resource \"x\" \"y\" {\n a\n-b\n+c\n d\n";

    #[test]
    fn parses_a_git_diff() {
        let files = parse(SIMPLE.as_bytes(), "p").unwrap();
        assert_eq!(files.len(), 1);
        let f = &files[0];
        assert_eq!(f.path(), b"main.tf");
        assert_eq!(f.status, FileStatus::Modified);
        let h = &f.hunks[0];
        assert_eq!(h.title, "resource \"x\" \"y\" {");
        assert_eq!(h.lines.len(), 4);
        assert_eq!(h.lines[2].new_lineno, Some(2));
        assert_eq!(h.lines[1].old_lineno, Some(2));
    }

    #[test]
    fn rejects_counts_that_do_not_match() {
        let short = SIMPLE.replace(" d\n", "");
        assert!(
            err(&short).starts_with("p.diff:9: truncated hunk"),
            "{}",
            err(&short)
        );
        let long = format!("{SIMPLE}+extra\n");
        assert!(
            err(&long).starts_with("p.diff:10: more lines"),
            "{}",
            err(&long)
        );
        let early = SIMPLE.replace(" d\n", "garbage\n");
        assert!(
            err(&early).starts_with("p.diff:9: hunk ends early"),
            "{}",
            err(&early)
        );
    }

    #[test]
    fn rejects_bad_headers() {
        let bad = SIMPLE.replace("@@ -1,3 +1,3 @@", "@@ -1,x +1,3 @@");
        assert!(
            err(&bad).starts_with("p.diff:5: malformed hunk header"),
            "{}",
            err(&bad)
        );
        let no_plus = SIMPLE.replace("+++ b/main.tf\n", "");
        assert!(
            err(&no_plus).starts_with("p.diff:4: expected `+++ `"),
            "{}",
            err(&no_plus)
        );
        let no_hunk = "diff --git a/x b/x\n--- a/x\n+++ b/x\nnot a hunk\n";
        assert!(
            err(no_hunk).starts_with("p.diff:4: expected a `@@"),
            "{}",
            err(no_hunk)
        );
        assert!(err("just some text\n").contains("no unified diff found"));
    }

    #[test]
    fn plain_diff_u_with_timestamps_and_directories() {
        let text = "diff -ru old/a.tf new/a.tf\n--- old/a.tf\t2024-01-01 00:00:00.000000000 +0000\n+++ new/a.tf\t2024-01-02 00:00:00.000000000 +0000\n@@ -1 +1 @@\n-x\n+y\n";
        let files = parse(text.as_bytes(), "p").unwrap();
        assert_eq!(files[0].path(), b"a.tf");
        assert_eq!(files[0].status, FileStatus::Modified);
    }

    #[test]
    fn format_patch_series_with_signature() {
        let one = |n: &str| {
            format!(
                "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\nSubject: [PATCH] change {n}\n\nbody text\n---\n {n} | 2 +-\n\n{}-- \n2.47.3\n\n",
                SIMPLE.replace("main.tf", n)
            )
        };
        let text = format!("{}{}", one("a.tf"), one("b.tf"));
        let files = parse(text.as_bytes(), "p").unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].path(), b"b.tf");
    }

    #[test]
    fn quoted_paths_and_no_newline() {
        let text = "diff --git \"a/\\303\\244 x.tf\" \"b/\\303\\244 x.tf\"\n--- \"a/\\303\\244 x.tf\"\n+++ \"b/\\303\\244 x.tf\"\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n";
        let files = parse(text.as_bytes(), "p").unwrap();
        assert_eq!(files[0].path(), "ä x.tf".as_bytes());
        assert!(files[0].hunks[0].lines[0].no_newline_at_eof);
        assert!(!files[0].hunks[0].lines[1].no_newline_at_eof);
    }

    #[test]
    fn mode_change_and_pure_rename_get_meta_hunks() {
        let text = "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\ndiff --git a/old.tf b/new.tf\nsimilarity index 100%\nrename from old.tf\nrename to new.tf\n";
        let files = parse(text.as_bytes(), "p").unwrap();
        assert_eq!(files[0].status, FileStatus::ModeChanged);
        assert_eq!(files[0].hunks[0].kind, HunkKind::Meta);
        assert_eq!(files[1].status, FileStatus::Renamed);
        assert_eq!(files[1].old_path.as_deref(), Some(&b"old.tf"[..]));
        assert_eq!(files[1].hunks.len(), 1);
    }

    #[test]
    fn line_numbers_past_u32_are_an_error_not_an_overflow() {
        let text = "--- a/x\n+++ b/x\n@@ -4294967295,2 +1,2 @@\n a\n b\n";
        assert!(
            err(text).starts_with("p.diff:3: hunk header line numbers out of range"),
            "{}",
            err(text)
        );
    }

    #[test]
    fn empty_input_is_an_empty_change() {
        assert!(parse(b"", "p").unwrap().is_empty());
    }
}
