//! Findings: what a policy said, where in the change it applies, and whether the change
//! introduced it. Pure data, shared by `check`, `show` and (later) the review screen.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::engine::{Rule, RuleKind};
use super::source_map::{SourceMap, Span, Step};
use crate::model::HunkId;

/// How serious a finding is (SPEC §4), ordered from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Information only.
    Info,
    /// Worth a look.
    Low,
    /// Should be fixed.
    Medium,
    /// A real risk; approving it needs a justification.
    High,
    /// An incident waiting to happen.
    Critical,
}

impl Severity {
    /// Parses a policy's severity word (case-insensitive).
    pub fn parse(word: &str) -> Option<Severity> {
        match word.to_ascii_lowercase().as_str() {
            "critical" => Some(Severity::Critical),
            "high" => Some(Severity::High),
            "medium" | "moderate" => Some(Severity::Medium),
            "low" => Some(Severity::Low),
            "info" | "informational" | "note" => Some(Severity::Info),
            _ => None,
        }
    }

    /// The lowercase word.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

/// Whether the change brought a finding in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Not present at the base: a risk of this change.
    Introduced,
    /// Already present at the base: shown, but not held against the change.
    PreExisting,
}

/// Where in the change a finding applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "hunks")]
pub enum Anchor {
    /// On these hunks: their changed lines overlap the finding's lines.
    Hunks(Vec<HunkId>),
    /// On unchanged code near the change.
    Context,
    /// On the file as a whole (the finding names no location).
    File,
}

/// One finding of one policy rule on one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule id the result gives (`aws-sg-public-admin-port`), else the rule's name.
    pub rule: String,
    /// Its severity.
    pub severity: Severity,
    /// What is wrong, naming the resource.
    pub message: String,
    /// What to do instead, when the policy says.
    pub remediation: Option<String>,
    /// The resource address, when the policy says.
    pub resource: Option<String>,
    /// The path into the input the policy pointed at.
    pub path: Option<Vec<Step>>,
    /// deny, violation or warn.
    pub kind: RuleKind,
    /// Where the rule is written (`file:line`).
    pub policy: String,
    /// The changed file (or plan) it is about.
    pub file: String,
    /// The lines of the file it is about, when known.
    pub lines: Option<Span>,
    /// Introduced by the change, or already there.
    pub origin: Origin,
    /// Which hunks it is on.
    pub anchor: Anchor,
}

impl Finding {
    /// Builds a finding from a rule's result value: a message string, or an object with `msg`
    /// and optional `severity`, `rule`, `resource`, `path`, `remediation` (conftest's shape),
    /// and `_loc` naming the line itself.
    /// Its place is resolved later; until then it is introduced and file-level.
    pub fn from_result(rule: &Rule, value: &Value, file: &str) -> Finding {
        let field = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
        let message = match value {
            Value::String(s) => s.clone(),
            Value::Object(_) => field("msg").unwrap_or_else(|| value.to_string()),
            other => other.to_string(),
        };
        let default = match rule.kind {
            RuleKind::Deny | RuleKind::Violation => Severity::High,
            RuleKind::Warn => Severity::Medium,
        };
        Finding {
            rule: field("rule").unwrap_or_else(|| rule.default_id()),
            severity: field("severity")
                .and_then(|s| Severity::parse(&s))
                .unwrap_or(default),
            message,
            remediation: field("remediation"),
            resource: field("resource"),
            path: value.get("path").and_then(SourceMap::steps),
            kind: rule.kind,
            policy: format!("{}:{}", rule.file, rule.line),
            file: file.to_string(),
            // `_loc` ({"row": n} or {"line": n}) names the line directly.
            lines: value
                .get("_loc")
                .and_then(|l| l.get("row").or_else(|| l.get("line")))
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .map(|n| Span::new(n, n)),
            origin: Origin::Introduced,
            anchor: Anchor::File,
        }
    }

    /// The identity used to match a head finding with the same finding at the base: rule,
    /// resource and message (not the path, whose indexes shift with unrelated edits).
    pub fn key(&self) -> (&str, Option<&str>, &str) {
        (&self.rule, self.resource.as_deref(), &self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(kind: RuleKind) -> Rule {
        Rule {
            package: "main".into(),
            name: "deny".into(),
            kind,
            file: "p.rego".into(),
            line: 3,
        }
    }

    #[test]
    fn string_and_object_results() {
        let f = Finding::from_result(&rule(RuleKind::Deny), &json!("plain message"), "a.tf");
        assert_eq!(
            (f.rule.as_str(), f.severity, f.message.as_str()),
            ("main.deny", Severity::High, "plain message")
        );
        let f = Finding::from_result(
            &rule(RuleKind::Warn),
            &json!({"msg": "m", "severity": "CRITICAL", "rule": "r-1", "resource": "aws_s3_bucket.b", "path": ["resource", "aws_s3_bucket", "b", "acl"], "remediation": "fix"}),
            "a.tf",
        );
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(f.rule, "r-1");
        assert_eq!(f.path.as_ref().unwrap().len(), 4);
        assert_eq!(f.policy, "p.rego:3");
        let warn = Finding::from_result(&rule(RuleKind::Warn), &json!({"msg": "w"}), "a.tf");
        assert_eq!(warn.severity, Severity::Medium);
        let located = Finding::from_result(
            &rule(RuleKind::Deny),
            &json!({"msg": "m", "_loc": {"row": 7}}),
            "a.tf",
        );
        assert_eq!(located.lines, Some(Span::new(7, 7)));
    }
}
