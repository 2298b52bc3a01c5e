//! Findings as SARIF 2.1.0, for code-scanning upload: one run, one rule per rule id, one
//! result per finding with its file and lines; introduced findings are `new`, pre-existing
//! ones `unchanged` (SARIF's baseline states).

use serde::Serialize;
use serde_json::{Value, json};

use super::json::Stream;

use crate::model::sha256_hex;
use crate::policy::evaluate::Evaluation;
use crate::policy::finding::{Finding, Origin, Severity};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` scale (0–10).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "7.5",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The SARIF log for an evaluation.
pub fn log(eval: &Evaluation) -> impl Serialize + '_ {
    let mut rule_ids: Vec<&str> = eval.findings.iter().map(|f| f.rule.as_str()).collect();
    rule_ids.sort_unstable();
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids
        .iter()
        .map(|id| {
            let f = eval.findings.iter().find(|f| f.rule == *id).expect("a finding has this rule");
            json!({
                "id": id,
                "shortDescription": {"text": id},
                "help": {"text": f.remediation.clone().unwrap_or_else(|| format!("See {}", f.policy))},
                "defaultConfiguration": {"level": level(f.severity)},
                "properties": {"security-severity": security_severity(f.severity), "tags": ["security", "infrastructure"]},
            })
        })
        .collect();
    // Written as `json!` would order it (keys by name), the results one at a time.
    #[derive(Serialize)]
    struct Log<R: Serialize> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        runs: [Run<R>; 1],
        version: &'static str,
    }
    #[derive(Serialize)]
    struct Run<R: Serialize> {
        results: R,
        tool: Value,
    }
    let results = Stream(move || {
        let rule_ids = rule_ids.clone();
        eval.findings.iter().map(move |f| result(f, &rule_ids))
    });
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            results,
            tool: json!({"driver": {
                "name": "countersign",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
        }],
        version: "2.1.0",
    }
}

fn result(f: &Finding, rule_ids: &[&str]) -> Value {
    let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": f.file}}});
    if let Some(span) = f.lines {
        location["physicalLocation"]["region"] =
            json!({"startLine": span.start, "endLine": span.end});
    }
    let fingerprint = sha256_hex(
        format!(
            "{}\0{}\0{}\0{}",
            f.rule,
            f.file,
            f.resource.as_deref().unwrap_or(""),
            f.message
        )
        .as_bytes(),
    );
    json!({
        "ruleId": f.rule,
        "ruleIndex": rule_ids.iter().position(|r| *r == f.rule),
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [location],
        "baselineState": if f.origin == Origin::Introduced { "new" } else { "unchanged" },
        "partialFingerprints": {"countersignFinding/v1": fingerprint},
        "properties": {"severity": f.severity.word(), "policy": f.policy, "anchor": f.anchor},
    })
}
