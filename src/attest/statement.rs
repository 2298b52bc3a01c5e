//! The in-toto Statement v1 that carries a review: the subjects it is about (the head commit
//! and the canonical change) and the [`ReviewPredicate`].

use serde::{Deserialize, Serialize};

use super::predicate::{DigestSet, PREDICATE_TYPE, ReviewPredicate};

/// The in-toto Statement v1 type URI.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";

/// An in-toto Statement v1 whose predicate is a countersign review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Always [`STATEMENT_TYPE`].
    #[serde(rename = "_type")]
    pub statement_type: String,
    /// What the review is about: the head commit (git ranges) and the canonical change.
    pub subject: Vec<ResourceDescriptor>,
    /// Always [`PREDICATE_TYPE`].
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// The review.
    pub predicate: ReviewPredicate,
}

/// One subject: an artifact identified by its digests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDescriptor {
    /// What the artifact is called (the range or source for the head commit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its digests; subjects are matched by digest alone.
    pub digest: DigestSet,
}

impl ResourceDescriptor {
    /// The head commit of a reviewed git range: `{"name": range, "digest": {"gitCommit": id}}`.
    pub fn git_commit(name: impl Into<String>, commit_id: impl Into<String>) -> Self {
        ResourceDescriptor {
            name: Some(name.into()),
            digest: [("gitCommit".to_string(), commit_id.into())].into(),
        }
    }

    /// The canonical change: `{"digest": {"sha256": hex}}`.
    pub fn change(sha256_hex: impl Into<String>) -> Self {
        ResourceDescriptor {
            name: None,
            digest: [("sha256".to_string(), sha256_hex.into())].into(),
        }
    }
}

/// Why bytes are not a countersign review statement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// Not JSON, or a field is missing or of the wrong type.
    #[error("the statement is not valid: {0}")]
    Malformed(String),
    /// `_type` is not in-toto Statement v1.
    #[error("the statement type is {found:?}, expected {STATEMENT_TYPE:?}")]
    WrongType {
        /// The `_type` found.
        found: String,
    },
    /// `predicateType` is not the countersign review predicate this build understands.
    #[error("the predicate type is {found:?}, expected {PREDICATE_TYPE:?}")]
    WrongPredicateType {
        /// The `predicateType` found.
        found: String,
    },
}

impl Statement {
    /// A statement about `subject` carrying `predicate`.
    pub fn new(subject: Vec<ResourceDescriptor>, predicate: ReviewPredicate) -> Self {
        Statement {
            statement_type: STATEMENT_TYPE.into(),
            subject,
            predicate_type: PREDICATE_TYPE.into(),
            predicate,
        }
    }

    /// The bytes that are signed: compact JSON.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a statement always serialises")
    }

    /// Reads a statement, checking its type and predicate type before the predicate's fields,
    /// so a statement of another kind is named as such.
    pub fn from_json(bytes: &[u8]) -> Result<Statement, StatementError> {
        #[derive(Deserialize)]
        struct Header {
            #[serde(rename = "_type")]
            statement_type: String,
            #[serde(rename = "predicateType")]
            predicate_type: String,
        }
        let malformed = |e: serde_json::Error| StatementError::Malformed(e.to_string());
        let header: Header = serde_json::from_slice(bytes).map_err(malformed)?;
        if header.statement_type != STATEMENT_TYPE {
            return Err(StatementError::WrongType {
                found: header.statement_type,
            });
        }
        if header.predicate_type != PREDICATE_TYPE {
            return Err(StatementError::WrongPredicateType {
                found: header.predicate_type,
            });
        }
        serde_json::from_slice(bytes).map_err(malformed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::fixtures::sample_statement;
    use serde_json::{Value, json};

    #[test]
    fn subjects_have_the_spec_shape() {
        assert_eq!(
            serde_json::to_value(ResourceDescriptor::git_commit(
                "main..feature",
                "ab".repeat(20)
            ))
            .unwrap(),
            json!({"name": "main..feature", "digest": {"gitCommit": "ab".repeat(20)}})
        );
        assert_eq!(
            serde_json::to_value(ResourceDescriptor::change("cd".repeat(32))).unwrap(),
            json!({"digest": {"sha256": "cd".repeat(32)}})
        );
    }

    #[test]
    fn statement_fields_use_in_toto_names() {
        let value: Value = serde_json::from_slice(&sample_statement().to_json()).unwrap();
        assert_eq!(value["_type"], STATEMENT_TYPE);
        assert_eq!(value["predicateType"], PREDICATE_TYPE);
        assert_eq!(value["subject"].as_array().unwrap().len(), 2);
        assert!(value["predicate"]["hunks"].is_array());
    }

    #[test]
    fn round_trips() {
        let statement = sample_statement();
        assert_eq!(Statement::from_json(&statement.to_json()), Ok(statement));
    }

    #[test]
    fn other_kinds_of_statement_are_named() {
        let mut value: Value = serde_json::from_slice(&sample_statement().to_json()).unwrap();
        value["predicateType"] = json!("https://slsa.dev/provenance/v1");
        let err = Statement::from_json(value.to_string().as_bytes()).unwrap_err();
        assert!(
            matches!(err, StatementError::WrongPredicateType { .. }),
            "{err}"
        );

        value["_type"] = json!("https://in-toto.io/Statement/v0.1");
        let err = Statement::from_json(value.to_string().as_bytes()).unwrap_err();
        assert!(matches!(err, StatementError::WrongType { .. }), "{err}");

        let err = Statement::from_json(b"{\"_type\": 1}").unwrap_err();
        assert!(matches!(err, StatementError::Malformed(_)), "{err}");
    }

    #[test]
    fn a_missing_predicate_field_is_malformed() {
        let mut value: Value = serde_json::from_slice(&sample_statement().to_json()).unwrap();
        value["predicate"]
            .as_object_mut()
            .unwrap()
            .remove("verdict");
        let err = Statement::from_json(value.to_string().as_bytes()).unwrap_err();
        assert!(err.to_string().contains("verdict"), "{err}");
    }
}
