//! Plan values prepared for display: unknown values and sensitive values are resolved into
//! their own node kinds before anything is rendered, so a secret can never reach a line.

use serde_json::Value;
use std::collections::BTreeMap;

use crate::model::sha256_hex;

/// A plan value, with unknown and sensitive parts already replaced.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A scalar, already rendered as HCL-like text (`"abc"`, `3`, `true`).
    Scalar(String),
    /// `(known after apply)`.
    Unknown,
    /// `(sensitive)`; holds the digest of the hidden value so changes can still be detected.
    Sensitive(String),
    /// An object: attributes, a map, or a nested block.
    Object(BTreeMap<String, Node>),
    /// A list, set or tuple.
    List(Vec<Node>),
    /// A string that holds a JSON document (IAM policies), shown as `jsonencode(…)`.
    Json(Box<Node>),
    /// A multi-line string, shown as a heredoc.
    Heredoc(Vec<String>),
}

impl Node {
    /// Builds the node for `value` given the matching `after_unknown` and `*_sensitive` masks
    /// (each `true` for the whole value, or an object/array mirroring it, or absent).
    pub fn build(
        value: Option<&Value>,
        unknown: Option<&Value>,
        sensitive: Option<&Value>,
    ) -> Option<Node> {
        if sensitive == Some(&Value::Bool(true)) {
            return match (value, unknown) {
                (Some(v), _) => Some(Node::Sensitive(digest(v))),
                // Unknown and sensitive: terraform still shows that the attribute is there.
                (_, Some(Value::Bool(true))) => Some(Node::Sensitive("unknown".into())),
                _ => None,
            };
        }
        if unknown == Some(&Value::Bool(true)) {
            return Some(Node::Unknown);
        }
        let value = value?;
        Some(match value {
            Value::Null => return None,
            Value::Object(map) => {
                let mut out = BTreeMap::new();
                let keys = map
                    .keys()
                    .chain(mask_keys(unknown))
                    .collect::<std::collections::BTreeSet<_>>();
                for key in keys {
                    let child = Node::build(
                        map.get(key),
                        unknown.and_then(|u| u.get(key)),
                        sensitive.and_then(|s| s.get(key)),
                    );
                    if let Some(child) = child {
                        out.insert(key.clone(), child);
                    }
                }
                Node::Object(out)
            }
            Value::Array(items) => Node::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        Node::build(
                            Some(item),
                            unknown.and_then(|u| u.get(i)),
                            sensitive.and_then(|s| s.get(i)),
                        )
                        .unwrap_or_else(|| Node::Scalar("null".into()))
                    })
                    .collect(),
            ),
            Value::String(s) => string_node(s),
            other => Node::Scalar(other.to_string()),
        })
    }

    /// True for a non-empty list whose items are all objects: rendered as repeated blocks.
    pub fn is_block_list(&self) -> bool {
        matches!(self, Node::List(items) if !items.is_empty() && items.iter().all(|i| matches!(i, Node::Object(_))))
    }

    /// The single-line text of an inline node.
    pub fn inline_text(&self) -> String {
        match self {
            Node::Scalar(s) => s.clone(),
            Node::Unknown => "(known after apply)".into(),
            Node::Sensitive(_) => "(sensitive)".into(),
            Node::Object(_) => "{}".into(),
            Node::List(_) => "[]".into(),
            Node::Json(_) | Node::Heredoc(_) => String::new(),
        }
    }
}

fn mask_keys(mask: Option<&Value>) -> impl Iterator<Item = &String> {
    mask.and_then(Value::as_object).into_iter().flat_map(|m| {
        m.iter()
            .filter(|(_, v)| **v == Value::Bool(true))
            .map(|(k, _)| k)
    })
}

fn string_node(s: &str) -> Node {
    let trimmed = s.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(json @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str::<Value>(s)
        && let Some(node) = Node::build(Some(&json), None, None)
    {
        return Node::Json(Box::new(node));
    }
    if s.contains('\n') {
        return Node::Heredoc(
            s.trim_end_matches('\n')
                .split('\n')
                .map(str::to_string)
                .collect(),
        );
    }
    Node::Scalar(Value::String(s.to_string()).to_string())
}

/// The union of two sensitivity masks: a path is sensitive when either side marks it, so a
/// value that becomes (or stops being) sensitive is hidden on both sides, as terraform does.
pub fn merge_masks(a: Option<&Value>, b: Option<&Value>) -> Value {
    match (a, b) {
        (Some(Value::Bool(true)), _) | (_, Some(Value::Bool(true))) => Value::Bool(true),
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), merge_masks(x.get(k), y.get(k))))
                    .collect(),
            )
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => Value::Array(
            (0..x.len().max(y.len()))
                .map(|i| merge_masks(x.get(i), y.get(i)))
                .collect(),
        ),
        (Some(m @ (Value::Object(_) | Value::Array(_))), _)
        | (_, Some(m @ (Value::Object(_) | Value::Array(_)))) => m.clone(),
        _ => Value::Bool(false),
    }
}

/// `sha256:<hex>` of a value's canonical JSON: how a secret is represented in ids and digests.
pub fn digest(value: &Value) -> String {
    format!("sha256:{}", sha256_hex(value.to_string().as_bytes()))
}

/// The value with every sensitive part replaced by its [`digest`], as canonical JSON
/// (sorted keys, no whitespace). Safe to hash or store.
pub fn masked_canonical(value: Option<&Value>, sensitive: Option<&Value>) -> String {
    fn mask(value: &Value, sensitive: Option<&Value>) -> Value {
        if sensitive == Some(&Value::Bool(true)) {
            return Value::String(digest(value));
        }
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), mask(v, sensitive.and_then(|s| s.get(k)))))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| mask(v, sensitive.and_then(|s| s.get(i))))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    value.map_or_else(|| "null".to_string(), |v| mask(v, sensitive).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sensitive_parts_are_replaced_before_rendering() {
        let v = json!({"password": "hunter2", "name": "db"});
        let node = Node::build(Some(&v), None, Some(&json!({"password": true}))).unwrap();
        let Node::Object(m) = node else { panic!() };
        assert!(matches!(m["password"], Node::Sensitive(_)));
        assert_eq!(m["name"], Node::Scalar("\"db\"".into()));
        let canon = masked_canonical(Some(&v), Some(&json!({"password": true})));
        assert!(!canon.contains("hunter2"));
        assert!(canon.contains("sha256:"));
    }

    #[test]
    fn masks_merge_across_sides() {
        let m = merge_masks(
            Some(&json!({"a": true, "l": [false, true]})),
            Some(&json!({"b": true, "l": [true]})),
        );
        assert_eq!(m, json!({"a": true, "b": true, "l": [true, true]}));
        assert_eq!(
            merge_masks(Some(&json!(false)), Some(&json!(true))),
            json!(true)
        );
        assert_eq!(
            merge_masks(None, Some(&json!({"x": true}))),
            json!({"x": true})
        );
    }

    #[test]
    fn unknown_sensitive_values_are_still_shown_as_sensitive() {
        let node = Node::build(
            Some(&json!({})),
            Some(&json!({"pw": true})),
            Some(&json!({"pw": true})),
        )
        .unwrap();
        let Node::Object(m) = node else { panic!() };
        assert!(matches!(m["pw"], Node::Sensitive(_)));
    }

    #[test]
    fn unknown_keys_appear_even_when_absent_from_after() {
        let node = Node::build(Some(&json!({})), Some(&json!({"arn": true})), None).unwrap();
        let Node::Object(m) = node else { panic!() };
        assert_eq!(m["arn"], Node::Unknown);
    }

    #[test]
    fn json_strings_become_documents() {
        let node = Node::build(Some(&json!("{\"Action\":\"*\"}")), None, None).unwrap();
        assert!(matches!(node, Node::Json(_)));
    }
}
