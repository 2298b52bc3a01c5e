//! Values the attest tests share: a sample review statement and deterministic keys.

use chrono::{TimeZone, Utc};
use ssh_key::PrivateKey;
use ssh_key::private::Ed25519Keypair;

use super::predicate::{
    FindingRef, HunkDecision, HunkReview, LineRange, ReviewPredicate, ReviewedSource, Reviewer,
    SessionRef, Timestamp, Tool, Verdict,
};
use super::signing_key::SigningKey;
use super::statement::{ResourceDescriptor, Statement};
use crate::policy::finding::Severity;

/// An ed25519 key made from a seed of 32 copies of `seed`.
pub fn signing_key(seed: u8) -> SigningKey {
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]));
    SigningKey::new(key, std::path::Path::new("fixture")).unwrap()
}

fn at(secs: i64) -> Timestamp {
    Timestamp(Utc.timestamp_opt(secs, 0).unwrap())
}

/// A finished, approved review of one risky hunk.
pub fn sample_predicate() -> ReviewPredicate {
    ReviewPredicate {
        reviewer: Reviewer {
            name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            key_fingerprint: signing_key(1).fingerprint(),
        },
        tool: Tool::countersign(),
        source: ReviewedSource::Range {
            range: "main..feature".into(),
            base: "1".repeat(40),
            head: "2".repeat(40),
        },
        policy_bundle: [("sha256".to_string(), "3".repeat(64))].into(),
        started: at(1_700_000_000),
        finished: at(1_700_000_600),
        session: SessionRef {
            id: "s1".into(),
            final_chain_hash: "4".repeat(64),
        },
        verdict: Verdict::Approved,
        hunks: vec![HunkReview {
            id: "5".repeat(64),
            file: "infra/iam.tf".into(),
            old_lines: LineRange { start: 1, count: 3 },
            new_lines: LineRange { start: 1, count: 4 },
            decision: HunkDecision::Approved,
            decided_at: at(1_700_000_100),
            time_on_hunk_ms: 12_500,
            findings: vec![FindingRef {
                rule: "aws_iam.wildcard_action".into(),
                severity: Severity::High,
            }],
            justification: Some("break-glass role, reviewed by security".into()),
            comment: None,
            ai_authored: true,
        }],
    }
}

/// [`sample_predicate`] about the head commit of `main..feature` and its change.
pub fn sample_statement() -> Statement {
    Statement::new(
        vec![
            ResourceDescriptor::git_commit("main..feature", "2".repeat(40)),
            ResourceDescriptor::change("6".repeat(64)),
        ],
        sample_predicate(),
    )
}
