//! JSON → one document with a source map, by a small strict (RFC 8259) span-tracking parser.
//!
//! The source map records the root and every value; an object member's span runs from its key to
//! the end of its value. Nesting deeper than 256 arrays/objects is rejected. A leading byte-order
//! mark is skipped; a text holding only whitespace gives no document.

use std::collections::BTreeMap;

use super::{Kind, MAX_DEPTH, Node};
use crate::error::Error;
use crate::policy::source_map::{Document, Span};

/// Parses `text` as one JSON value: one document, or none if the text holds only whitespace.
///
/// Errors: any syntax error, as [`Error::at_line`] on `file` at the line of the offending
/// character; nesting deeper than 256 levels.
pub fn load(text: &str, file: &str) -> crate::Result<Vec<Document>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        line: 1,
        file,
    };
    parser.skip_whitespace();
    if parser.pos == parser.bytes.len() {
        return Ok(Vec::new());
    }
    let mut root = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("unexpected content after the JSON value"));
    }
    root.span = Span::new(1, parser.line_of_last_content());
    Ok(vec![root.into_document()])
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    /// The line of `pos` (1-based).
    line: u32,
    file: &'a str,
}

impl Parser<'_> {
    fn error(&self, message: impl Into<String>) -> Error {
        Error::at_line(
            self.file,
            self.line as usize,
            format!("JSON syntax error: {}", message.into()),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
    }

    /// The line of the last non-whitespace byte before `pos`.
    fn line_of_last_content(&self) -> u32 {
        let content = &self.bytes[..self.pos];
        let trailing = content
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .filter(|&&b| b == b'\n')
            .count();
        self.line
            .saturating_sub(u32::try_from(trailing).unwrap_or(u32::MAX))
            .max(1)
    }

    fn expect(&mut self, byte: u8, what: &str) -> crate::Result<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&self, expected: &str) -> Error {
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            Some(c) => self.error(format!("expected {expected}, found `{}`", c.escape_debug())),
            None => self.error(format!("expected {expected}, found the end of the file")),
        }
    }

    /// A value at nesting `depth`, starting at `pos` (no leading whitespace).
    fn value(&mut self, depth: usize) -> crate::Result<Node> {
        let start = self.line;
        let kind = match self.peek() {
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => Kind::String(self.string()?),
            Some(b't') => self.literal("true", Kind::Bool(true))?,
            Some(b'f') => self.literal("false", Kind::Bool(false))?,
            Some(b'n') => self.literal("null", Kind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.unexpected("a value")),
        };
        Ok(Node::new(kind, Span::new(start, self.line)))
    }

    fn literal(&mut self, word: &str, kind: Kind) -> crate::Result<Kind> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(kind)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn object(&mut self, depth: usize) -> crate::Result<Kind> {
        self.check_depth(depth)?;
        self.pos += 1; // `{`
        let mut entries = BTreeMap::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Kind::Object(entries));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a string key"));
            }
            let key_line = self.line;
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':', "`:`")?;
            self.skip_whitespace();
            let mut value = self.value(depth)?;
            value.span = value.span.union(Span::new(key_line, key_line));
            entries.insert(key, value);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Kind::Object(entries));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> crate::Result<Kind> {
        self.check_depth(depth)?;
        self.pos += 1; // `[`
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Kind::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Kind::Array(items));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn check_depth(&self, depth: usize) -> crate::Result<()> {
        if depth > MAX_DEPTH {
            Err(self.error(format!(
                "nesting deeper than {MAX_DEPTH} arrays and objects"
            )))
        } else {
            Ok(())
        }
    }

    fn number(&mut self) -> crate::Result<Kind> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos - from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.unexpected("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.unexpected("a digit"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.unexpected("a digit"));
            }
        }
        let text = &self.text[start..self.pos];
        text.parse::<serde_json::Number>()
            .map(Kind::Number)
            .map_err(|_| self.error(format!("number `{text}` out of range")))
    }

    /// A string at `pos` (on its opening quote), escapes decoded.
    fn string(&mut self) -> crate::Result<String> {
        self.pos += 1; // `"`
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.unexpected("an escape character")),
                    };
                    self.pos += 1;
                    out.push(escaped);
                }
                Some(b'\n') => return Err(self.error("unterminated string")),
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// The character of a `\uXXXX` escape (its `\u` consumed), joining surrogate pairs.
    fn unicode_escape(&mut self) -> crate::Result<char> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if !self.bytes[self.pos..].starts_with(b"\\u") {
                return Err(self.error("unpaired surrogate in \\u escape"));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.error("unpaired surrogate in \\u escape"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.error("unpaired surrogate in \\u escape"))
    }

    fn hex4(&mut self) -> crate::Result<u32> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.unexpected("four hex digits"))?;
        let value = std::str::from_utf8(digits)
            .ok()
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .ok_or_else(|| self.unexpected("four hex digits"))?;
        self.pos += 4;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::source_map::path;
    use serde_json::json;

    fn one(text: &str) -> Document {
        let mut docs = load(text, "t.json").unwrap();
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    fn err(text: &str) -> String {
        load(text, "t.json").unwrap_err().to_string()
    }

    #[test]
    fn values_match_serde_json() {
        let text = r#"{"a": [1, -2.5e3, 0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"],
            "b": {"c": {}}, "d": [], "big": 18446744073709551615, "neg": -9223372036854775808}"#;
        let expected: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(one(text).value, expected);
    }

    #[test]
    fn spans_cover_values_and_members() {
        let text = "{\n  \"Resources\": {\n    \"Bucket\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Tags\": [\n        \"a\",\n        \"b\"\n      ]\n    }\n  }\n}\n";
        let doc = one(text);
        let map = &doc.map;
        assert_eq!(map.locate(&[]), Some(Span::new(1, 11)));
        assert_eq!(map.locate(&path(&["Resources"])), Some(Span::new(2, 10)));
        assert_eq!(
            map.locate(&path(&["Resources", "Bucket"])),
            Some(Span::new(3, 9))
        );
        assert_eq!(
            map.locate(&path(&["Resources", "Bucket", "Type"])),
            Some(Span::new(4, 4))
        );
        assert_eq!(
            map.locate(&path(&["Resources", "Bucket", "Tags"])),
            Some(Span::new(5, 8))
        );
        assert_eq!(
            map.locate(&path(&["Resources", "Bucket", "Tags", "1"])),
            Some(Span::new(7, 7))
        );
        // A path below a scalar falls back to the scalar.
        assert_eq!(
            map.locate(&path(&["Resources", "Bucket", "Type", "x"])),
            Some(Span::new(4, 4))
        );
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            err("{\n  \"a\": 1,\n  \"b\": tru\n}"),
            "t.json:3: JSON syntax error: expected a value, found `t`"
        );
        assert!(err("{\"a\": 1,}").starts_with("t.json:1: "));
        assert!(err("[1, 2").contains("found the end of the file"));
        assert!(err("{\"a\" 1}").contains("expected `:`"));
        assert!(err("\n\n[01]").starts_with("t.json:3: "));
        assert!(err("\"abc").contains("unterminated string"));
        assert!(err("\"a\tb\"").contains("control character"));
        assert!(err("\"\\ud800\"").contains("unpaired surrogate"));
        assert!(err("\"\\x\"").contains("escape"));
        assert!(err("1 2").contains("after the JSON value"));
        assert!(err("-").contains("a digit"));
        assert!(err("1.").contains("a digit"));
        assert!(err("1e+").contains("a digit"));
        assert!(err("{1: 2}").contains("string key"));
        assert!(err("NaN").contains("a value"));
    }

    #[test]
    fn whitespace_only_gives_no_document_and_bom_is_skipped() {
        assert!(load("", "t.json").unwrap().is_empty());
        assert!(load(" \n\t\r\n", "t.json").unwrap().is_empty());
        assert_eq!(one("\u{feff}{\"a\": 1}").value, json!({"a": 1}));
    }

    #[test]
    fn deep_nesting_is_rejected_not_overflowed() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(one(&ok).map.len(), MAX_DEPTH);
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let message = err(&deep);
        assert!(message.contains("nesting deeper than 256"), "{message}");
        let deep_objects = "{\"a\":".repeat(300);
        assert!(err(&deep_objects).contains("nesting deeper than 256"));
    }

    #[test]
    fn duplicate_keys_keep_the_last() {
        let doc = one("{\"a\": 1,\n\"a\": 2}");
        assert_eq!(doc.value, json!({"a": 2}));
        assert_eq!(doc.map.locate(&path(&["a"])), Some(Span::new(2, 2)));
    }

    #[test]
    fn checkov_cloudformation_json() {
        let text = crate::policy::input::corpus::read(
            "checkov-fixtures/tests/cloudformation/checks/resource/aws/example_IAMStarActionPolicyDocument/iam_policy.fail.json",
        );
        let doc = one(&text);
        let statement =
            &doc.value["Resources"]["NEWPolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
        assert_eq!(statement["Action"], json!(["s3:HeadBucket", "*"]));
        assert_eq!(statement["Effect"], json!("Allow"));
        let base = [
            "Resources",
            "NEWPolicy",
            "Properties",
            "PolicyDocument",
            "Statement",
            "0",
        ];
        let at = |rest: &[&str]| {
            let mut full = path(&base);
            full.extend(path(rest));
            doc.map.locate(&full)
        };
        assert_eq!(at(&[]), Some(Span::new(11, 23)));
        assert_eq!(at(&["Action"]), Some(Span::new(12, 15)));
        assert_eq!(at(&["Action", "1"]), Some(Span::new(14, 14)));
        assert_eq!(at(&["Resource", "2"]), Some(Span::new(20, 20)));
        assert_eq!(
            doc.map.locate(&path(&[
                "Resources",
                "NEWPolicy",
                "Properties",
                "Groups",
                "0",
                "Ref"
            ])),
            Some(Span::new(29, 29))
        );
    }

    /// Every JSON file of the CloudFormation and regula corpus loads, as serde_json reads it.
    #[test]
    fn every_corpus_json_loads() {
        let mut files = crate::policy::input::corpus::files(
            "checkov-fixtures/tests/cloudformation",
            &[".json"],
        );
        files.extend(crate::policy::input::corpus::files("regula", &[".json"]));
        assert!(files.len() >= 100, "{}", files.len());
        let mut failures = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            match load(&text, &file.display().to_string()) {
                Ok(docs) => {
                    let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(docs[0].value, expected, "{}", file.display());
                }
                Err(err) => failures.push(err.to_string()),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            let _ = load(&text, "p.json");
        }

        #[test]
        fn json_like_text_agrees_with_serde_json(
            text in r#"[\[\]{}",:0-9eE+\-.\\u tnrfalsenul\n]{0,64}"#
        ) {
            let reference: Result<serde_json::Value, _> = serde_json::from_str(&text);
            match load(&text, "p.json") {
                Ok(docs) => match docs.first() {
                    Some(doc) => proptest::prop_assert_eq!(Some(&doc.value), reference.as_ref().ok()),
                    None => proptest::prop_assert!(text.trim().is_empty()),
                },
                Err(_) => proptest::prop_assert!(reference.is_err(), "serde_json reads {:?}", text),
            }
        }
    }
}
