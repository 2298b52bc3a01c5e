//! Source maps: where each value of a loaded input document lives in its file.
//!
//! A loader (see [`crate::policy::input`]) turns a file into a JSON [`Document`] and records, for
//! every value it produced, the lines of the file that value occupies. A policy finding that
//! names a `path` into its input can then be placed on the exact lines — and so on the hunks —
//! it is about, with [`SourceMap::locate`].

use std::collections::BTreeMap;

/// One step into a JSON document.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(untagged)]
pub enum Step {
    /// A key of an object.
    Key(String),
    /// An index into an array (0-based).
    Index(usize),
}

impl From<&str> for Step {
    fn from(key: &str) -> Self {
        Step::Key(key.to_string())
    }
}

impl From<usize> for Step {
    fn from(index: usize) -> Self {
        Step::Index(index)
    }
}

/// The lines (1-based, inclusive) a value occupies in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    /// The first line of the value.
    pub start: u32,
    /// The last line of the value (`>= start`).
    pub end: u32,
}

impl Span {
    /// A span over the lines `start..=end`; the bounds are swapped if given in reverse.
    pub fn new(start: u32, end: u32) -> Self {
        Span {
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn union(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Where each value of a loaded document lives in its file.
///
/// A tree that mirrors the document: each node holds the span of the value at its path (from
/// the root, whose path is empty and which spans the whole document) and the nodes of that
/// value's keys or indexes. Loaders build it bottom-up ([`SourceMap::at`],
/// [`SourceMap::attach`]), so no value's path is ever copied.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SourceMap {
    span: Option<Span>,
    children: BTreeMap<Step, SourceMap>,
}

impl SourceMap {
    /// A map of a value that occupies `span`, its children to be attached.
    pub fn at(span: Span) -> SourceMap {
        SourceMap {
            span: Some(span),
            children: BTreeMap::new(),
        }
    }

    /// Makes `child` the map of the value under `step`.
    pub fn attach(&mut self, step: Step, child: SourceMap) {
        self.children.insert(step, child);
    }

    /// Records that the value at `path` occupies `span`, replacing any earlier record (tests
    /// build maps by path; loaders build them bottom-up).
    #[cfg(test)]
    pub(crate) fn insert(&mut self, path: Vec<Step>, span: Span) {
        let mut node = self;
        for step in path {
            node = node.children.entry(step).or_default();
        }
        node.span = Some(span);
    }

    /// The span of the value at `path`; if that exact path has none, the nearest ancestor's.
    pub fn locate(&self, path: &[Step]) -> Option<Span> {
        let mut node = self;
        let mut found = node.span;
        for step in path {
            let Some(child) = node.children.get(step) else {
                break;
            };
            node = child;
            found = node.span.or(found);
        }
        found
    }

    /// Converts a JSON array of keys/indexes (as policies return in `path`) into steps; strings →
    /// Key, non-negative integers → Index; anything else → None.
    pub fn steps(path: &serde_json::Value) -> Option<Vec<Step>> {
        path.as_array()?
            .iter()
            .map(|step| match step {
                serde_json::Value::String(key) => Some(Step::Key(key.clone())),
                serde_json::Value::Number(n) => n
                    .as_u64()
                    .and_then(|i| usize::try_from(i).ok())
                    .map(Step::Index),
                _ => None,
            })
            .collect()
    }

    /// How many paths have a span recorded.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        usize::from(self.span.is_some()) + self.children.values().map(SourceMap::len).sum::<usize>()
    }
}

/// Test shorthand: `path(&["resource", "0", "ingress"])` — numbers are indexes.
#[cfg(test)]
pub fn path(steps: &[&str]) -> Vec<Step> {
    steps
        .iter()
        .map(|s| match s.parse::<usize>() {
            Ok(i) => Step::Index(i),
            Err(_) => Step::Key(s.to_string()),
        })
        .collect()
}

/// A loaded input document and its source map.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document as policies see it (`input`).
    pub value: serde_json::Value,
    /// Where each value of `value` lives in the file.
    pub map: SourceMap,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path(steps: &[Step]) -> Vec<Step> {
        steps.to_vec()
    }

    #[test]
    fn locate_exact_then_nearest_ancestor() {
        let mut map = SourceMap::default();
        map.insert(vec![], Span::new(1, 20));
        map.insert(path(&["resource".into()]), Span::new(2, 19));
        map.insert(path(&["resource".into(), "a".into()]), Span::new(3, 9));
        map.insert(
            path(&["resource".into(), "a".into(), 0.into()]),
            Span::new(4, 5),
        );
        assert_eq!(
            map.locate(&["resource".into(), "a".into(), 0.into()]),
            Some(Span::new(4, 5))
        );
        assert_eq!(
            map.locate(&["resource".into(), "a".into(), 1.into(), "x".into()]),
            Some(Span::new(3, 9))
        );
        assert_eq!(map.locate(&["other".into()]), Some(Span::new(1, 20)));
        assert_eq!(map.len(), 4);
        assert!(SourceMap::default().locate(&[]).is_none());
    }

    #[test]
    fn steps_from_policy_paths() {
        assert_eq!(
            SourceMap::steps(&json!(["resource", "aws_s3_bucket", "b", "ingress", 1])),
            Some(vec![
                "resource".into(),
                "aws_s3_bucket".into(),
                "b".into(),
                "ingress".into(),
                Step::Index(1)
            ])
        );
        assert_eq!(SourceMap::steps(&json!([])), Some(vec![]));
        assert_eq!(SourceMap::steps(&json!(["a", -1])), None);
        assert_eq!(SourceMap::steps(&json!(["a", 1.5])), None);
        assert_eq!(SourceMap::steps(&json!(["a", null])), None);
        assert_eq!(SourceMap::steps(&json!("a")), None);
    }

    #[test]
    fn steps_serialize_untagged() {
        let steps = vec![Step::Key("a".into()), Step::Index(2)];
        assert_eq!(serde_json::to_value(&steps).unwrap(), json!(["a", 2]));
        assert_eq!(
            serde_json::to_value(Span::new(5, 3)).unwrap(),
            json!({"start": 3, "end": 5})
        );
    }
}
