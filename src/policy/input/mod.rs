//! Loaders that turn infrastructure files into the JSON documents policies get as `input`.
//!
//! The shapes follow conftest, so that existing conftest policies work unchanged (SPEC §4):
//! Terraform HCL is converted like conftest's HCL2 parser ([`hcl`]), YAML and JSON files are
//! given as parsed ([`yaml`], [`json`]). Every loader also builds a [`SourceMap`] from value paths
//! to the lines each value occupies, so that findings can be placed on the changed lines.
//!
//! Terraform plan JSON is not handled here: the caller recognises plans and gives them as is.

pub mod hcl;
pub mod hcl_delta;
pub mod json;
pub mod yaml;

use std::collections::BTreeMap;

use crate::policy::source_map::{Document, SourceMap, Span, Step};

/// Which loader a file needs, by its name: `.tf`/`.tfvars`/`.hcl` → Hcl, `.yaml`/`.yml` → Yaml,
/// `.json` → Json (but NOT Terraform plan JSON — the caller handles plans), anything else → None.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// HCL: Terraform configurations (`.tf`), variable files (`.tfvars`) and other `.hcl` files.
    Hcl,
    /// YAML, one input per document of a multi-document stream (Kubernetes, CloudFormation).
    Yaml,
    /// JSON (CloudFormation, `.tf.json`, policy documents).
    Json,
}

/// The loader a file needs, judged by its name's extension (case-insensitive); `None` for files
/// no loader reads.
pub fn format_for(path: &str) -> Option<Format> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "tf" | "tfvars" | "hcl" => Some(Format::Hcl),
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// Loads a file's text into one document per input (YAML: one per `---` document; empty documents
/// skipped; a JSON file holding only whitespace gives none).
///
/// `file` names the file in errors, which are [`crate::Error::Input`] at the 1-based line of the
/// problem.
pub fn load(format: Format, text: &str, file: &str) -> crate::Result<Vec<Document>> {
    match format {
        Format::Hcl => hcl::load(text, file).map(|doc| vec![doc]),
        Format::Yaml => yaml::load(text, file),
        Format::Json => json::load(text, file),
    }
}

/// The deepest nesting of arrays and objects the YAML and JSON loaders accept.
pub(crate) const MAX_DEPTH: usize = 256;

/// A value being built by a loader, with the lines it occupies; turned into a [`Document`] by
/// [`Node::into_document`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) span: Span,
}

/// The JSON value of a [`Node`], its children being nodes too.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(BTreeMap<String, Node>),
}

impl Node {
    pub(crate) fn new(kind: Kind, span: Span) -> Node {
        Node { kind, span }
    }

    /// The JSON value and a source map with the span of every value, the root's path being `[]`.
    pub(crate) fn into_document(self) -> Document {
        let (value, map) = emit(self, true);
        Document {
            value,
            map: map.unwrap_or_default(),
        }
    }

    /// The JSON value alone (no source map is built).
    pub(crate) fn into_value(self) -> serde_json::Value {
        emit(self, false).0
    }
}

/// The value of `node` and, when `mapped`, the map of where it and each value inside it live.
fn emit(node: Node, mapped: bool) -> (serde_json::Value, Option<SourceMap>) {
    use serde_json::Value;
    let mut map = mapped.then(|| SourceMap::at(node.span));
    let value = match node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(b),
        Kind::Number(n) => Value::Number(n),
        Kind::String(s) => Value::String(s),
        Kind::Array(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let (value, inner) = emit(item, mapped);
                    if let (Some(map), Some(inner)) = (map.as_mut(), inner) {
                        map.attach(Step::Index(i), inner);
                    }
                    value
                })
                .collect(),
        ),
        Kind::Object(entries) => Value::Object(
            entries
                .into_iter()
                .map(|(key, item)| {
                    let (value, inner) = emit(item, mapped);
                    if let (Some(map), Some(inner)) = (map.as_mut(), inner) {
                        map.attach(Step::Key(key.clone()), inner);
                    }
                    (key, value)
                })
                .collect(),
        ),
    };
    (value, map)
}

/// Line numbers of byte offsets in a text.
pub(crate) struct LineIndex {
    /// Byte offset of the start of each line; line `n` (1-based) starts at `starts[n - 1]`.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        // A byte scan: `match_indices('\n')` searches once per line, a cost on large files.
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The 1-based line of the byte at `offset`.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let count = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(count.max(1)).unwrap_or(u32::MAX)
    }

    /// The lines the bytes `range` occupy (an empty range: the line it is on).
    pub(crate) fn span(&self, range: std::ops::Range<usize>) -> Span {
        let last = if range.end > range.start {
            range.end - 1
        } else {
            range.start
        };
        Span::new(self.line(range.start), self.line(last))
    }

    /// The lines of the whole text: 1 to its last line holding anything.
    pub(crate) fn whole(&self) -> Span {
        Span::new(1, self.line(self.len.saturating_sub(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_by_extension() {
        assert_eq!(format_for("main.tf"), Some(Format::Hcl));
        assert_eq!(format_for("envs/prod.tfvars"), Some(Format::Hcl));
        assert_eq!(format_for("terragrunt.hcl"), Some(Format::Hcl));
        assert_eq!(format_for("k8s/deploy.yaml"), Some(Format::Yaml));
        assert_eq!(format_for("k8s/DEPLOY.YML"), Some(Format::Yaml));
        assert_eq!(format_for("template.json"), Some(Format::Json));
        assert_eq!(format_for("main.tf.json"), Some(Format::Json));
        assert_eq!(format_for("README.md"), None);
        assert_eq!(format_for("Makefile"), None);
        assert_eq!(format_for("dir.tf/file"), None);
        assert_eq!(format_for(""), None);
    }

    #[test]
    fn line_index() {
        let lines = LineIndex::new("ab\ncd\n\nef");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(2), 1);
        assert_eq!(lines.line(3), 2);
        assert_eq!(lines.line(6), 3);
        assert_eq!(lines.line(7), 4);
        assert_eq!(lines.span(3..7), Span::new(2, 3));
        assert_eq!(lines.span(4..4), Span::new(2, 2));
        assert_eq!(lines.whole(), Span::new(1, 4));
        assert_eq!(LineIndex::new("a\n").whole(), Span::new(1, 1));
        assert_eq!(LineIndex::new("").whole(), Span::new(1, 1));
    }

    #[test]
    fn crlf_line_endings() {
        let key = |k: &str| vec![Step::Key(k.to_string())];
        let hcl = load(Format::Hcl, "a = 1\r\n\r\nb {\r\n  c = 2\r\n}\r\n", "x.tf").unwrap();
        assert_eq!(hcl[0].value, serde_json::json!({"a": 1, "b": [{"c": 2}]}));
        assert_eq!(hcl[0].map.locate(&key("b")), Some(Span::new(3, 5)));
        let yaml = load(Format::Yaml, "a: 1\r\nb:\r\n  - x\r\n", "x.yaml").unwrap();
        assert_eq!(yaml[0].value, serde_json::json!({"a": 1, "b": ["x"]}));
        assert_eq!(yaml[0].map.locate(&key("b")), Some(Span::new(2, 3)));
        let json = load(Format::Json, "{\r\n\"a\":\r\n [1]\r\n}\r\n", "x.json").unwrap();
        // Every loader records the whole document at the root path (placement relies on it).
        assert_eq!(hcl[0].map.locate(&[]), Some(Span::new(1, 5)));
        assert_eq!(yaml[0].map.locate(&[]), Some(Span::new(1, 3)));
        assert_eq!(json[0].map.locate(&[]), Some(Span::new(1, 4)));
        assert_eq!(json[0].map.locate(&key("a")), Some(Span::new(2, 3)));
    }

    #[test]
    fn load_dispatches_by_format() {
        let docs = load(Format::Json, "{\"a\": 1}", "x.json").unwrap();
        assert_eq!(docs.len(), 1);
        let docs = load(Format::Yaml, "a: 1\n---\nb: 2\n", "x.yaml").unwrap();
        assert_eq!(docs.len(), 2);
        let docs = load(Format::Hcl, "a = 1\n", "x.tf").unwrap();
        assert_eq!(docs[0].value, serde_json::json!({"a": 1}));
    }
}

/// Helpers for the loaders' tests: the third-party corpus beside the checkout.
#[cfg(test)]
pub(crate) mod corpus {
    use std::path::{Path, PathBuf};

    /// `shared/corpus/<rel>` beside the checkout (CI has it there too).
    pub(crate) fn dir(rel: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus")
            .join(rel)
    }

    /// Every file under `shared/corpus/<rel>` whose name ends with one of `suffixes`, sorted.
    pub(crate) fn files(rel: &str, suffixes: &[&str]) -> Vec<PathBuf> {
        fn walk(dir: &Path, suffixes: &[&str], out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, suffixes, out);
                } else if suffixes.iter().any(|s| path.to_string_lossy().ends_with(s)) {
                    out.push(path);
                }
            }
        }
        let root = dir(rel);
        assert!(root.is_dir(), "corpus folder missing: {}", root.display());
        let mut out = Vec::new();
        walk(&root, suffixes, &mut out);
        out.sort();
        out
    }

    /// A corpus file's text.
    pub(crate) fn read(rel: &str) -> String {
        let path = dir(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
    }
}
