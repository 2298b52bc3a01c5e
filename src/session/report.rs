//! `replay --headless --format json`: a session as one JSON document for audits and
//! dashboards — who reviewed what with which policies, the state of the log's hash chain, how
//! it ended, and every hunk with its authorship, introduced findings, decision and comments.

use serde_json::{Value, json};

use super::chain::Log;
use super::record::Body;
use super::replay::{Replay, start_of};
use crate::policy::finding::Origin;

/// The report of a checked log, as its last record leaves the review.
pub fn report(log: &Log) -> Value {
    let start = start_of(log);
    let state = Replay::new(log).finish();
    let (ending, verdict) = match log.records.last().map(|r| &r.body) {
        Some(Body::End {
            ending, verdict, ..
        }) => (Some(*ending), *verdict),
        _ => (None, None),
    };
    let hunks: Vec<Value> = (0..state.hunks.len())
        .map(|i| {
            let entry = &state.hunks[i];
            let findings: Vec<Value> = entry
                .findings
                .iter()
                .map(|&f| &state.findings[f])
                .filter(|f| f.origin == Origin::Introduced)
                .map(|f| json!({"rule": f.rule, "severity": f.severity}))
                .collect();
            json!({
                "id": state.hunk(i).id,
                "location": state.location(i),
                "ai_authored": entry.ai,
                "introduced_findings": findings,
                "decision": state.decisions[i],
                "comments": state.comments[i],
            })
        })
        .collect();
    json!({
        "session": start.session,
        "tool": start.tool,
        "source": start.source,
        "reviewer": start.reviewer,
        "policy_bundle": start.policy_bundle,
        "started": start.wall,
        "records": log.records.len(),
        "final_hash": log.final_hash(),
        "warnings": log.warnings,
        "ending": ending,
        "verdict": verdict,
        "decided": state.decided(),
        "duration_ms": log.last_ms(),
        "hunks": hunks,
    })
}
