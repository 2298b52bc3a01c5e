//! Renders plan values as `terraform plan` does: a resource block whose attributes are added,
//! removed or changed, nested blocks and maps indented, unchanged attributes of an update
//! hidden behind a count, and the attributes that force a replacement marked.

use std::collections::BTreeSet;

use super::node::Node;
use crate::model::{AttrPath, Line, LineKind, ValueLines};

/// Collects the lines of one hunk.
#[derive(Default)]
pub struct Lines {
    out: Vec<Line>,
    /// Inside `jsonencode(…)`: lists of objects are JSON arrays there, not nested blocks.
    in_json: usize,
    /// For each attribute path rendered: the range of `out` its rendering occupies.
    paths: Vec<(Vec<String>, usize, usize)>,
    /// The path of the value being rendered.
    at: Vec<String>,
}

const INDENT: &str = "  ";

/// What stands before a value on its first line.
#[derive(Clone, Copy)]
pub enum Label<'a> {
    /// Nothing: a list item or a document.
    None,
    /// `key = ` with the key padded to the width of its siblings.
    Attr(&'a str, usize),
    /// `key ` for a nested block (`ingress {`).
    Block(&'a str),
}

impl Label<'_> {
    fn prefix(self) -> String {
        match self {
            Label::None => String::new(),
            Label::Attr(k, width) => format!("{:<width$} = ", key_text(k)),
            Label::Block(k) => format!("{} ", key_text(k)),
        }
    }
}

impl Lines {
    /// The finished lines, numbered 1.. on each side like a file of their own, with the
    /// new-side lines of every attribute path.
    pub fn finish(self) -> (Vec<Line>, Vec<ValueLines>) {
        let (mut old, mut new) = (1, 1);
        let lines: Vec<Line> = self
            .out
            .into_iter()
            .map(|mut l| {
                if l.kind != LineKind::Added {
                    l.old_lineno = Some(old);
                    old += 1;
                }
                if l.kind != LineKind::Removed {
                    l.new_lineno = Some(new);
                    new += 1;
                }
                l
            })
            .collect();
        let value_lines = self
            .paths
            .into_iter()
            .filter_map(|(path, a, b)| {
                let numbers = lines[a..=b].iter().filter_map(|l| l.new_lineno);
                let (start, end) = numbers.fold((u32::MAX, 0), |(s, e), n| (s.min(n), e.max(n)));
                (end > 0).then(|| ValueLines {
                    path: AttrPath::new(&path),
                    start,
                    end,
                })
            })
            .collect();
        (lines, value_lines)
    }

    /// Appends one line.
    pub fn push(&mut self, kind: LineKind, depth: usize, text: &str) {
        let mut s = INDENT.repeat(depth);
        s.push_str(text);
        self.out.push(Line::new(kind, s));
    }

    /// Renders a whole node on one side (create: `Added`, destroy: `Removed`).
    pub fn whole(
        &mut self,
        kind: LineKind,
        depth: usize,
        label: Label<'_>,
        node: &Node,
        suffix: &str,
    ) {
        let start = self.out.len();
        self.whole_lines(kind, depth, label, node, suffix);
        if self.out.len() > start && !self.at.is_empty() {
            self.paths
                .push((self.at.clone(), start, self.out.len() - 1));
        }
    }

    fn whole_lines(
        &mut self,
        kind: LineKind,
        depth: usize,
        label: Label<'_>,
        node: &Node,
        suffix: &str,
    ) {
        let prefix = label.prefix();
        match node {
            Node::Object(map) if !map.is_empty() => {
                self.push(kind, depth, &format!("{prefix}{{"));
                self.entries(kind, depth + 1, map.iter().map(|(k, v)| (k.as_str(), v)));
                self.push(kind, depth, &format!("}}{suffix}"));
            }
            Node::List(items) if self.is_block(node) && matches!(label, Label::Attr(..)) => {
                let Label::Attr(key, _) = label else {
                    unreachable!()
                };
                for (i, item) in items.iter().enumerate() {
                    self.at.push(i.to_string());
                    self.whole(kind, depth, Label::Block(key), item, "");
                    self.at.pop();
                }
            }
            Node::List(items) if !items.is_empty() => {
                self.push(kind, depth, &format!("{prefix}["));
                for (i, item) in items.iter().enumerate() {
                    self.at.push(i.to_string());
                    self.whole(kind, depth + 1, Label::None, item, ",");
                    self.at.pop();
                }
                self.push(kind, depth, &format!("]{suffix}"));
            }
            Node::Json(doc) => {
                self.push(kind, depth, &format!("{prefix}jsonencode("));
                self.in_json += 1;
                self.whole(kind, depth + 1, Label::None, doc, "");
                self.in_json -= 1;
                self.push(kind, depth, &format!("){suffix}"));
            }
            Node::Heredoc(lines) => {
                self.push(kind, depth, &format!("{prefix}<<-EOT"));
                for l in lines {
                    self.push(kind, depth + 1, l);
                }
                self.push(kind, depth, &format!("EOT{suffix}"));
            }
            inline => self.push(
                kind,
                depth,
                &format!("{prefix}{}{suffix}", inline.inline_text()),
            ),
        }
    }

    /// The alignment width for `key = value` lines: the longest key among attribute entries.
    fn key_width<'n>(
        &self,
        entries: impl Iterator<Item = (&'n str, Option<&'n Node>, Option<&'n Node>)>,
    ) -> usize {
        entries
            .filter(|(_, b, a)| b.or(*a).is_some_and(|n| !self.is_block(n)))
            .map(|(k, _, _)| key_text(k).chars().count())
            .max()
            .unwrap_or(0)
    }

    /// True when `node` is shown as repeated nested blocks here.
    fn is_block(&self, node: &Node) -> bool {
        self.in_json == 0 && node.is_block_list()
    }

    fn entries<'n>(
        &mut self,
        kind: LineKind,
        depth: usize,
        entries: impl Iterator<Item = (&'n str, &'n Node)> + Clone,
    ) {
        let width = self.key_width(entries.clone().map(|(k, v)| (k, Some(v), None)));
        // Attributes first, then nested blocks, as terraform orders them.
        let (blocks, attrs): (Vec<_>, Vec<_>) = entries.partition(|(_, v)| self.is_block(v));
        for (k, v) in attrs.into_iter().chain(blocks) {
            self.at.push(k.to_string());
            self.whole(kind, depth, Label::Attr(k, width), v, "");
            self.at.pop();
        }
    }

    /// Renders the difference between two versions of a node; `forces` says whether a path
    /// (attribute names and list indexes) forces replacement.
    pub fn diff(
        &mut self,
        depth: usize,
        label: Label<'_>,
        before: Option<&Node>,
        after: Option<&Node>,
        forces: &dyn Fn(&[String]) -> bool,
        path: &mut Vec<String>,
    ) {
        let start = self.out.len();
        self.at = path.clone();
        self.diff_lines(depth, label, before, after, forces, path);
        if self.out.len() > start {
            self.paths.push((path.clone(), start, self.out.len() - 1));
        }
    }

    fn diff_lines(
        &mut self,
        depth: usize,
        label: Label<'_>,
        before: Option<&Node>,
        after: Option<&Node>,
        forces: &dyn Fn(&[String]) -> bool,
        path: &mut Vec<String>,
    ) {
        let suffix = if forces(path) {
            " # forces replacement"
        } else {
            ""
        };
        let prefix = label.prefix();
        match (before, after) {
            (None, None) => {}
            (None, Some(a)) => self.whole(LineKind::Added, depth, label, a, suffix),
            (Some(b), None) => self.whole(LineKind::Removed, depth, label, b, ""),
            (Some(b), Some(a)) if b == a => {}
            (Some(Node::Object(bm)), Some(Node::Object(am)))
                if !bm.is_empty() && !am.is_empty() =>
            {
                self.push(LineKind::Context, depth, &format!("{prefix}{{"));
                self.object_diff(depth + 1, bm, am, forces, path);
                self.push(LineKind::Context, depth, "}");
            }
            (Some(Node::Json(bd)), Some(Node::Json(ad))) => {
                self.push(LineKind::Context, depth, &format!("{prefix}jsonencode("));
                self.in_json += 1;
                self.diff(depth + 1, Label::None, Some(bd), Some(ad), forces, path);
                self.in_json -= 1;
                self.push(LineKind::Context, depth, ")");
            }
            (Some(b @ Node::List(bl)), Some(a @ Node::List(al)))
                if self.is_block(b) && self.is_block(a) && matches!(label, Label::Attr(..)) =>
            {
                let Label::Attr(key, _) = label else {
                    unreachable!()
                };
                let mut unchanged = 0;
                for i in 0..bl.len().max(al.len()) {
                    if bl.get(i) == al.get(i) {
                        unchanged += 1;
                        continue;
                    }
                    path.push(i.to_string());
                    self.diff(depth, Label::Block(key), bl.get(i), al.get(i), forces, path);
                    path.pop();
                }
                if unchanged > 0 {
                    let what = plural(unchanged, &format!("{} block", key_text(key)));
                    self.push(
                        LineKind::Context,
                        depth,
                        &format!("# ({unchanged} unchanged {what} hidden)"),
                    );
                }
            }
            (Some(Node::List(bl)), Some(Node::List(al))) if !bl.is_empty() && !al.is_empty() => {
                self.push(LineKind::Context, depth, &format!("{prefix}["));
                self.list_diff(depth + 1, bl, al);
                self.push(LineKind::Context, depth, "]");
            }
            (Some(Node::Heredoc(bl)), Some(Node::Heredoc(al))) => {
                self.push(LineKind::Context, depth, &format!("{prefix}<<-EOT"));
                let (b, a): (Vec<&str>, Vec<&str>) = (
                    bl.iter().map(String::as_str).collect(),
                    al.iter().map(String::as_str).collect(),
                );
                for change in similar::TextDiff::from_slices(&b, &a).iter_all_changes() {
                    self.push(tag_kind(change.tag()), depth + 1, change.value());
                }
                self.push(LineKind::Context, depth, "EOT");
            }
            (Some(b), Some(a)) => {
                self.whole(LineKind::Removed, depth, label, b, "");
                self.whole(LineKind::Added, depth, label, a, suffix);
            }
        }
    }

    /// Diffs the entries of two objects, hiding unchanged ones behind a count.
    pub fn object_diff(
        &mut self,
        depth: usize,
        before: &std::collections::BTreeMap<String, Node>,
        after: &std::collections::BTreeMap<String, Node>,
        forces: &dyn Fn(&[String]) -> bool,
        path: &mut Vec<String>,
    ) {
        let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let width = self.key_width(
            keys.iter()
                .map(|k| (k.as_str(), before.get(*k), after.get(*k))),
        );
        let mut hidden_attrs = 0;
        let mut hidden_blocks = 0;
        let in_json = self.in_json > 0;
        let is_block = |k: &String| {
            !in_json
                && before
                    .get(k)
                    .or(after.get(k))
                    .is_some_and(Node::is_block_list)
        };
        let (blocks, attrs): (Vec<&String>, Vec<&String>) =
            keys.into_iter().partition(|k| is_block(k));
        for k in attrs.into_iter().chain(blocks) {
            let (b, a) = (before.get(k), after.get(k));
            if b == a {
                if is_block(k) {
                    hidden_blocks += 1
                } else {
                    hidden_attrs += 1
                }
                continue;
            }
            path.push(k.clone());
            self.diff(depth, Label::Attr(k, width), b, a, forces, path);
            path.pop();
        }
        if hidden_attrs > 0 {
            self.push(
                LineKind::Context,
                depth,
                &format!(
                    "# ({hidden_attrs} unchanged {} hidden)",
                    plural(hidden_attrs, "attribute")
                ),
            );
        }
        if hidden_blocks > 0 {
            self.push(
                LineKind::Context,
                depth,
                &format!(
                    "# ({hidden_blocks} unchanged {} hidden)",
                    plural(hidden_blocks, "block")
                ),
            );
        }
    }

    fn list_diff(&mut self, depth: usize, before: &[Node], after: &[Node]) {
        let render = |n: &Node| {
            let mut l = Lines {
                out: Vec::new(),
                in_json: self.in_json,
                paths: Vec::new(),
                at: Vec::new(),
            };
            l.whole(LineKind::Context, 0, Label::None, n, ",");
            l.out
                .into_iter()
                .map(|l| String::from_utf8_lossy(&l.bytes).into_owned())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (b, a): (Vec<String>, Vec<String>) = (
            before.iter().map(render).collect(),
            after.iter().map(render).collect(),
        );
        let (br, ar): (Vec<&str>, Vec<&str>) = (
            b.iter().map(String::as_str).collect(),
            a.iter().map(String::as_str).collect(),
        );
        for change in similar::TextDiff::from_slices(&br, &ar).iter_all_changes() {
            for part in change.value().split('\n') {
                self.push(tag_kind(change.tag()), depth, part);
            }
        }
    }
}

fn tag_kind(tag: similar::ChangeTag) -> LineKind {
    match tag {
        similar::ChangeTag::Equal => LineKind::Context,
        similar::ChangeTag::Delete => LineKind::Removed,
        similar::ChangeTag::Insert => LineKind::Added,
    }
}

/// `word` with an `s` unless `n` is one.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// A key as terraform prints it: bare when it is an identifier, quoted otherwise.
fn key_text(key: &str) -> String {
    let ident = !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        key.to_string()
    } else {
        serde_json::Value::String(key.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(lines: Vec<Line>) -> String {
        lines
            .iter()
            .map(|l| {
                format!(
                    "{}{}",
                    l.kind.marker() as char,
                    String::from_utf8_lossy(&l.bytes)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn update_shows_only_the_changed_attribute() {
        let b = Node::build(Some(&json!({"a": 1, "b": "x", "c": true})), None, None).unwrap();
        let a = Node::build(Some(&json!({"a": 2, "b": "x", "c": true})), None, None).unwrap();
        let (Node::Object(bm), Node::Object(am)) = (b, a) else {
            panic!()
        };
        let mut l = Lines::default();
        l.object_diff(1, &bm, &am, &|p| p == ["a"], &mut Vec::new());
        assert_eq!(
            text(l.finish().0),
            "-  a = 1\n+  a = 2 # forces replacement\n   # (2 unchanged attributes hidden)"
        );
    }

    #[test]
    fn attribute_paths_map_to_their_lines() {
        let node = Node::build(
            Some(
                &json!({"name": "x", "ingress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 22}]}),
            ),
            None,
            None,
        )
        .unwrap();
        let Node::Object(after) = node else { panic!() };
        let mut l = Lines::default();
        l.object_diff(
            1,
            &std::collections::BTreeMap::new(),
            &after,
            &|_| false,
            &mut Vec::new(),
        );
        let (lines, values) = l.finish();
        let line_of = |path: &[&str]| {
            let v = values
                .iter()
                .find(|v| v.path == AttrPath::new(path))
                .unwrap_or_else(|| panic!("{path:?} in {values:?}"));
            (v.start, v.end)
        };
        let text = |n: u32| String::from_utf8_lossy(&lines[n as usize - 1].bytes).into_owned();
        let (s, _) = line_of(&["ingress", "0", "cidr_blocks", "0"]);
        assert_eq!(text(s).trim(), "\"0.0.0.0/0\",");
        assert_eq!(text(line_of(&["name"]).0).trim(), "name = \"x\"");
    }

    #[test]
    fn nested_blocks_and_json_documents() {
        let v = json!({"ingress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 22}], "policy": "{\"Statement\":[{\"Action\":\"*\"}]}"});
        let node = Node::build(Some(&v), None, None).unwrap();
        let mut l = Lines::default();
        l.whole(LineKind::Added, 0, Label::None, &node, "");
        let t = text(l.finish().0);
        assert!(
            t.contains("+  ingress {\n+    cidr_blocks = [\n+      \"0.0.0.0/0\",\n+    ]"),
            "{t}"
        );
        assert!(t.contains("+  policy = jsonencode(\n+    {\n+      Statement = [\n+        {\n+          Action = \"*\"\n+        },\n+      ]"), "{t}");
    }
}
