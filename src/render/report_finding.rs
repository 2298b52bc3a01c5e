//! One finding as the JSON report writes it: every field of [`Finding`] and `ai_authored`,
//! each object's keys in the order of their names (the order `serde_json::json!` gives), but
//! written straight to the output rather than built as a `Value` tree first: a large change's
//! report has thousands of findings.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::policy::finding::{Anchor, Finding};
use crate::policy::source_map::Span;

/// A finding and whether one of its hunks was written by a coding agent.
pub struct ReportFinding<'a> {
    /// The finding.
    pub finding: &'a Finding,
    /// Whether one of its hunks is AI-authored.
    pub ai_authored: bool,
}

impl Serialize for ReportFinding<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Every field named, so a new one cannot be left out of the report unnoticed.
        let Finding {
            rule,
            severity,
            message,
            remediation,
            resource,
            path,
            kind,
            policy,
            file,
            lines,
            origin,
            anchor,
        } = self.finding;
        let mut s = serializer.serialize_struct("Finding", 13)?;
        s.serialize_field("ai_authored", &self.ai_authored)?;
        s.serialize_field("anchor", &SortedAnchor(anchor))?;
        s.serialize_field("file", file)?;
        s.serialize_field("kind", kind)?;
        s.serialize_field("lines", &lines.map(SortedSpan))?;
        s.serialize_field("message", message)?;
        s.serialize_field("origin", origin)?;
        s.serialize_field("path", path)?;
        s.serialize_field("policy", policy)?;
        s.serialize_field("remediation", remediation)?;
        s.serialize_field("resource", resource)?;
        s.serialize_field("rule", rule)?;
        s.serialize_field("severity", severity)?;
        s.end()
    }
}

/// An [`Anchor`] with its keys in name order: `hunks` (for hunks), then `type`.
struct SortedAnchor<'a>(&'a Anchor);

impl Serialize for SortedAnchor<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kind, hunks) = match self.0 {
            Anchor::Hunks(ids) => ("hunks", Some(ids)),
            Anchor::Context => ("context", None),
            Anchor::File => ("file", None),
        };
        let mut s = serializer.serialize_struct("Anchor", 2)?;
        if let Some(ids) = hunks {
            s.serialize_field("hunks", ids)?;
        }
        s.serialize_field("type", kind)?;
        s.end()
    }
}

/// A [`Span`] with its keys in name order: `end`, then `start`.
struct SortedSpan(Span);

impl Serialize for SortedSpan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Span", 2)?;
        s.serialize_field("end", &self.0.end)?;
        s.serialize_field("start", &self.0.start)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HunkId;
    use crate::policy::engine::RuleKind;
    use crate::policy::finding::{Origin, Severity};
    use crate::policy::source_map::Step;
    use serde_json::{Value, json};

    fn finding(anchor: Anchor, full: bool) -> Finding {
        Finding {
            rule: "aws-sg-public-ingress".into(),
            severity: Severity::High,
            message: "aws_security_group.web accepts traffic from 0.0.0.0/0 \u{202e}".into(),
            remediation: full.then(|| "Restrict the CIDR.".into()),
            resource: full.then(|| "aws_security_group.web".into()),
            path: full.then(|| vec![Step::from("resource"), Step::Index(0)]),
            kind: RuleKind::Deny,
            policy: "policies/terraform/aws_network.rego:12".into(),
            file: "main.tf".into(),
            lines: full.then(|| Span::new(3, 7)),
            origin: if full {
                Origin::PreExisting
            } else {
                Origin::Introduced
            },
            anchor,
        }
    }

    #[test]
    fn it_is_what_the_finding_gives_as_a_value_with_ai_authored() {
        let hunks = Anchor::Hunks(vec![HunkId::for_resource("a.b", &[], "", "")]);
        for anchor in [hunks, Anchor::Context, Anchor::File] {
            for full in [true, false] {
                let f = finding(anchor.clone(), full);
                let mut expected = json!(f);
                expected["ai_authored"] = Value::Bool(full);
                let report = ReportFinding {
                    finding: &f,
                    ai_authored: full,
                };
                // The same value, and the same text: the keys come in the same order.
                assert_eq!(json!(report), expected);
                assert_eq!(
                    serde_json::to_string(&report).unwrap(),
                    expected.to_string()
                );
            }
        }
    }
}
