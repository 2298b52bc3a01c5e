//! The path of an attribute inside a rendered plan resource, held as one string: a plan of
//! 5 000 resources renders some 170 000 attribute paths, and a list of strings for each was
//! the largest part of its rendered change after the lines themselves.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Attribute names and list indexes under a resource's values (`["ingress", "1"]`), stored
/// as one string (each name escaped and ended by a NUL). It serialises as the list of names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttrPath(Box<str>);

impl AttrPath {
    /// The path of these names.
    pub fn new<S: AsRef<str>>(names: &[S]) -> AttrPath {
        let mut out = String::new();
        for name in names {
            for c in name.as_ref().chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\0' => out.push_str("\\0"),
                    c => out.push(c),
                }
            }
            out.push('\0');
        }
        AttrPath(out.into_boxed_str())
    }

    /// The names, in order.
    pub fn names(&self) -> Vec<String> {
        self.0
            .split_terminator('\0')
            .map(|escaped| {
                let mut name = String::with_capacity(escaped.len());
                let mut chars = escaped.chars();
                while let Some(c) = chars.next() {
                    match (c, c == '\\') {
                        (_, true) => match chars.next() {
                            Some('0') => name.push('\0'),
                            Some(other) => name.push(other),
                            None => {}
                        },
                        (c, false) => name.push(c),
                    }
                }
                name
            })
            .collect()
    }

    /// How many names it has.
    pub fn len(&self) -> usize {
        self.0.matches('\0').count()
    }

    /// True for the resource's values themselves.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when `path` starts with this path's names (every name ends in a NUL, which an
    /// escaped name never holds, so a prefix of the string is a prefix of whole names).
    pub fn is_prefix_of(&self, path: &AttrPath) -> bool {
        path.0.starts_with(&*self.0)
    }
}

impl Serialize for AttrPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.names())
    }
}

impl<'de> Deserialize<'de> for AttrPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AttrPath, D::Error> {
        Vec::<String>::deserialize(deserializer).map(|names| AttrPath::new(&names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_whatever_they_hold() {
        for names in [
            vec![],
            vec!["ingress", "0", "cidr_blocks"],
            vec!["a\0b", "c\\", "\\0", ""],
        ] {
            let path = AttrPath::new(&names);
            assert_eq!(path.names(), names);
            assert_eq!(path.len(), names.len());
            let json = serde_json::to_string(&path).unwrap();
            assert_eq!(json, serde_json::to_string(&names).unwrap());
            assert_eq!(serde_json::from_str::<AttrPath>(&json).unwrap(), path);
        }
    }

    #[test]
    fn prefixes_are_whole_names() {
        let path = AttrPath::new(&["ingress", "1"]);
        let of = |names: &[&str]| path.is_prefix_of(&AttrPath::new(names));
        assert!(of(&["ingress", "1", "cidr_blocks", "0"]));
        assert!(of(&["ingress", "1"]));
        assert!(!of(&["ingress", "10"]));
        assert!(!of(&["ingress"]));
        assert!(!of(&["ingress\\", "1"]));
        assert!(AttrPath::default().is_prefix_of(&AttrPath::new(&["x"])));
    }
}
