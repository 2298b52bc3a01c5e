//! A Terraform file's base told by what the change did to the blocks of its head, so that
//! only the stretches of the base the change touched are parsed.
//!
//! Both texts are cut before every line that starts with a letter (where a top-level block
//! or attribute can begin). At the head, whose parse says where each top-level item begins,
//! only the cuts at an item's first keyword are kept: each piece is whole items and the
//! comments after them. A base piece with the same text as a head piece holds the same items;
//! each run of the other base pieces is parsed on its own. If each run parses, it begins and
//! ends outside any string, comment or bracket, and the base's document is the head's less
//! the blocks of the head's unmatched pieces, plus the blocks of the base's runs. When that
//! cannot be told by `resource` and `data` blocks alone (an edited attribute, variable or
//! local, a piece that does not parse, an address given twice), there is no delta and the
//! caller parses the whole base.

use std::collections::{BTreeSet, HashMap, VecDeque};

use serde_json::{Map, Value};

use super::hcl::{Address, Item, resource_blocks};

/// How a file's base differs from its head, block by block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BlockChanges {
    /// The head's blocks that the base does not have as they are.
    pub removed: Vec<Address>,
    /// The base's blocks that the head does not have as they are, with their values (a list
    /// of one body, as the document holds a block).
    pub added: Vec<(Address, Value)>,
}

impl BlockChanges {
    /// The base's document: `head`'s with the blocks removed and added.
    pub fn apply(&self, head: &Value) -> Value {
        let mut doc = head.clone();
        for (kind, type_name, name) in &self.removed {
            let Some(types) = doc.get_mut(kind).and_then(Value::as_object_mut) else {
                continue;
            };
            if let Some(named) = types.get_mut(type_name).and_then(Value::as_object_mut) {
                named.remove(name);
                if named.is_empty() {
                    types.remove(type_name);
                }
            }
            if types.is_empty()
                && let Some(object) = doc.as_object_mut()
            {
                object.remove(kind);
            }
        }
        if let Some(object) = doc.as_object_mut() {
            for ((kind, type_name, name), value) in &self.added {
                insert_block(object, kind, type_name, name, value.clone());
            }
        }
        doc
    }
}

/// Puts a block's `value` at `doc[kind][type_name][name]`, making the objects on the way.
pub fn insert_block(
    doc: &mut Map<String, Value>,
    kind: &str,
    type_name: &str,
    name: &str,
    value: Value,
) {
    let types = doc.entry(kind).or_insert_with(|| Value::Object(Map::new()));
    if let Some(named) = types
        .as_object_mut()
        .map(|t| {
            t.entry(type_name)
                .or_insert_with(|| Value::Object(Map::new()))
        })
        .and_then(Value::as_object_mut)
    {
        named.insert(name.to_string(), value);
    }
}

/// The blocks that make `base` (a file's base text) out of its head: `head` (text), whose
/// top-level `items` its parse gave and whose document is `head_doc`. `None` when the
/// difference is not one of `resource` and `data` blocks alone (see the module's notes).
pub fn block_changes(
    head: &str,
    items: &[Item],
    head_doc: &Value,
    base: &str,
) -> Option<BlockChanges> {
    let item_at: HashMap<usize, &Item> = items.iter().map(|i| (i.start, i)).collect();
    let head_pieces = pieces(head, |offset| item_at.contains_key(&offset));
    let base_pieces = pieces(base, |_| true);
    // A base piece with the text of a head piece holds the same items: matched in order, so
    // that lists of blocks (two `locals`, two blocks at one address) keep their order; a
    // piece moved before one it followed has no delta.
    let mut at_head: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (k, (_, text)) in head_pieces.iter().enumerate() {
        at_head.entry(text).or_default().push_back(k);
    }
    let mut last = None;
    // The base's other pieces, each run of them parsed as one text: a run ends at a matched
    // piece, which begins at an item, so it ends after whole items, unless a piece of it does
    // not parse (a heredoc whose lines begin with letters is cut into pieces that do not).
    let mut added = Vec::new();
    let mut run = 0..0;
    for (start, text) in &base_pieces {
        let Some(k) = at_head.get_mut(text).and_then(VecDeque::pop_front) else {
            run = if run.is_empty() { *start } else { run.start }..start + text.len();
            continue;
        };
        if last.is_some_and(|l| l > k) {
            return None;
        }
        last = Some(k);
        if !run.is_empty() {
            added.extend(resource_blocks(&base[run.clone()])?);
            run = 0..0;
        }
    }
    if !run.is_empty() {
        added.extend(resource_blocks(&base[run])?);
    }
    // The head's pieces left unmatched: their blocks are not in the base as they are.
    let unmatched: BTreeSet<usize> = at_head.into_values().flatten().collect();
    let mut removed = Vec::new();
    for &k in &unmatched {
        let (start, text) = head_pieces[k];
        let end = start + text.len();
        for item in items.iter().filter(|i| (start..end).contains(&i.start)) {
            removed.push(item.address.clone()?);
        }
    }
    let changes = BlockChanges { removed, added };
    changes.is_exact(head_doc).then_some(changes)
}

impl BlockChanges {
    /// Whether removing and adding whole entries tells the base exactly: each removed address
    /// holds one block at the head and is removed once, and each added one is added once, to
    /// an address that holds nothing then (two blocks at one address are a list whose order
    /// these changes do not keep).
    fn is_exact(&self, head_doc: &Value) -> bool {
        let blocks_at = |(kind, type_name, name): &Address| {
            head_doc
                .get(kind)
                .and_then(|t| t.get(type_name))
                .and_then(|n| n.get(name))
                .and_then(Value::as_array)
                .map(Vec::len)
        };
        let removed: BTreeSet<&Address> = self.removed.iter().collect();
        let added: BTreeSet<&Address> = self.added.iter().map(|(a, _)| a).collect();
        removed.len() == self.removed.len()
            && added.len() == self.added.len()
            && self.removed.iter().all(|a| blocks_at(a) == Some(1))
            && self.added.iter().all(|(a, value)| {
                value.as_array().map(Vec::len) == Some(1)
                    && (removed.contains(a) || blocks_at(a).is_none())
            })
    }
}

/// `text` cut before every line that starts with an ASCII letter whose offset `keep` keeps,
/// as (offset, piece).
fn pieces(text: &str, keep: impl Fn(usize) -> bool) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    let bytes = text.as_bytes();
    // Line starts, by a byte scan (a search per line costs more on large files).
    let line_starts = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1);
    for offset in line_starts {
        let letter = bytes.get(offset).is_some_and(u8::is_ascii_alphabetic);
        if letter && keep(offset) {
            out.push((from, &text[from..offset]));
            from = offset;
        }
    }
    if from < text.len() || out.is_empty() {
        out.push((from, &text[from..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::input::corpus;
    use crate::policy::input::hcl::{load, load_with_items};
    use crate::synth::repo::{TerraformChange, file_pair};

    /// The base's document through the block changes (`None`: none could be told), checked
    /// against the base parsed whole.
    fn through_changes(head: &str, base: &str) -> Option<BlockChanges> {
        let (head_doc, items) = load_with_items(head, "head.tf").unwrap();
        let changes = block_changes(head, &items, &head_doc.value, base)?;
        let whole = load(base, "base.tf").unwrap().value;
        assert_eq!(changes.apply(&head_doc.value), whole, "{head}\n---\n{base}");
        Some(changes)
    }

    #[test]
    fn synthetic_changes_are_told_by_their_blocks() {
        for seed in 0..12 {
            let spec = TerraformChange {
                files: 3,
                blocks_per_file: 20,
                edited_per_file: 6,
                seed,
            };
            for f in 0..spec.files {
                let (base, head) = file_pair(&spec, f);
                let changes = through_changes(&head, &base).expect("a delta");
                assert!(!changes.removed.is_empty() && !changes.added.is_empty());
                assert!(changes.removed.len() < 20, "only the edited blocks");
            }
        }
    }

    /// Every Terraform file of the corpus against itself with one block dropped, one edited,
    /// and one moved: whenever a delta is told, it gives the base parsed whole.
    #[test]
    fn corpus_files_with_blocks_dropped_edited_and_moved() {
        let mut told = 0;
        for path in corpus::files("", &[".tf"]) {
            let Ok(head) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok((_, items)) = load_with_items(&head, "head.tf") else {
                continue;
            };
            let starts: Vec<usize> = items.iter().map(|i| i.start).collect();
            for k in 0..starts.len() {
                let end = starts.get(k + 1).copied().unwrap_or(head.len());
                let (before, block, after) =
                    (&head[..starts[k]], &head[starts[k]..end], &head[end..]);
                let variants = [
                    format!("{before}{after}"),
                    format!(
                        "{before}{}{after}",
                        block.replacen('=', "= \"edited\" # ", 1)
                    ),
                    format!("{before}{after}\n{block}"),
                ];
                for base in variants {
                    if load(&base, "base.tf").is_ok() && through_changes(&head, &base).is_some() {
                        told += 1;
                    }
                }
            }
        }
        assert!(told > 100, "deltas told: {told}");
    }

    #[test]
    fn an_unchanged_file_has_no_changes() {
        let text = "resource \"a\" \"b\" {\n  x = 1\n}\n\nresource \"a\" \"c\" {\n}\n";
        assert_eq!(through_changes(text, text), Some(BlockChanges::default()));
    }

    #[test]
    fn what_blocks_alone_cannot_tell_has_no_delta() {
        let block = "resource \"a\" \"b\" {\n  x = 1\n}\n";
        let cases = [
            // An edited variable, local or attribute.
            (
                format!("{block}variable \"v\" {{}}\n"),
                format!("{block}variable \"v\" {{ default = 1 }}\n"),
            ),
            (format!("{block}\nx = 1\n"), format!("{block}\nx = 2\n")),
            // A heredoc whose lines look like a block: the base's pieces do not parse.
            (
                format!(
                    "{block}locals {{\n  t = <<EOT\nfirst\nresource \"a\" \"z\" {{\n}}\nEOT\n}}\n"
                ),
                format!(
                    "{block}locals {{\n  t = <<EOT\nsecond\nresource \"a\" \"z\" {{\n}}\nEOT\n}}\n"
                ),
            ),
            // Two blocks at one address, one edited.
            (
                format!("{block}{block}"),
                format!("{block}{}", block.replace('1', "2")),
            ),
            // A block moved before one it followed (two `locals` would change order), beside
            // an edit.
            (
                format!("locals {{\n  a = 1\n}}\n{block}locals {{\n  b = 2\n}}\n"),
                format!(
                    "locals {{\n  b = 2\n}}\n{}locals {{\n  a = 1\n}}\n",
                    block.replace('1', "3")
                ),
            ),
        ];
        for (head, base) in cases {
            assert_eq!(through_changes(&head, &base), None, "{head}\n---\n{base}");
        }
    }

    /// A heredoc whose lines begin with letters is cut into pieces at the base that match
    /// nothing at the head: the run of them is parsed as one text, which is the block.
    #[test]
    fn a_block_holding_a_heredoc_is_parsed_whole() {
        let heredoc =
            "resource \"a\" \"b\" {\n  t = <<EOT\nfirst\n\nresource \"a\" \"z\" {\n}\nEOT\n}\n\n";
        let other = "resource \"a\" \"c\" {\n  x = 1\n}\n";
        let address = |name: &str| ("resource".to_string(), "a".to_string(), name.to_string());
        // Unchanged, beside an edited block: taken out and put back as it was.
        let head = format!("{heredoc}{other}");
        let base = head.replace("x = 1", "x = 2");
        let changes = through_changes(&head, &base).expect("a delta");
        assert_eq!(changes.removed, vec![address("b"), address("c")]);
        // Edited itself.
        let base = head.replace("first", "second");
        let changes = through_changes(&head, &base).expect("a delta");
        assert_eq!(changes.removed, vec![address("b")]);
        assert_eq!(changes.added.len(), 1);
    }

    #[test]
    fn pieces_start_at_lines_beginning_with_a_letter() {
        let text = "a {\n}\n# note\nb {\n  c = 1\n}\n";
        let cut: Vec<&str> = pieces(text, |_| true).into_iter().map(|(_, p)| p).collect();
        assert_eq!(cut, ["a {\n}\n# note\n", "b {\n  c = 1\n}\n"]);
        let kept: Vec<&str> = pieces(text, |_| false)
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        assert_eq!(kept, [text]);
        assert_eq!(pieces("", |_| true), [(0, "")]);
    }
}
