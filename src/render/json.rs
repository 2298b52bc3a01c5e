//! The model as JSON for scripts (`show --format json`), written as pure ASCII: every
//! non-ASCII character is a `\u` escape, so a bidi control inside a string cannot reorder a
//! terminal that happens to display the JSON.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{ChangeSet, FileChange, Hunk, Line};

/// The JSON form of a change: source, totals, plan summary, notes, files, hunks and lines.
pub fn changeset(cs: &ChangeSet) -> Value {
    let (additions, deletions) = cs.line_stats();
    json!({
        "source": cs.source,
        "summary": {
            "files": cs.files.len(),
            "hunks": cs.hunk_count(),
            "additions": additions,
            "deletions": deletions,
        },
        "plan": cs.plan,
        "notes": cs.notes,
        "files": cs.files.iter().map(file).collect::<Vec<_>>(),
    })
}

fn bytes_fields(obj: &mut serde_json::Map<String, Value>, key: &str, bytes: Option<&[u8]>) {
    let Some(bytes) = bytes else {
        obj.insert(key.into(), Value::Null);
        return;
    };
    obj.insert(
        key.into(),
        Value::String(String::from_utf8_lossy(bytes).into_owned()),
    );
    if std::str::from_utf8(bytes).is_err() {
        obj.insert(format!("{key}_hex"), Value::String(hex(bytes)));
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn file(f: &FileChange) -> Value {
    let (additions, deletions) = f.line_stats();
    let mut obj = serde_json::Map::new();
    bytes_fields(&mut obj, "path", Some(f.path()));
    bytes_fields(&mut obj, "old_path", f.old_path.as_deref());
    bytes_fields(&mut obj, "new_path", f.new_path.as_deref());
    let mode = |m: Option<u32>| m.map(|m| format!("{m:o}"));
    obj.insert("status".into(), json!(f.status));
    obj.insert("content".into(), json!(f.content));
    obj.insert("old_mode".into(), json!(mode(f.old_mode)));
    obj.insert("new_mode".into(), json!(mode(f.new_mode)));
    obj.insert("similarity".into(), json!(f.similarity));
    obj.insert("additions".into(), json!(additions));
    obj.insert("deletions".into(), json!(deletions));
    obj.insert("hunks".into(), f.hunks.iter().map(hunk).collect());
    Value::Object(obj)
}

fn hunk(h: &Hunk) -> Value {
    json!({
        "id": h.id,
        "kind": h.kind,
        "old_start": h.old_start,
        "old_lines": h.old_lines,
        "new_start": h.new_start,
        "new_lines": h.new_lines,
        "title": h.title,
        "lines": h.lines.iter().map(line).collect::<Vec<_>>(),
    })
}

fn line(l: &Line) -> Value {
    let mut obj = serde_json::Map::new();
    obj.insert("kind".into(), json!(l.kind));
    obj.insert("old".into(), json!(l.old_lineno));
    obj.insert("new".into(), json!(l.new_lineno));
    bytes_fields(&mut obj, "text", Some(&l.bytes));
    if l.no_newline_at_eof {
        obj.insert("no_newline_at_eof".into(), Value::Bool(true));
    }
    Value::Object(obj)
}

/// A sequence written one item at a time, each made when it is written: a large report holds
/// one item in memory, not the whole tree. `F` makes the items afresh for each writing.
pub struct Stream<F>(pub F);

impl<F, I> Serialize for Stream<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// Writes `value` pretty-printed with every non-ASCII character escaped, through a buffer (a
/// locked stdout flushes every line, and pretty JSON has many).
pub fn write_ascii<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        AsciiFormatter(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Pretty formatting, with string fragments escaped to ASCII.
struct AsciiFormatter<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for AsciiFormatter<'_> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if fragment.is_ascii() {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if c.is_ascii() {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..i])?;
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                write!(writer, "\\u{u:04x}")?;
            }
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    // Delegate layout to the pretty formatter.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_ascii_and_round_trips() {
        let v = json!({"s": "a\u{202E}b ä 😀"});
        let mut out = Vec::new();
        write_ascii(&v, &mut out).unwrap();
        assert!(out.is_ascii());
        let back: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, v);
    }
}
