//! YAML → one document per non-empty YAML document, each with a source map.
//!
//! Built on `saphyr-parser`'s event stream (every event carries its position), so that the
//! loader controls typing, tags and aliases:
//!
//! - plain scalars are typed by the YAML 1.2 core schema (null `null`/`~`/empty, booleans
//!   `true`/`false` in their three casings, decimal/`0o`/`0x` integers, floats; `.inf`/`.nan`,
//!   which JSON cannot hold, stay strings); quoted and block scalars are strings; the `!!str`,
//!   `!!int`, `!!float`, `!!bool` and `!!null` tags are honoured;
//! - CloudFormation short-form tags load as cfn-lint loads them: `!Ref X` → `{"Ref": "X"}`,
//!   `!Condition X` → `{"Condition": "X"}`, and every other `!Name v` → `{"Fn::Name": v}`
//!   (`!Sub`, `!Join`, `!If`, `!Equals`, `!Not`, `!And`, `!Or`, `!FindInMap`, `!Select`,
//!   `!Split`, `!Base64`, `!GetAZs`, `!ImportValue`, `!Cidr`, …), a tagged scalar staying a
//!   string; `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}` (split at the first dot; the list form
//!   `!GetAtt [A, B]` keeps its items as strings);
//! - anchors and aliases are resolved, and merge keys (`<<: *base`) merged, explicit keys winning;
//!   a document whose aliases expand to more than 100 000 nodes is rejected ("billion laughs");
//! - a duplicate key in a mapping, a mapping or sequence used as a key, and nesting deeper than
//!   256 levels are errors.
//!
//! The source map records each document's root and every mapping value and sequence item. A
//! mapping value's span runs from its key's line to the value's last line; a mapping or sequence
//! spans its first to its last line; a value reached through an alias spans the alias.

use std::collections::{BTreeMap, HashMap};

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::{Kind, MAX_DEPTH, Node};
use crate::error::Error;
use crate::policy::source_map::{Document, Span};

/// The most nodes the aliases of one document may expand to.
pub const MAX_ALIAS_EXPANSION: usize = 100_000;

/// Parses every document of the YAML stream `text`, skipping empty (and `null`) documents.
///
/// Errors: a syntax error, an unknown alias, a duplicate or complex key, a bad merge, too deep or
/// too large an alias expansion — as [`Error::at_line`] on `file`.
pub fn load(text: &str, file: &str) -> crate::Result<Vec<Document>> {
    let mut builder = Builder {
        file,
        positions: Positions::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        expanded: 0,
    };
    let mut docs = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|err| {
            Error::at_line(
                file,
                err.marker().line().max(1),
                format!("YAML syntax error: {}", err.info()),
            )
        })?;
        let (start, end) = (span.start.index(), span.end.index());
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(_) => builder.start_document(),
            Event::DocumentEnd => {
                if let Some(root) = builder.root.take()
                    && root.kind != Kind::Null
                {
                    docs.push(root.into_document());
                }
            }
            Event::Alias(id) => builder.alias(id, start, end)?,
            Event::Scalar(value, style, anchor, tag) => {
                builder.scalar(&value, style, anchor, tag.as_deref(), start, end)?;
            }
            Event::SequenceStart(anchor, tag) => {
                builder.open(Collection::Sequence, anchor, tag.as_deref(), start)?;
            }
            Event::MappingStart(anchor, tag) => {
                builder.open(Collection::Mapping, anchor, tag.as_deref(), start)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(start, end)?,
        }
    }
    Ok(docs)
}

/// Lines of character positions (the parser counts characters, not bytes).
struct Positions {
    chars: Vec<char>,
    /// Character index of the start of each line.
    line_starts: Vec<usize>,
}

impl Positions {
    fn new(text: &str) -> Positions {
        let chars: Vec<char> = text.chars().collect();
        let line_starts = std::iter::once(0)
            .chain(
                chars
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c == '\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Positions { chars, line_starts }
    }

    fn line(&self, index: usize) -> u32 {
        let count = self.line_starts.partition_point(|&start| start <= index);
        u32::try_from(count.max(1)).unwrap_or(u32::MAX)
    }

    /// The index of the last non-whitespace character before `index` and at or after `floor`.
    fn last_content(&self, floor: usize, index: usize) -> Option<usize> {
        let index = index.min(self.chars.len());
        (floor..index)
            .rev()
            .find(|&i| !self.chars[i].is_whitespace())
    }

    /// The lines of the characters `start..end`, trailing whitespace left out; an empty range
    /// (an empty scalar) is placed on the line of the content before it.
    fn span(&self, start: usize, end: usize) -> Span {
        if end > start {
            let last = self.last_content(start, end).unwrap_or(start);
            Span::new(self.line(start), self.line(last))
        } else {
            let at = self.last_content(0, start).unwrap_or(start);
            let line = self.line(at);
            Span::new(line, line)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Collection {
    Sequence,
    Mapping,
}

/// What a node's tag asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TagKind {
    /// No tag, or one without meaning here: resolved by the core schema.
    Plain,
    /// A CloudFormation short form: the node becomes `{key: value}`.
    Cfn { key: String, get_att: bool },
    /// A standard tag (`!!str`, `!!int`, …), by its suffix.
    Core(String),
}

fn classify(tag: Option<&Tag>) -> TagKind {
    let Some(tag) = tag else {
        return TagKind::Plain;
    };
    if tag.is_yaml_core_schema() {
        return TagKind::Core(tag.suffix.clone());
    }
    if tag.handle.is_empty() && tag.suffix == "!" {
        // The non-specific tag `!`: a string.
        return TagKind::Core("str".to_string());
    }
    if tag.handle != "!" {
        return TagKind::Plain;
    }
    match tag.suffix.as_str() {
        "" => TagKind::Core("str".to_string()),
        name @ ("Ref" | "Condition") => TagKind::Cfn {
            key: name.to_string(),
            get_att: false,
        },
        name => TagKind::Cfn {
            key: format!("Fn::{name}"),
            get_att: name == "GetAtt",
        },
    }
}

/// A mapping key waiting for its value.
struct PendingKey {
    name: String,
    line: u32,
    merge: bool,
}

enum FrameKind {
    Sequence(Vec<Node>),
    Mapping {
        entries: BTreeMap<String, Node>,
        key_lines: HashMap<String, u32>,
        pending: Option<PendingKey>,
        /// Values of `<<` merge keys, in order.
        merges: Vec<(Node, u32)>,
    },
}

/// A sequence or mapping being built.
struct Frame {
    kind: FrameKind,
    /// The character index where the collection starts.
    start_index: usize,
    start: u32,
    /// The last line seen so far.
    end: u32,
    anchor: usize,
    tag: TagKind,
}

/// An anchored node with its size (nodes) and height (levels), for alias limits.
struct Anchored {
    node: Node,
    size: usize,
    height: usize,
}

struct Builder<'a> {
    file: &'a str,
    positions: Positions,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    root: Option<Node>,
    /// Nodes the current document's aliases expanded to so far.
    expanded: usize,
}

impl Builder<'_> {
    fn error(&self, line: u32, message: impl Into<String>) -> Error {
        Error::at_line(self.file, line as usize, message)
    }

    fn start_document(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.root = None;
        self.expanded = 0;
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
    ) -> crate::Result<()> {
        let span = self.positions.span(start, end);
        let tag = classify(tag);
        let in_get_att = matches!(
            self.stack.last(),
            Some(Frame {
                tag: TagKind::Cfn { get_att: true, .. },
                kind: FrameKind::Sequence(_),
                ..
            })
        );
        let kind = match &tag {
            TagKind::Cfn { get_att: true, .. } => Kind::Array(
                value
                    .splitn(2, '.')
                    .map(|part| Node::new(Kind::String(part.to_string()), span))
                    .collect(),
            ),
            TagKind::Cfn { .. } => Kind::String(value.to_string()),
            TagKind::Core(suffix) => core_tagged(suffix, value),
            TagKind::Plain if in_get_att || style != ScalarStyle::Plain => {
                Kind::String(value.to_string())
            }
            TagKind::Plain => resolve_plain(value),
        };
        let node = wrap(Node::new(kind, span), &tag);
        let merge_key = style == ScalarStyle::Plain && tag == TagKind::Plain && value == "<<";
        self.anchor(anchor, &node);
        self.push(node, merge_key, start)
    }

    fn alias(&mut self, id: usize, start: usize, end: usize) -> crate::Result<()> {
        let span = self.positions.span(start, end);
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(self.error(span.start, "YAML alias to an unknown anchor"));
        };
        self.expanded = self.expanded.saturating_add(anchored.size);
        if self.expanded > MAX_ALIAS_EXPANSION {
            return Err(self.error(
                span.start,
                format!(
                    "YAML aliases expand to more than {MAX_ALIAS_EXPANSION} nodes \
                     (a \"billion laughs\" document?)"
                ),
            ));
        }
        if self.stack.len() + anchored.height > MAX_DEPTH {
            return Err(self.error(
                span.start,
                format!("YAML nesting deeper than {MAX_DEPTH} levels (through an alias)"),
            ));
        }
        let mut node = anchored.node.clone();
        node.span = span;
        self.push(node, false, start)
    }

    fn open(
        &mut self,
        collection: Collection,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
    ) -> crate::Result<()> {
        let line = self.positions.line(start);
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(line, format!("YAML nesting deeper than {MAX_DEPTH} levels")));
        }
        let kind = match collection {
            Collection::Sequence => FrameKind::Sequence(Vec::new()),
            Collection::Mapping => FrameKind::Mapping {
                entries: BTreeMap::new(),
                key_lines: HashMap::new(),
                pending: None,
                merges: Vec::new(),
            },
        };
        let mut tag = classify(tag);
        if collection == Collection::Mapping
            && let TagKind::Cfn { get_att, .. } = &mut tag
        {
            *get_att = false;
        }
        self.stack.push(Frame {
            kind,
            start_index: start,
            start: line,
            end: line,
            anchor,
            tag,
        });
        Ok(())
    }

    fn close(&mut self, start: usize, end: usize) -> crate::Result<()> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.error(self.positions.line(start), "unbalanced YAML collection"));
        };
        let mut last = frame.end;
        if end > start {
            // A flow collection's closing bracket.
            last = last.max(self.positions.line(start));
        }
        let span = Span::new(frame.start, last);
        let kind = match frame.kind {
            FrameKind::Sequence(items) => Kind::Array(items),
            FrameKind::Mapping {
                mut entries,
                merges,
                ..
            } => {
                for (merge, line) in merges {
                    self.merge(&mut entries, merge, line)?;
                }
                Kind::Object(entries)
            }
        };
        let node = wrap(Node::new(kind, span), &frame.tag);
        self.anchor(frame.anchor, &node);
        self.push(node, false, frame.start_index)
    }

    /// Adds the entries of a `<<` merge value (a mapping or a list of mappings) that the mapping
    /// does not already have.
    fn merge(
        &self,
        entries: &mut BTreeMap<String, Node>,
        merge: Node,
        line: u32,
    ) -> crate::Result<()> {
        let sources = match merge.kind {
            Kind::Object(map) => vec![map],
            Kind::Array(items) => items
                .into_iter()
                .map(|item| match item.kind {
                    Kind::Object(map) => Ok(map),
                    _ => Err(()),
                })
                .collect::<Result<_, _>>()
                .map_err(|()| self.error(line, "a YAML merge key `<<` needs mappings"))?,
            _ => return Err(self.error(line, "a YAML merge key `<<` needs mappings")),
        };
        for source in sources {
            for (key, value) in source {
                entries.entry(key).or_insert(value);
            }
        }
        Ok(())
    }

    fn anchor(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            let (size, height) = measure(node);
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    size,
                    height,
                },
            );
        }
    }

    /// Places a finished node that starts at character `start`: as the root, a sequence item, a
    /// mapping key or a mapping value.
    fn push(&mut self, mut node: Node, merge_key: bool, start: usize) -> crate::Result<()> {
        let file = self.file;
        // A block sequence item spans its `-` indicator's line too.
        let dash = self
            .positions
            .last_content(0, start)
            .filter(|&i| self.positions.chars[i] == '-')
            .map(|i| self.positions.line(i));
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.end = frame.end.max(node.span.end);
        match &mut frame.kind {
            FrameKind::Sequence(items) => {
                if let Some(line) = dash {
                    node.span = node.span.union(Span::new(line, line));
                }
                items.push(node);
            }
            FrameKind::Mapping {
                entries,
                key_lines,
                pending,
                merges,
            } => match pending.take() {
                None => {
                    let line = node.span.start;
                    let name = match node.kind {
                        Kind::String(s) => s,
                        Kind::Number(n) => n.to_string(),
                        Kind::Bool(b) => b.to_string(),
                        Kind::Null => "null".to_string(),
                        Kind::Array(_) | Kind::Object(_) => {
                            return Err(Error::at_line(
                                file,
                                line as usize,
                                "a YAML mapping or sequence used as a mapping key",
                            ));
                        }
                    };
                    *pending = Some(PendingKey {
                        name,
                        line,
                        merge: merge_key,
                    });
                }
                Some(key) => {
                    node.span = node.span.union(Span::new(key.line, key.line));
                    if key.merge {
                        merges.push((node, key.line));
                    } else if let Some(first) = key_lines.get(&key.name) {
                        return Err(Error::at_line(
                            file,
                            key.line as usize,
                            format!(
                                "duplicate YAML mapping key `{}` (first at line {first})",
                                key.name
                            ),
                        ));
                    } else {
                        key_lines.insert(key.name.clone(), key.line);
                        entries.insert(key.name, node);
                    }
                }
            },
        }
        Ok(())
    }
}

/// A CloudFormation-tagged node wrapped as `{key: node}`; any other node as it is.
fn wrap(node: Node, tag: &TagKind) -> Node {
    match tag {
        TagKind::Cfn { key, .. } => {
            let span = node.span;
            Node::new(Kind::Object(BTreeMap::from([(key.clone(), node)])), span)
        }
        _ => node,
    }
}

/// The number of nodes in `node` and its height (1 for a scalar).
fn measure(node: &Node) -> (usize, usize) {
    let children: Box<dyn Iterator<Item = &Node>> = match &node.kind {
        Kind::Array(items) => Box::new(items.iter()),
        Kind::Object(entries) => Box::new(entries.values()),
        _ => Box::new(std::iter::empty()),
    };
    children.fold((1, 1), |(size, height), child| {
        let (s, h) = measure(child);
        (size.saturating_add(s), height.max(h + 1))
    })
}

/// A scalar with a standard tag: typed as the tag says when its text allows, else a string.
fn core_tagged(suffix: &str, value: &str) -> Kind {
    match (suffix, resolve_plain(value)) {
        ("null", Kind::Null) => Kind::Null,
        ("bool", Kind::Bool(b)) => Kind::Bool(b),
        ("int", Kind::Number(n)) if !n.is_f64() => Kind::Number(n),
        ("float", Kind::Number(n)) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Kind::String(value.to_string()), Kind::Number),
        _ => Kind::String(value.to_string()),
    }
}

/// A plain scalar typed by the YAML 1.2 core schema.
fn resolve_plain(value: &str) -> Kind {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        _ => {}
    }
    if let Some(kind) = int_value(value) {
        return kind;
    }
    if is_core_float(value)
        && let Some(n) = value
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
    {
        return Kind::Number(n);
    }
    Kind::String(value.to_string())
}

/// A core-schema integer (`[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`) as a number; a decimal
/// one too large for 64 bits as a float.
fn int_value(value: &str) -> Option<Kind> {
    let radix = |digits: &str, radix: u32| {
        (!digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)))
            .then(|| u64::from_str_radix(digits, radix).ok())
            .flatten()
            .map(|n| Kind::Number(n.into()))
    };
    if let Some(octal) = value.strip_prefix("0o") {
        return radix(octal, 8);
    }
    if let Some(hex) = value.strip_prefix("0x") {
        return radix(hex, 16);
    }
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = if let Ok(i) = value.parse::<i64>() {
        i.into()
    } else if let Ok(u) = value.parse::<u64>() {
        u.into()
    } else {
        value
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)?
    };
    Some(Kind::Number(number))
}

/// Whether `value` matches the core schema's float pattern
/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (infinities and NaN left out).
fn is_core_float(value: &str) -> bool {
    let s = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            all_digits(int) && all_digits(frac) && (!int.is_empty() || !frac.is_empty())
        }
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && all_digits(digits)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::input::corpus;
    use crate::policy::source_map::Step;
    use crate::policy::source_map::path;
    use serde_json::json;

    fn docs(text: &str) -> Vec<Document> {
        load(text, "t.yaml").unwrap()
    }

    fn one(text: &str) -> Document {
        let mut all = docs(text);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    fn err(text: &str) -> String {
        load(text, "t.yaml").unwrap_err().to_string()
    }

    #[test]
    fn core_schema_scalars() {
        let doc = one(concat!(
            "a: 1\nb: -2\nc: +3\nd: 0o17\ne: 0x1F\nf: 1.5\ng: -.5e2\nh: 1e3\ni: .inf\nj: .nan\n",
            "k: true\nl: False\nm: TRUE\nn: yes\no: no\np: on\nq: null\nr: ~\ns:\nt: '1'\nu: \"true\"\n",
            "v: 1_000\nw: 12345678901234567890123\nx: 010\ny: 0b11\nz: 2001-12-14\n",
            "ta: !!str 12\ntb: !!int \"7\"\ntc: !!float 3\ntd: !!bool nope\nte: !!null ''\ntf: ! 5\n",
            // Any other local tag loads as cfn-lint loads it.
            "tg: !custom 5\n"
        ));
        assert_eq!(
            doc.value,
            json!({
                "a": 1, "b": -2, "c": 3, "d": 15, "e": 31, "f": 1.5, "g": -50.0, "h": 1000.0,
                "i": ".inf", "j": ".nan", "k": true, "l": false, "m": true, "n": "yes",
                "o": "no", "p": "on", "q": null, "r": null, "s": null, "t": "1", "u": "true",
                "v": "1_000", "w": 12345678901234567890123.0, "x": 10, "y": "0b11",
                "z": "2001-12-14", "ta": "12", "tb": 7, "tc": 3.0, "td": "nope", "te": null,
                "tf": "5", "tg": {"Fn::custom": "5"}
            })
        );
    }

    #[test]
    fn multi_document_streams() {
        let all =
            docs("a: 1\n---\n# only a comment\n---\nb: [1, 2]\n...\n---\n---\nnull\n---\n- x\n");
        let values: Vec<_> = all.iter().map(|d| d.value.clone()).collect();
        assert_eq!(
            values,
            vec![json!({"a": 1}), json!({"b": [1, 2]}), json!(["x"])]
        );
        assert_eq!(all[1].map.locate(&[]), Some(Span::new(5, 5)));
        assert_eq!(all[2].map.locate(&path(&["0"])), Some(Span::new(11, 11)));
        assert!(docs("").is_empty());
        assert!(docs("# nothing\n").is_empty());
        assert_eq!(docs("plain scalar").len(), 1);
    }

    #[test]
    fn spans_of_values_and_items() {
        let text = "\
# leading comment — with non-ASCII text: ünïcödé ✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓
metadata:
  name: wéb
spec:
  containers:
  - name: app
    securityContext:
      privileged: true
    args: [
      a, b]
  script: |
    line one
    line two

  empty:
  flow: {x: 1,
    y: 2}
";
        let doc = one(text);
        let at = |steps: &[&str]| doc.map.locate(&path(steps));
        assert_eq!(at(&[]), Some(Span::new(2, 17)));
        assert_eq!(at(&["metadata"]), Some(Span::new(2, 3)));
        assert_eq!(at(&["metadata", "name"]), Some(Span::new(3, 3)));
        assert_eq!(doc.value["metadata"]["name"], json!("wéb"));
        assert_eq!(at(&["spec"]), Some(Span::new(4, 17)));
        assert_eq!(at(&["spec", "containers"]), Some(Span::new(5, 10)));
        assert_eq!(at(&["spec", "containers", "0"]), Some(Span::new(6, 10)));
        assert_eq!(
            at(&["spec", "containers", "0", "securityContext"]),
            Some(Span::new(7, 8))
        );
        assert_eq!(
            at(&["spec", "containers", "0", "securityContext", "privileged"]),
            Some(Span::new(8, 8))
        );
        assert_eq!(
            at(&["spec", "containers", "0", "args"]),
            Some(Span::new(9, 10))
        );
        assert_eq!(
            at(&["spec", "containers", "0", "args", "1"]),
            Some(Span::new(10, 10))
        );
        assert_eq!(at(&["spec", "script"]), Some(Span::new(11, 13)));
        assert_eq!(doc.value["spec"]["script"], json!("line one\nline two\n"));
        assert_eq!(at(&["spec", "empty"]), Some(Span::new(15, 15)));
        assert_eq!(doc.value["spec"]["empty"], json!(null));
        assert_eq!(at(&["spec", "flow"]), Some(Span::new(16, 17)));
        assert_eq!(at(&["spec", "flow", "y"]), Some(Span::new(17, 17)));
        // A path the document lacks falls back to its nearest ancestor.
        assert_eq!(
            at(&["spec", "containers", "0", "securityContext", "runAsUser"]),
            Some(Span::new(7, 8))
        );
    }

    #[test]
    fn cloudformation_short_forms() {
        let text = "\
Resources:
  Bucket:
    Properties:
      Name: !Ref BucketName
      Arn: !GetAtt Bucket.Arn
      Nested: !GetAtt Stack.Outputs.Value
      ListForm: !GetAtt [Role, Arn]
      Sub: !Sub 'arn:aws:s3:::${Bucket}/*'
      SubList: !Sub
        - '${A}-x'
        - A: !Ref B
      Join: !Join ['', [a, !Ref C]]
      If: !If [IsProd, 1, !Ref 'AWS::NoValue']
      Cond: !Condition IsProd
      Select: !Select [0, !GetAZs '']
      B64: !Base64 123
      Map: !FindInMap [M, !Ref 'AWS::Region', AMI]
      Misc: [!Equals [a, b], !Not [x], !And [x, y], !Or [x, y], !Split [',', s],
             !ImportValue Exported, !Cidr [10.0.0.0/16, 2, 8]]
";
        let doc = one(text);
        let p = &doc.value["Resources"]["Bucket"]["Properties"];
        assert_eq!(p["Name"], json!({"Ref": "BucketName"}));
        assert_eq!(p["Arn"], json!({"Fn::GetAtt": ["Bucket", "Arn"]}));
        assert_eq!(
            p["Nested"],
            json!({"Fn::GetAtt": ["Stack", "Outputs.Value"]})
        );
        assert_eq!(p["ListForm"], json!({"Fn::GetAtt": ["Role", "Arn"]}));
        assert_eq!(p["Sub"], json!({"Fn::Sub": "arn:aws:s3:::${Bucket}/*"}));
        assert_eq!(
            p["SubList"],
            json!({"Fn::Sub": ["${A}-x", {"A": {"Ref": "B"}}]})
        );
        assert_eq!(p["Join"], json!({"Fn::Join": ["", ["a", {"Ref": "C"}]]}));
        assert_eq!(
            p["If"],
            json!({"Fn::If": ["IsProd", 1, {"Ref": "AWS::NoValue"}]})
        );
        assert_eq!(p["Cond"], json!({"Condition": "IsProd"}));
        assert_eq!(p["Select"], json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
        assert_eq!(p["B64"], json!({"Fn::Base64": "123"}));
        assert_eq!(
            p["Map"],
            json!({"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "AMI"]})
        );
        assert_eq!(
            p["Misc"],
            json!([
                {"Fn::Equals": ["a", "b"]}, {"Fn::Not": ["x"]}, {"Fn::And": ["x", "y"]},
                {"Fn::Or": ["x", "y"]}, {"Fn::Split": [",", "s"]},
                {"Fn::ImportValue": "Exported"}, {"Fn::Cidr": ["10.0.0.0/16", 2, 8]}
            ])
        );
        let at = |steps: &[&str]| {
            let mut full = path(&["Resources", "Bucket", "Properties"]);
            full.extend(path(steps));
            doc.map.locate(&full)
        };
        assert_eq!(at(&["SubList"]), Some(Span::new(9, 11)));
        assert_eq!(
            at(&["SubList", "Fn::Sub", "1", "A"]),
            Some(Span::new(11, 11))
        );
        assert_eq!(at(&["Arn", "Fn::GetAtt", "1"]), Some(Span::new(5, 5)));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "\
base: &base
  image: nginx
  ports: [80]
web:
  <<: *base
  image: httpd
copy: *base
list: [&one 1, *one]
multi:
  <<: [{a: 1}, {a: 2, b: 2}]
";
        let doc = one(text);
        assert_eq!(
            doc.value,
            json!({
                "base": {"image": "nginx", "ports": [80]},
                "web": {"image": "httpd", "ports": [80]},
                "copy": {"image": "nginx", "ports": [80]},
                "list": [1, 1],
                "multi": {"a": 1, "b": 2}
            })
        );
        assert_eq!(doc.map.locate(&path(&["copy"])), Some(Span::new(7, 7)));
        assert_eq!(
            doc.map.locate(&path(&["copy", "ports", "0"])),
            Some(Span::new(3, 3))
        );
        assert!(err("a: *nope\n").contains("unknown anchor"));
        assert!(err("a: &x 1\nb:\n  <<: *x\n").contains("merge key"));
    }

    #[test]
    fn billion_laughs_is_rejected() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        let message = err(&text);
        assert!(message.contains("more than 100000 nodes"), "{message}");
        assert!(message.starts_with("t.yaml:"), "{message}");
    }

    #[test]
    fn errors_name_the_line() {
        let message = err("a: 1\nb: [1, 2\nc: 3\n");
        assert!(message.starts_with("t.yaml:"), "{message}");
        assert!(message.contains("YAML syntax error"), "{message}");
        assert_eq!(
            err("a: 1\nb: 2\na: 3\n"),
            "t.yaml:3: duplicate YAML mapping key `a` (first at line 1)"
        );
        assert!(err("? [a, b]\n: 1\n").contains("used as a mapping key"));
        let message = err("a: 1\n  b: 2\n");
        assert!(message.starts_with("t.yaml:"), "{message}");
        let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        let message = err(&deep);
        assert!(
            message.contains("deeper than 256") || message.contains("recursion"),
            "{message}"
        );
    }

    #[test]
    fn conftest_kubernetes_examples() {
        let all = docs(&corpus::read(
            "conftest-examples/examples/kubernetes/deployment+service.yaml",
        ));
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].value["kind"], json!("Deployment"));
        assert_eq!(all[0].value["spec"]["replicas"], json!(3));
        assert_eq!(
            all[0].value["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"],
            json!(8080)
        );
        assert_eq!(all[1].value["spec"]["type"], json!("LoadBalancer"));
        assert_eq!(all[0].map.locate(&[]), Some(Span::new(1, 19)));
        assert_eq!(all[1].map.locate(&[]), Some(Span::new(21, 31)));
        assert_eq!(
            all[1].map.locate(&path(&["spec", "type"])),
            Some(Span::new(26, 26))
        );
        assert_eq!(
            all[1].map.locate(&path(&["spec", "ports", "0"])),
            Some(Span::new(28, 29))
        );
        for name in ["deployment.yaml", "service.yaml"] {
            let all = docs(&corpus::read(&format!(
                "conftest-examples/examples/kubernetes/{name}"
            )));
            assert_eq!(all.len(), 1, "{name}");
        }
    }

    #[test]
    fn checkov_kubernetes_privileged_daemonset() {
        let text = corpus::read(
            "checkov-fixtures/tests/kubernetes/checks/example_PrivilegedContainers/privilegedDaemonSet-FAILED.yaml",
        );
        let all = docs(&text);
        let pod = &all[0].value["spec"]["template"]["spec"];
        assert_eq!(
            pod["containers"][0]["securityContext"]["privileged"],
            json!(true)
        );
        assert_eq!(pod["hostNetwork"], json!(true));
        assert_eq!(pod["volumes"][0]["hostPath"]["path"], json!("/"));
        assert_eq!(
            pod["containers"][0]["resources"]["limits"]["cpu"],
            json!("200m")
        );
        let at = |steps: &[&str]| {
            let mut full = path(&["spec", "template", "spec"]);
            full.extend(path(steps));
            all[0].map.locate(&full)
        };
        assert_eq!(
            at(&["containers", "0", "securityContext", "privileged"]),
            Some(Span::new(27, 27))
        );
        assert_eq!(at(&["containers", "0"]), Some(Span::new(16, 31)));
        assert_eq!(at(&["volumes", "0", "hostPath"]), Some(Span::new(34, 35)));
        assert_eq!(at(&["hostNetwork"]), Some(Span::new(36, 36)));
    }

    #[test]
    fn checkov_cloudformation_templates() {
        let aws = "checkov-fixtures/tests/cloudformation/checks/resource/aws";
        let text = corpus::read(&format!(
            "{aws}/example_CloudtrailEncryption/CloudTrailEncryption-FAILED.yaml"
        ));
        let doc = one(&text);
        let r = &doc.value["Resources"];
        assert_eq!(
            r["BucketPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Resource"],
            json!({"Fn::Sub": "arn:aws:s3:::${S3Bucket}"})
        );
        assert_eq!(
            r["myTrail"]["Properties"]["EnableLogFileValidation"],
            json!(true)
        );
        assert_eq!(
            r["myTrail"]["Properties"]["SnsTopicName"],
            json!({"Fn::GetAtt": ["Topic", "TopicName"]})
        );
        assert_eq!(r["S3Bucket"]["Properties"], json!({}));
        let statement = path(&[
            "Resources",
            "BucketPolicy",
            "Properties",
            "PolicyDocument",
            "Statement",
        ]);
        let mut resource = statement.clone();
        resource.extend(path(&["0", "Resource"]));
        assert_eq!(doc.map.locate(&resource), Some(Span::new(25, 27)));
        let mut second = statement.clone();
        second.push(Step::Index(1));
        assert_eq!(doc.map.locate(&second), Some(Span::new(28, 39)));

        let text = corpus::read(&format!(
            "{aws}/example_IAMRoleAllowAssumeFromAccount/example_IAMRoleAllowAssumeFromAccount-PASSED-2.yml"
        ));
        let doc = one(&text);
        assert_eq!(
            doc.value["Conditions"]["SpotPricePresent"],
            json!({"Fn::Not": [{"Fn::Equals": [{"Ref": "SpotPrice"}, 0]}]})
        );
        let asg = &doc.value["Resources"]["AutoScalingGroup"];
        assert_eq!(
            asg["UpdatePolicy"]["AutoScalingRollingUpdate"]["MinInstancesInService"],
            json!({"Fn::If": ["SpotPricePresent", 0, {"Ref": "MinInstancesInService"}]})
        );
        assert_eq!(
            doc.map.locate(&path(&[
                "Resources",
                "AutoScalingGroup",
                "UpdatePolicy",
                "AutoScalingRollingUpdate",
                "MinInstancesInService"
            ])),
            Some(Span::new(222, 225))
        );
    }

    #[test]
    fn regula_cfn_input() {
        let text = corpus::read("regula/rego/tests/rules/cfn/s3/inputs/invalid_missing_infra.yaml");
        let doc = one(&text);
        assert!(doc.value["Resources"].is_object(), "{}", doc.value);
        let rendered = doc.value.to_string();
        assert!(
            rendered.contains(r#"{"Fn::GetAtt":["Bucket","Arn"]}"#),
            "{rendered}"
        );
    }

    /// Every YAML file of the corpus loads: checkov's Kubernetes and CloudFormation fixtures,
    /// conftest's examples and regula's inputs.
    #[test]
    fn every_corpus_yaml_loads() {
        let mut files = corpus::files("checkov-fixtures/tests/kubernetes", &[".yaml", ".yml"]);
        files.extend(corpus::files(
            "checkov-fixtures/tests/cloudformation",
            &[".yaml", ".yml"],
        ));
        files.extend(corpus::files(
            "conftest-examples/examples",
            &[".yaml", ".yml"],
        ));
        files.extend(corpus::files("regula", &[".yaml", ".yml"]));
        let mut failures = Vec::new();
        let mut count = 0;
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            match load(&text, &file.display().to_string()) {
                Ok(d) => count += d.len(),
                Err(err) => failures.push(err.to_string()),
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} failed:\n{}",
            failures.len(),
            files.len(),
            failures.join("\n")
        );
        eprintln!("{} files, {count} documents", files.len());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            let _ = load(&text, "p.yaml");
        }

        #[test]
        fn yaml_like_text_never_panics(text in r##"[a-z0-9 :\-\n\[\]{},&*!|>'"#?~.<]{0,80}"##) {
            let _ = load(&text, "p.yaml");
        }
    }
}
