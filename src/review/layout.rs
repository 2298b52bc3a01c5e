//! How one hunk is laid out in screen rows at a given width: every line soft-wrapped into
//! segments (nothing is cut off), "no newline" notes, and finding annotations under the lines
//! they are about. The reducer uses it to know what is on screen (for "seen") and the view
//! draws exactly these rows.

use std::borrow::Cow;
use std::ops::Range;

use unicode_width::UnicodeWidthChar;

use crate::model::{Hunk, Line};
use crate::render::inline::side_pairs;
use crate::render::sanitize::sanitize;

/// A piece of one line's display text (a byte range of [`display_text`] of line `line`), or
/// of one annotation's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seg {
    /// Index of the line in the hunk (of the note, for annotations).
    pub line: u32,
    /// Which row of the wrapped line this is (0 for the first).
    pub part: u32,
    /// How many rows the wrapped line takes.
    pub parts: u32,
    /// First byte of the segment.
    pub start: u32,
    /// One past its last byte.
    pub end: u32,
}

impl Seg {
    /// True for the first segment of a line (later ones are continuations).
    pub fn is_first(&self) -> bool {
        self.part == 0
    }
}

/// The segments `text` wraps into at `width` columns, for line (or note) `line`.
fn segments(line: usize, text: &str, width: usize) -> Vec<Seg> {
    segments_with(line, text, width, wrap)
}

fn segments_with(
    line: usize,
    text: &str,
    width: usize,
    wrapper: fn(&str, usize) -> Vec<(usize, usize)>,
) -> Vec<Seg> {
    let ranges = wrapper(text, width);
    let parts = ranges.len() as u32;
    ranges
        .into_iter()
        .enumerate()
        .map(|(k, (s, e))| Seg {
            line: line as u32,
            part: k as u32,
            parts,
            start: s as u32,
            end: e as u32,
        })
        .collect()
}

/// One screen row of a hunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// Unified view: a segment of a line.
    Text(Seg),
    /// Side-by-side view: the old side and the new side of one row.
    Pair(Option<Seg>, Option<Seg>),
    /// `\ No newline at end of file` after this line.
    NoNewline(u32),
    /// A segment of an annotation (`line` of the segment is the note's index).
    Annotation(Seg),
}

/// A finding annotation to lay out under a line, like a compiler diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The line it goes under.
    pub line: usize,
    /// Its text (already sanitized).
    pub text: String,
    /// Index of the finding in the review's findings.
    pub finding: usize,
}

/// The rows of one hunk at one width.
#[derive(Debug, Clone, PartialEq)]
pub struct HunkLayout {
    /// The width it was laid out for (the hunk view's columns).
    pub width: u16,
    /// Side-by-side or unified.
    pub side_by_side: bool,
    /// Digits of the widest line number (at least 3).
    pub number_width: usize,
    /// Columns of text per line (per side when side by side).
    pub text_width: usize,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
}

/// The text a line is displayed as: its bytes with hidden and hostile characters replaced by
/// markers (borrowed when the line is plain printable ASCII, the common case).
pub fn display_text(line: &Line) -> Cow<'_, str> {
    display(line).0
}

/// Whether a line's bytes are plain printable ASCII: shown as they are, one column a byte.
fn is_plain(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| (0x20..0x7f).contains(b))
}

/// [`display_text`] and the byte ranges in it that are markers.
pub fn display(line: &Line) -> (Cow<'_, str>, Vec<Range<usize>>) {
    if is_plain(&line.bytes) {
        // Checked: printable ASCII is valid UTF-8.
        let text = std::str::from_utf8(&line.bytes).unwrap_or_default();
        (Cow::Borrowed(text), Vec::new())
    } else {
        let s = sanitize(&line.bytes);
        (Cow::Owned(s.text), s.markers)
    }
}

/// Where `query` occurs in `text`, ignoring ASCII case (empty for an empty query).
pub fn find_all(text: &str, query: &str) -> Vec<Range<usize>> {
    let (hay, needle) = (text.as_bytes(), query.as_bytes());
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            out.push(i..i + needle.len());
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// Splits `text` into byte ranges of at most `width` display columns (one empty range for an
/// empty text; a character wider than `width` gets a row of its own).
pub fn wrap(text: &str, width: usize) -> Vec<(usize, usize)> {
    let width = width.max(1);
    if text.is_ascii() {
        if text.is_empty() {
            return vec![(0, 0)];
        }
        return (0..text.len())
            .step_by(width)
            .map(|s| (s, (s + width).min(text.len())))
            .collect();
    }
    let mut out = Vec::new();
    let (mut start, mut col) = (0, 0);
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if col + w > width && col > 0 {
            out.push((start, i));
            start = i;
            col = 0;
        }
        col += w;
    }
    out.push((start, text.len()));
    out
}

/// Splits prose into rows of at most `width` columns, breaking after a space where there is
/// one, else inside the word (as [`wrap`]). No text is dropped.
pub fn wrap_words(text: &str, width: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let rest = &text[start..];
        let end = wrap(rest, width).first().map_or(rest.len(), |r| r.1);
        let cut = if end == rest.len() {
            end
        } else if rest[end..].starts_with(' ') {
            // The space the row ends at goes with it (it needs no column of its own).
            end + 1
        } else {
            rest[..end]
                .rfind(' ')
                .filter(|&i| i > 0)
                .map_or(end, |i| i + 1)
        };
        out.push((start, start + cut));
        start += cut;
    }
    if out.is_empty() {
        out.push((0, 0));
    }
    out
}

/// The one row line `i` takes when it is plain printable ASCII no wider than `width` (most
/// lines): what [`segments`] gives for it, without wrapping it.
fn single_row(i: usize, line: &Line, width: usize) -> Option<Seg> {
    let n = line.bytes.len();
    (n <= width.max(1) && is_plain(&line.bytes)).then_some(Seg {
        line: i as u32,
        part: 0,
        parts: 1,
        start: 0,
        end: n as u32,
    })
}

/// Columns of the line-number gutter of one side: the number and a space.
pub fn side_gutter(number_width: usize) -> usize {
    number_width + 1
}

/// Columns before the text in the unified view: `old new │` and the marker column.
pub fn unified_gutter(number_width: usize) -> usize {
    2 * number_width + 4
}

impl HunkLayout {
    /// Lays out `hunk` with its annotations for a hunk view `width` columns wide.
    pub fn new(hunk: &Hunk, notes: &[Note], width: u16, side_by_side: bool) -> HunkLayout {
        let number_width = crate::render::text::number_width(hunk);
        let w = usize::from(width);
        let text_width = if side_by_side {
            (w.saturating_sub(1) / 2)
                .saturating_sub(side_gutter(number_width) + 1)
                .max(1)
        } else {
            w.saturating_sub(unified_gutter(number_width)).max(1)
        };
        let note_width = w.saturating_sub(unified_gutter(number_width)).max(1);
        let mut layout = HunkLayout {
            width,
            side_by_side,
            number_width,
            text_width,
            rows: Vec::with_capacity(hunk.lines.len() + notes.len()),
        };
        let mut notes_by_line: Vec<(usize, usize)> =
            notes.iter().enumerate().map(|(i, n)| (n.line, i)).collect();
        notes_by_line.sort();
        let mut next_note = 0;
        let mut push_notes = |rows: &mut Vec<Row>, through: usize| {
            while let Some(&(line, i)) = notes_by_line.get(next_note) {
                if line > through {
                    break;
                }
                rows.extend(
                    segments_with(i, &notes[i].text, note_width, wrap_words)
                        .into_iter()
                        .map(Row::Annotation),
                );
                next_note += 1;
            }
        };
        let segs = |i: usize| segments(i, &display_text(&hunk.lines[i]), text_width);
        let single = |i: usize| single_row(i, &hunk.lines[i], text_width);
        if side_by_side {
            for (left, right) in side_pairs(&hunk.lines) {
                let (l1, r1) = (left.map(single), right.map(single));
                if l1.is_none_or(|s| s.is_some()) && r1.is_none_or(|s| s.is_some()) {
                    layout.rows.push(Row::Pair(l1.flatten(), r1.flatten()));
                } else {
                    let l = left.map(segs).unwrap_or_default();
                    let r = right.map(segs).unwrap_or_default();
                    for k in 0..l.len().max(r.len()) {
                        layout
                            .rows
                            .push(Row::Pair(l.get(k).copied(), r.get(k).copied()));
                    }
                }
                for i in [left, right].into_iter().flatten() {
                    if hunk.lines[i].no_newline_at_eof {
                        layout.rows.push(Row::NoNewline(i as u32));
                    }
                }
                let last = left.max(right).unwrap_or(0);
                push_notes(&mut layout.rows, last);
            }
        } else {
            for (i, line) in hunk.lines.iter().enumerate() {
                match single(i) {
                    Some(seg) => layout.rows.push(Row::Text(seg)),
                    None => layout.rows.extend(segs(i).into_iter().map(Row::Text)),
                }
                if line.no_newline_at_eof {
                    layout.rows.push(Row::NoNewline(i as u32));
                }
                push_notes(&mut layout.rows, i);
            }
        }
        push_notes(&mut layout.rows, usize::MAX);
        layout
    }

    /// The first row showing line `line`, if any.
    pub fn row_of_line(&self, line: usize) -> Option<usize> {
        let line = line as u32;
        self.rows.iter().position(|r| match r {
            Row::Text(s) => s.line == line,
            Row::Pair(l, r) => [l, r].into_iter().flatten().any(|s| s.line == line),
            _ => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HunkId, HunkKind, LineKind};

    fn hunk(lines: Vec<Line>) -> Hunk {
        Hunk {
            id: HunkId::for_lines(b"f", &lines),
            kind: HunkKind::Text,
            old_start: 1,
            old_lines: 0,
            new_start: 1,
            new_lines: 0,
            title: String::new(),
            lines,
        }
    }

    #[test]
    fn a_single_row_is_what_wrapping_gives() {
        let texts: [&[u8]; 7] = [
            b"",
            b"short",
            b"exactly ten",
            b"a line longer than the width",
            "caf\u{e9}".as_bytes(),
            b"tab\there",
            b"\x1b[2K",
        ];
        for width in [1, 5, 11, 40] {
            for (i, bytes) in texts.iter().enumerate() {
                let line = Line::new(LineKind::Added, bytes.to_vec());
                let wrapped = segments(i, &display_text(&line), width);
                match single_row(i, &line, width) {
                    Some(seg) => assert_eq!(wrapped, vec![seg], "{bytes:?} at {width}"),
                    None => assert!(
                        wrapped.len() > 1 || !is_plain(bytes),
                        "{bytes:?} at {width}"
                    ),
                }
            }
        }
    }

    #[test]
    fn wraps_by_display_columns_without_losing_text() {
        assert_eq!(wrap("abcdefg", 3), vec![(0, 3), (3, 6), (6, 7)]);
        assert_eq!(wrap("", 3), vec![(0, 0)]);
        // Wide characters take two columns each.
        let text = "日本語x";
        let parts: Vec<&str> = wrap(text, 4).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(parts, vec!["日本", "語x"]);
        assert_eq!(parts.concat(), text);
    }

    #[test]
    fn prose_wraps_at_spaces() {
        let text = "aws_s3_bucket.logs has no server-side encryption";
        let rows: Vec<&str> = wrap_words(text, 20)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(
            rows,
            vec!["aws_s3_bucket.logs ", "has no server-side ", "encryption"]
        );
        assert_eq!(rows.concat(), text);
        let long = "x".repeat(25);
        assert_eq!(wrap_words(&long, 10).len(), 3);
    }

    #[test]
    fn long_lines_wrap_and_notes_follow_their_line() {
        let mut a = Line::new(LineKind::Added, "x".repeat(100));
        a.new_lineno = Some(1);
        let h = hunk(vec![a, Line::new(LineKind::Added, "short")]);
        let notes = [Note {
            line: 0,
            text: "└─ high r: m".into(),
            finding: 0,
        }];
        let layout = HunkLayout::new(&h, &notes, 50, false);
        // 50 columns - 10 gutter = 40 per row: 100 chars in 3 rows, the note, then line 1.
        assert_eq!(layout.text_width, 40);
        assert_eq!(layout.rows.len(), 5);
        assert!(matches!(
            layout.rows[3],
            Row::Annotation(Seg { line: 0, .. })
        ));
        assert_eq!(layout.row_of_line(1), Some(4));
    }
}
