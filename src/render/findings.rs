//! Findings as text, grouped by file, each with the lines it is about (like a compiler
//! diagnostic), and as JSON for pipelines. All input text is sanitized.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use super::json::Stream;
use super::long_line::shown_line;
use super::paint::{self, Palette};
use super::report_finding::ReportFinding;
use super::sanitize::sanitize_str;
use crate::model::{ChangeSet, HunkId, LineKind};
use crate::policy::blast::BlastRadius;
use crate::policy::evaluate::Evaluation;
use crate::policy::finding::{Anchor, Finding, Origin, Severity};

/// At most this many lines of code are shown under a finding.
const MAX_LINES: usize = 6;

/// The colour of a severity, wherever a finding is drawn.
pub fn severity_color(s: Severity, p: &Palette) -> paint::Rgb {
    match s {
        Severity::Critical => (0xff, 0x4d, 0x4d),
        Severity::High => p.minus_marker,
        Severity::Medium => p.file,
        Severity::Low | Severity::Info => p.gutter,
    }
}

/// Renders every finding, grouped by file in the change's order, then errors and a summary.
pub fn text(change: &ChangeSet, eval: &Evaluation, palette: Option<&Palette>) -> String {
    let mut out = String::new();
    if let Some(blast) = BlastRadius::of(change, &eval.findings) {
        let _ = writeln!(out, "{}\n", sanitize_str(&blast.line()));
    }
    let mut files: Vec<&str> = eval.findings.iter().map(|f| f.file.as_str()).collect();
    files.sort_by_key(|name| {
        change
            .files
            .iter()
            .position(|f| String::from_utf8_lossy(f.path()) == *name)
    });
    files.dedup();
    for name in files {
        let _ = writeln!(out, "{}", sanitize_str(name));
        let mut in_file: Vec<&Finding> = eval.findings.iter().filter(|f| f.file == name).collect();
        in_file.sort_by_key(|f| {
            (
                f.origin != Origin::Introduced,
                std::cmp::Reverse(f.severity),
                f.lines.map(|s| s.start),
            )
        });
        for f in in_file {
            finding(&mut out, change, f, palette);
        }
        out.push('\n');
    }
    for e in &eval.errors {
        let _ = writeln!(
            out,
            "error: {}: {} ({})",
            sanitize_str(&e.location),
            sanitize_str(&e.message),
            sanitize_str(&e.input)
        );
    }
    for s in &eval.skipped {
        let _ = writeln!(out, "note: {}", sanitize_str(s));
    }
    let _ = writeln!(out, "{}", summary_line(eval));
    out
}

fn finding(out: &mut String, change: &ChangeSet, f: &Finding, palette: Option<&Palette>) {
    let origin = match (f.origin, &f.anchor) {
        (Origin::PreExisting, _) => " (pre-existing)",
        (Origin::Introduced, Anchor::Context) => " (on unchanged code)",
        _ => "",
    };
    let head = format!("{}{origin}", f.severity.word());
    let _ = write!(out, "  ");
    match palette {
        Some(p) => paint::solid(out, &head, severity_color(f.severity, p), true),
        None => out.push_str(&head),
    }
    let _ = writeln!(
        out,
        "  {}  {}",
        sanitize_str(&f.rule),
        sanitize_str(&f.message)
    );
    for (number, marker, text) in shown_lines(change, f) {
        let _ = writeln!(out, "    {number:>5} │ {marker}{text}");
    }
    if let Some(r) = &f.remediation {
        let _ = writeln!(out, "          fix: {}", sanitize_str(r));
    }
    let mut place = format!("          policy: {}", sanitize_str(&f.policy));
    if let Anchor::Hunks(ids) = &f.anchor {
        let shorts: Vec<&str> = ids.iter().map(|i| i.short()).collect();
        let _ = write!(place, " · hunk {}", shorts.join(", "));
    }
    let _ = writeln!(out, "{place}");
}

/// The new-side lines of the finding's span that the change shows (added and context lines
/// of its hunks), at most [`MAX_LINES`].
fn shown_lines(change: &ChangeSet, f: &Finding) -> Vec<(u32, char, String)> {
    let (Some(span), Anchor::Hunks(ids)) = (f.lines, &f.anchor) else {
        return Vec::new();
    };
    change
        .hunks()
        .filter(|(_, h)| ids.contains(&h.id))
        .flat_map(|(_, h)| &h.lines)
        .filter(|l| l.kind != LineKind::Removed)
        .filter_map(|l| {
            l.new_lineno
                .filter(|n| (span.start..=span.end).contains(n))
                .map(|n| (n, l))
        })
        .take(MAX_LINES)
        .map(|(n, l)| (n, l.kind.marker() as char, shown_line(&l.bytes).text))
        .collect()
}

/// `3 introduced (1 critical, 2 high) · 1 pre-existing · 0 errors`.
pub fn summary_line(eval: &Evaluation) -> String {
    let introduced: Vec<&Finding> = eval
        .findings
        .iter()
        .filter(|f| f.origin == Origin::Introduced)
        .collect();
    let mut by_severity = String::new();
    for s in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ] {
        let n = introduced.iter().filter(|f| f.severity == s).count();
        if n > 0 {
            if !by_severity.is_empty() {
                by_severity.push_str(", ");
            }
            let _ = write!(by_severity, "{n} {}", s.word());
        }
    }
    let pre = eval.findings.len() - introduced.len();
    let detail = if by_severity.is_empty() {
        String::new()
    } else {
        format!(" ({by_severity})")
    };
    format!(
        "{} introduced{detail} · {pre} pre-existing · {} errors",
        introduced.len(),
        eval.errors.len()
    )
}

/// The JSON report: source, policy bundle digest, findings, every hunk with whether a coding
/// agent wrote it (`ai`: the AI-authored hunks), errors, skipped files, summary. A finding is
/// `ai_authored` when one of its hunks is. Findings and hunks are written one at a time
/// ([`Stream`]); the fields are in the order of their names.
pub fn json<'a>(
    change: &'a ChangeSet,
    eval: &'a Evaluation,
    bundle_digest: &'a str,
    ai: &'a HashSet<HunkId>,
) -> impl Serialize + 'a {
    let introduced = eval
        .findings
        .iter()
        .filter(|f| f.origin == Origin::Introduced)
        .count();
    let findings = Stream(move || {
        eval.findings.iter().map(move |f| ReportFinding {
            finding: f,
            ai_authored: matches!(&f.anchor, Anchor::Hunks(ids) if ids.iter().any(|i| ai.contains(i))),
        })
    });
    let hunks = Stream(move || {
        change.hunks().map(move |(file, h)| {
            json!({
                "id": h.id,
                "file": String::from_utf8_lossy(file.path()),
                "new_start": h.new_start,
                "new_lines": h.new_lines,
                "ai_authored": ai.contains(&h.id),
            })
        })
    });
    // The small parts go through `json!`, which orders their keys by name too.
    #[derive(Serialize)]
    struct Report<'a, F: Serialize, H: Serialize> {
        blast_radius: Value,
        errors: Value,
        findings: F,
        hunks: H,
        policy_bundle: &'a str,
        skipped: &'a [String],
        source: Value,
        summary: Value,
    }
    Report {
        blast_radius: json!(BlastRadius::of(change, &eval.findings)),
        errors: json!(eval.errors),
        findings,
        hunks,
        policy_bundle: bundle_digest,
        skipped: &eval.skipped,
        source: json!(change.source),
        summary: json!({
            "introduced": introduced,
            "pre_existing": eval.findings.len() - introduced,
            "risky_hunks": crate::policy::evaluate::risky_hunks(&eval.findings),
            "ai_hunks": change.hunks().filter(|(_, h)| ai.contains(&h.id)).count(),
            "errors": eval.errors.len(),
        }),
    }
}
