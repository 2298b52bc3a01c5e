//! The countersign review predicate (SPEC §7): who reviewed which change, with which tool and
//! policies, when, and what they decided about every hunk. Plain data with its JSON form; the
//! values are filled from a finished review elsewhere.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::policy::finding::Severity;

/// The predicate type URI. The trailing version changes only when a field changes meaning or
/// a required field is added; optional fields may be added within a version.
pub const PREDICATE_TYPE: &str = "https://countersign.dev/attestation/review/v1";

/// Digests of one artifact: algorithm name (`sha256`, `gitCommit`, …) to lowercase hex, as in
/// in-toto's DigestSet.
pub type DigestSet = BTreeMap<String, String>;

/// What a reviewer attests about a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPredicate {
    /// Who reviewed and with which key.
    pub reviewer: Reviewer,
    /// The program that recorded the review.
    pub tool: Tool,
    /// The change as the reviewer opened it.
    pub source: ReviewedSource,
    /// Digest of the policy bundle whose findings the reviewer saw.
    pub policy_bundle: DigestSet,
    /// When the review started.
    pub started: Timestamp,
    /// When the reviewer finished it.
    pub finished: Timestamp,
    /// The recorded session this attestation summarises.
    pub session: SessionRef,
    /// The overall outcome.
    pub verdict: Verdict,
    /// Every hunk of the change, in review order, with its decision.
    pub hunks: Vec<HunkReview>,
}

/// The person who reviewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewer {
    /// Their name, as `--reviewer` or git's user.name gave it.
    pub name: String,
    /// Their email: the principal an allowed_signers file lists them under.
    pub email: String,
    /// The signing key's OpenSSH SHA256 fingerprint (`SHA256:…`).
    pub key_fingerprint: String,
}

/// The program that recorded the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `countersign`.
    pub name: String,
    /// Its version.
    pub version: String,
}

impl Tool {
    /// This build of countersign.
    pub fn countersign() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The change as the reviewer opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReviewedSource {
    /// A git range, resolved to commits.
    Range {
        /// What was asked for (`main..feature`).
        range: String,
        /// The base commit id (the merge-base for PR-style ranges).
        base: String,
        /// The head commit id.
        head: String,
    },
    /// A unified diff file.
    Patch {
        /// Its file name (`-` for standard input).
        name: String,
        /// Digest of its bytes.
        digest: DigestSet,
    },
    /// A Terraform plan in JSON form.
    Plan {
        /// Its file name.
        name: String,
        /// Digest of its bytes.
        digest: DigestSet,
    },
}

/// The recorded session behind the attestation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRef {
    /// The session id.
    pub id: String,
    /// The hash of the log's last record, which commits to every action before it.
    pub final_chain_hash: String,
}

/// The outcome of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every hunk approved.
    Approved,
    /// At least one hunk rejected.
    ChangesRequested,
}

/// What the reviewer decided about one hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HunkReview {
    /// The content-derived hunk id (64 hex characters).
    pub id: String,
    /// The file the hunk is in (its new path; the old one for a deletion).
    pub file: String,
    /// Its lines on the old side.
    pub old_lines: LineRange,
    /// Its lines on the new side.
    pub new_lines: LineRange,
    /// The decision.
    pub decision: HunkDecision,
    /// When it was taken.
    pub decided_at: Timestamp,
    /// How long the hunk had been on screen by then, in milliseconds.
    pub time_on_hunk_ms: u64,
    /// The findings the change introduced on this hunk.
    pub findings: Vec<FindingRef>,
    /// Why a risky hunk was approved anyway, or why its file was approved in bulk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    /// The reviewer's comment; for a rejection, what must change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// A coding agent wrote the hunk (by the commit that last touched its added lines).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ai_authored: bool,
}

/// Lines of one side of a hunk, as in a `@@ -start,count +start,count @@` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRange {
    /// The first line (1-based; 0 for an empty side).
    pub start: u32,
    /// How many lines.
    pub count: u32,
}

/// A hunk's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HunkDecision {
    /// Approved after being read.
    Approved,
    /// Approved together with the rest of its file, for one stated reason.
    ApprovedInBulk,
    /// Rejected.
    Rejected,
}

/// An introduced finding on a hunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRef {
    /// The rule that fired (`package.rule` or the rule's id).
    pub rule: String,
    /// Its severity.
    pub severity: Severity,
}

/// An instant in UTC, written as RFC 3339 with milliseconds and a `Z` (`2025-01-31T09:30:00.000Z`).
/// Any RFC 3339 offset is accepted when read, and converted to UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| Timestamp(t.with_timezone(&Utc)))
            .map_err(|e| serde::de::Error::custom(format!("not an RFC 3339 time {text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::fixtures::sample_predicate as sample;
    use serde_json::json;

    #[test]
    fn json_shape_matches_the_readme_table() {
        let value = serde_json::to_value(sample()).unwrap();
        assert_eq!(value["source"]["kind"], "range");
        assert_eq!(value["started"], "2023-11-14T22:13:20.000Z");
        assert_eq!(value["verdict"], "approved");
        let hunk = &value["hunks"][0];
        assert_eq!(hunk["old_lines"], json!({"start": 1, "count": 3}));
        assert_eq!(hunk["decision"], "approved");
        assert_eq!(hunk["findings"][0]["severity"], "high");
        assert!(hunk.get("comment").is_none(), "absent options are left out");
        assert_eq!(value["tool"]["name"], "countersign");
    }

    #[test]
    fn round_trips_through_json() {
        let predicate = sample();
        let text = serde_json::to_string(&predicate).unwrap();
        assert_eq!(
            serde_json::from_str::<ReviewPredicate>(&text).unwrap(),
            predicate
        );
    }

    #[test]
    fn other_sources_and_decisions_have_snake_case_names() {
        let patch = ReviewedSource::Patch {
            name: "change.diff".into(),
            digest: [("sha256".to_string(), "a".repeat(64))].into(),
        };
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"kind": "patch", "name": "change.diff", "digest": {"sha256": "a".repeat(64)}})
        );
        assert_eq!(
            serde_json::to_value(HunkDecision::ApprovedInBulk).unwrap(),
            "approved_in_bulk"
        );
        assert_eq!(
            serde_json::to_value(Verdict::ChangesRequested).unwrap(),
            "changes_requested"
        );
    }

    #[test]
    fn timestamps_with_an_offset_are_read_as_utc() {
        let t: Timestamp = serde_json::from_value(json!("2024-02-29T10:00:00+02:00")).unwrap();
        assert_eq!(t.to_string(), "2024-02-29T08:00:00.000Z");
        let bad = serde_json::from_value::<Timestamp>(json!("yesterday")).unwrap_err();
        assert!(bad.to_string().contains("not an RFC 3339 time"), "{bad}");
    }
}
