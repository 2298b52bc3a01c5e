//! Running the policies over a change: every changed file at its head and at its base (so
//! findings the base already had are pre-existing), or a plan, then placing each finding on
//! the hunks it is about. Files are evaluated in parallel.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::base::{self, BaseDocument};
use super::engine::{Engine, Outcome, input_value};
use super::families::read_input;
use super::finding::{Anchor, Finding, Origin};
use super::input;
use super::place::{anchor, locate, mark_pre_existing};
use super::source_map::{Document, Span, Step};
use crate::model::{AttrPath, ChangeSet, FileChange, HunkKind, LineKind};
use crate::source::FileVersions;
use crate::source::plan::{PlanDocument, PlanFacts};

/// A rule that failed at run time, or an input that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvalError {
    /// Where: the policy rule (`file:line`) or the input file (`file:line`).
    pub location: String,
    /// The input being evaluated.
    pub input: String,
    /// What went wrong.
    pub message: String,
}

/// Everything the policies said about a change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    /// The findings, placed, in file order.
    pub findings: Vec<Finding>,
    /// Rules that failed and inputs that could not be read.
    pub errors: Vec<EvalError>,
    /// Files that were not evaluated, and why.
    pub skipped: Vec<String>,
}

impl Evaluation {
    /// Both evaluations' findings, errors and skipped files.
    pub fn merge(mut self, other: Evaluation) -> Evaluation {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        self
    }
}

/// Evaluates every changed file whose format a loader knows.
pub fn evaluate_files(
    engine: &Engine,
    change: &ChangeSet,
    versions: &[FileVersions],
) -> Evaluation {
    versions
        .par_iter()
        .map(|v| {
            let file = change
                .files
                .iter()
                .find(|f| String::from_utf8_lossy(f.path()) == v.path);
            match file {
                Some(file) => evaluate_file(engine, file, v),
                None => Evaluation::default(),
            }
        })
        .reduce(Evaluation::default, Evaluation::merge)
}

fn evaluate_file(engine: &Engine, file: &FileChange, versions: &FileVersions) -> Evaluation {
    let mut out = Evaluation::default();
    let Some(format) = input::format_for(&versions.path) else {
        return out;
    };
    let Some(head) = &versions.head else {
        return out;
    };
    if looks_templated(head) {
        out.skipped.push(format!(
            "{}: a template ({{{{ … }}}}), not evaluated",
            versions.path
        ));
        return out;
    }
    // A Terraform file's top-level items tell its base by the blocks the change made.
    let loaded = match format {
        input::Format::Hcl => {
            input::hcl::load_with_items(head, &versions.path).map(|(doc, items)| (vec![doc], items))
        }
        _ => input::load(format, head, &versions.path).map(|docs| (docs, Vec::new())),
    };
    let (docs, items) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            out.errors.push(EvalError {
                location: e.to_string(),
                input: versions.path.clone(),
                message: "cannot be loaded".into(),
            });
            return out;
        }
    };
    let every: Vec<usize> = (0..engine.rules().len()).collect();
    let heads: Vec<Vec<(usize, Finding)>> = docs
        .iter()
        .map(|d| {
            let input = input_value(&d.value);
            run_rules(engine, input, &every, &versions.path, &mut out.errors)
        })
        .collect();
    let base_findings = match versions.base.as_deref() {
        Some(base) if heads.iter().any(|h| !h.is_empty()) => {
            let head = HeadDocuments {
                text: head,
                items: &items,
                docs: &docs,
                findings: &heads,
            };
            base_findings(engine, format, base, &head, &versions.path)
        }
        _ => Vec::new(),
    };
    for (doc, head) in docs.iter().zip(heads) {
        let mut findings: Vec<Finding> = head.into_iter().map(|(_, f)| f).collect();
        for f in &mut findings {
            f.lines = f.lines.or_else(|| locate(f, &doc.map));
            f.anchor = anchor(f.lines, &file.hunks);
        }
        mark_pre_existing(&mut findings, &base_findings);
        out.findings.extend(findings);
    }
    out
}

/// What a changed file's head gave: its text, its top-level items (for Terraform), its
/// documents and the findings on each (each with the index of its rule).
struct HeadDocuments<'a> {
    text: &'a str,
    items: &'a [input::hcl::Item],
    docs: &'a [Document],
    findings: &'a [Vec<(usize, Finding)>],
}

/// The findings of a file's base text that tell which of the `head`'s findings were already
/// there: the base is evaluated only with the rules that can repeat them, and a Terraform
/// file's resource-local rules only on the edited blocks their head findings are about
/// ([`base::plan`]); a Terraform base is parsed only where the change touched it when it can be
/// told by its blocks ([`input::hcl_delta`]). A base that does not parse has no findings.
fn base_findings(
    engine: &Engine,
    format: input::Format,
    text: &str,
    head: &HeadDocuments<'_>,
    name: &str,
) -> Vec<Finding> {
    let run = |doc: &Value, rules: &[usize]| -> Vec<Finding> {
        if rules.is_empty() {
            return Vec::new();
        }
        run_rules(engine, input_value(doc), rules, name, &mut Vec::new())
            .into_iter()
            .map(|(_, f)| f)
            .collect()
    };
    let changed = match (format, head.docs) {
        (input::Format::Hcl, [doc]) => {
            input::hcl_delta::block_changes(head.text, head.items, &doc.value, text)
        }
        _ => None,
    };
    let base = match changed {
        Some(changes) => BaseDocument::Changed(changes),
        None => {
            let Ok(mut docs) = input::load(format, text, name) else {
                return Vec::new();
            };
            if docs.len() != 1 || head.docs.len() != 1 {
                // Several documents (YAML): each base one with every rule that can repeat a
                // head finding.
                let rules = base::rules_to_repeat(engine, head.findings.iter().flatten());
                return docs.iter().flat_map(|d| run(&d.value, &rules)).collect();
            }
            BaseDocument::Whole(docs.remove(0).value)
        }
    };
    let (Some(doc), Some(found)) = (head.docs.first(), head.findings.first()) else {
        return Vec::new();
    };
    let plan = base::plan(engine, &doc.value, found, &base);
    let mut out: Vec<Finding> = plan.unchanged.iter().map(|&k| found[k].1.clone()).collect();
    if !plan.whole.is_empty() {
        out.extend(run(&base.value(&doc.value), &plan.whole));
    }
    if let Some((edited, rules)) = &plan.edited {
        out.extend(run(edited, rules));
    }
    out
}

/// Evaluates every text hunk as the hunk-level input `input.countersign.hunk` (`file`,
/// `language`, `id`, and the `added` / `removed` lines with their numbers), for line rules on
/// any file type. Skipped entirely when no rule reads that input.
pub fn evaluate_hunks(engine: &Engine, change: &ChangeSet) -> Evaluation {
    if !engine.reads_hunks() {
        return Evaluation::default();
    }
    let hunks: Vec<(&FileChange, &crate::model::Hunk)> = change
        .hunks()
        .filter(|(f, h)| f.content == crate::model::FileContent::Text && h.kind == HunkKind::Text)
        .collect();
    hunks
        .par_iter()
        .map(|(file, hunk)| {
            let path = String::from_utf8_lossy(file.path()).into_owned();
            let side = |kind: LineKind| -> Vec<Value> {
                hunk.lines
                    .iter()
                    .filter(|l| l.kind == kind)
                    .map(|l| json!({"line": if kind == LineKind::Added { l.new_lineno } else { l.old_lineno }, "text": l.text_lossy()}))
                    .collect()
            };
            let (added, removed) = (side(LineKind::Added), side(LineKind::Removed));
            let input = json!({"countersign": {"hunk": {
                "file": path,
                "language": language(&path),
                "id": hunk.id,
                "added": added,
                "removed": removed,
            }}});
            let mut out = Evaluation::default();
            for mut f in run(engine, &input, &path, &mut out.errors) {
                // A path into `added` names the line; anything else is the whole hunk.
                f.lines = match f.path.as_deref() {
                    Some([Step::Key(c), Step::Key(h), Step::Key(side), Step::Index(k), ..])
                        if c == "countersign" && h == "hunk" && side == "added" =>
                    {
                        added.get(*k).and_then(|l| l["line"].as_u64()).map(|n| Span::new(n as u32, n as u32))
                    }
                    _ => None,
                };
                f.anchor = Anchor::Hunks(vec![hunk.id.clone()]);
                out.findings.push(f);
            }
            out
        })
        .reduce(Evaluation::default, Evaluation::merge)
}

/// The language of a file for the hunk-level input, by its name.
fn language(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match (name, ext) {
        (_, "tf" | "tfvars" | "hcl" | "tofu") => "terraform",
        (_, "yaml" | "yml") => "yaml",
        (_, "json") => "json",
        (_, "sh" | "bash") => "shell",
        ("Dockerfile", _) | (_, "dockerfile") => "dockerfile",
        (_, "py") => "python",
        (_, "rego") => "rego",
        (_, "go") => "go",
        (_, "ts" | "js") => "javascript",
        _ => "text",
    }
}

/// Helm and other templates are not YAML until rendered.
fn looks_templated(text: &str) -> bool {
    text.contains("{{") && text.contains("}}")
}

/// Evaluates one input, turning rule results into (unplaced) findings and rule failures
/// into errors.
fn run(engine: &Engine, input: &Value, name: &str, errors: &mut Vec<EvalError>) -> Vec<Finding> {
    run_value(engine, input_value(input), name, errors)
}

/// [`run`] on an input already converted for the engine.
fn run_value(
    engine: &Engine,
    input: regorus::Value,
    name: &str,
    errors: &mut Vec<EvalError>,
) -> Vec<Finding> {
    let every: Vec<usize> = (0..engine.rules().len()).collect();
    run_rules(engine, input, &every, name, errors)
        .into_iter()
        .map(|(_, f)| f)
        .collect()
}

/// [`run_value`] with only the rules `only`; each finding comes with the index of its rule.
fn run_rules(
    engine: &Engine,
    input: regorus::Value,
    only: &[usize],
    name: &str,
    errors: &mut Vec<EvalError>,
) -> Vec<(usize, Finding)> {
    findings_of(engine, engine.evaluate_rules(input, only), name, errors)
}

/// The findings (each with the index of its rule) and errors of the `outcomes` of `engine`'s
/// rules on the input `name`.
fn findings_of(
    engine: &Engine,
    outcomes: Vec<Outcome>,
    name: &str,
    errors: &mut Vec<EvalError>,
) -> Vec<(usize, Finding)> {
    let mut findings = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Result { rule, value } => findings.push((
                rule,
                Finding::from_result(&engine.rules()[rule], &value, name),
            )),
            Outcome::Error { rule, message } => {
                let r = &engine.rules()[rule];
                errors.push(EvalError {
                    location: format!("{}:{}", r.file, r.line),
                    input: name.to_string(),
                    message,
                });
            }
        }
    }
    findings
}

/// Evaluates a Terraform plan: findings attach to the hunk of the resource change they name
/// (by `path` into `resource_changes`, or by `resource` address). A finding that the plan's
/// "before" values also have is pre-existing.
pub fn evaluate_plan(
    engine: &Engine,
    change: &ChangeSet,
    plan: &PlanDocument,
    name: &str,
) -> Evaluation {
    let mut out = match plan_input(engine, &plan.text) {
        Some(input) => evaluate_plan_input(engine, input, name),
        None => Evaluation {
            errors: vec![EvalError {
                location: name.to_string(),
                input: name.to_string(),
                message: "the plan's JSON cannot be read as the policies' input".into(),
            }],
            ..Evaluation::default()
        },
    };
    finish_plan_findings(&mut out.findings, change, &plan.facts);
    out
}

/// Readies the findings of [`evaluate_plan_input`] on a plan (`facts`: what its reading
/// found) for a reviewer: scrubbed of its secrets, and placed on its change's hunks.
pub fn finish_plan_findings(findings: &mut [Finding], change: &ChangeSet, facts: &PlanFacts) {
    scrub_secrets(findings, &facts.secrets);
    place_plan_findings(findings, change, &facts.addresses);
}

/// A plan's text as the engine's input: regorus's own reader, given only what the rules that
/// apply read of it ([`read_input`]); should it refuse what serde_json reads, the JSON tree
/// converted, as for other sources. `None` for text that is not JSON.
pub fn plan_input(engine: &Engine, text: &str) -> Option<regorus::Value> {
    read_input(engine.families(), text).or_else(|| {
        let document: Value = serde_json::from_str(text).ok()?;
        Some(input_value(&document))
    })
}

/// The findings of the policies on a plan already converted for the engine (`input`), told
/// introduced or pre-existing, but neither scrubbed of the plan's secrets nor placed
/// ([`finish_plan_findings`]).
pub fn evaluate_plan_input(engine: &Engine, input: regorus::Value, name: &str) -> Evaluation {
    // Its "before" state shares every value it does not change.
    let before = before_plan(&input);
    // The plan and its "before" state are independent evaluations: run them side by side.
    let large = |input, errors: &mut Vec<EvalError>| -> Vec<Finding> {
        let outcomes = engine.evaluate_large(input);
        findings_of(engine, outcomes, name, errors)
            .into_iter()
            .map(|(_, f)| f)
            .collect()
    };
    let ((mut findings, errors), before) = rayon::join(
        || {
            let mut errors = Vec::new();
            (large(input, &mut errors), errors)
        },
        || large(before, &mut Vec::new()),
    );
    mark_pre_existing(&mut findings, &before);
    Evaluation {
        findings,
        errors,
        ..Evaluation::default()
    }
}

/// Policies judge a plan's real values, but what their findings say must not repeat a secret:
/// the plan's sensitive values (`secrets`, [`crate::source::plan::PlanFacts::secrets`]) are
/// replaced in their messages, remediations and resources.
fn scrub_secrets(findings: &mut [Finding], secrets: &[String]) {
    let scrubber = Scrubber::new(secrets);
    for f in findings {
        for text in [
            Some(&mut f.message),
            f.remediation.as_mut(),
            f.resource.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(clean) = scrubber.scrub(text) {
                *text = clean;
            }
        }
    }
}

/// Places the findings of [`evaluate_plan_input`] on the hunks of the plan's change: each
/// on the hunk of its resource, at the lines of the attribute it names (`addresses`: each
/// resource change's address, [`crate::source::plan::PlanFacts::addresses`]).
fn place_plan_findings(findings: &mut [Finding], change: &ChangeSet, addresses: &[String]) {
    let mut by_address = std::collections::HashMap::new();
    for (file, h) in change.hunks() {
        if let HunkKind::Resource { address, .. } = &h.kind {
            by_address.entry(address.as_str()).or_insert((file, h));
        }
    }
    for f in findings {
        let by_path = match f.path.as_deref() {
            Some([Step::Key(k), Step::Index(i), ..]) if k == "resource_changes" => {
                addresses.get(*i).map(String::as_str)
            }
            _ => None,
        };
        let address = by_path.or(f.resource.as_deref());
        if let Some(&(file, h)) = address.and_then(|a| by_address.get(a)) {
            f.file = String::from_utf8_lossy(file.path()).into_owned();
            let whole = Span::new(h.new_start, h.new_start + h.new_lines.saturating_sub(1));
            f.lines = Some(attribute_span(change, h, f.path.as_deref()).unwrap_or(whole));
            f.anchor = Anchor::Hunks(vec![h.id.clone()]);
        }
    }
}

/// The lines of the attribute a plan finding points at (`resource_changes[i].change.after.…`)
/// in the rendered hunk: the deepest rendered attribute on its path.
fn attribute_span(
    change: &ChangeSet,
    hunk: &crate::model::Hunk,
    path: Option<&[Step]>,
) -> Option<Span> {
    let rest = match path? {
        [
            Step::Key(rc),
            Step::Index(_),
            Step::Key(c),
            Step::Key(side),
            rest @ ..,
        ] if rc == "resource_changes" && c == "change" && side == "after" => rest,
        _ => return None,
    };
    let wanted: Vec<String> = rest
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => i.to_string(),
        })
        .collect();
    let wanted = AttrPath::new(&wanted);
    change
        .value_lines
        .get(&hunk.id)?
        .iter()
        .filter(|v| v.path.is_prefix_of(&wanted))
        .max_by_key(|v| v.path.len())
        .map(|v| Span::new(v.start, v.end))
}

/// Replaces every occurrence of a secret in a text by `(sensitive)`, the longest secret
/// first where two overlap. Values shorter than four characters (`0`, `true`, `us`) are
/// replaced only as whole words, so a message keeps its meaning.
struct Scrubber {
    /// The secrets of four characters or more, as one automaton.
    long: Option<aho_corasick::AhoCorasick>,
    /// The shorter ones.
    short: Vec<String>,
}

impl Scrubber {
    fn new(secrets: &[String]) -> Scrubber {
        let (long, short): (Vec<&String>, Vec<&String>) = secrets
            .iter()
            .filter(|s| !s.is_empty())
            .partition(|s| s.chars().count() >= 4);
        let long = (!long.is_empty())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                    .build(&long)
                    .ok()
            })
            .flatten();
        Scrubber {
            long,
            short: short.into_iter().cloned().collect(),
        }
    }

    /// `text` scrubbed, or `None` when it holds no secret.
    fn scrub(&self, text: &str) -> Option<String> {
        let mut out = None;
        if let Some(ac) = &self.long
            && ac.is_match(text)
        {
            let mut scrubbed = String::with_capacity(text.len());
            ac.replace_all_with(text, &mut scrubbed, |_, _, dst| {
                dst.push_str("(sensitive)");
                true
            });
            out = Some(scrubbed);
        }
        let current = out.as_deref().unwrap_or(text);
        let is_short_secret = |w: &str| self.short.iter().any(|s| s == w);
        let words = current.split(|c: char| !c.is_alphanumeric());
        if !self.short.is_empty() && words.clone().any(is_short_secret) {
            let replaced: String = current
                .split_inclusive(|c: char| !c.is_alphanumeric())
                .map(|w| {
                    let word = w.trim_end_matches(|c: char| !c.is_alphanumeric());
                    if is_short_secret(word) {
                        w.replacen(word, "(sensitive)", 1)
                    } else {
                        w.to_string()
                    }
                })
                .collect();
            out = Some(replaced);
        }
        out
    }
}

/// The plan as it was before: every change's `after` replaced by its `before`, so policies
/// see the prior state of each resource (and nothing for resources being created). Only the
/// changed objects are copied; everything else is shared with `plan`.
fn before_plan(plan: &regorus::Value) -> regorus::Value {
    let mut before = plan.clone();
    let key = |k: &str| regorus::Value::from(k);
    let changes = match before.as_object_mut() {
        Ok(root) => root.get_mut(&key("resource_changes")),
        Err(_) => None,
    };
    if let Some(rcs) = changes.and_then(|v| v.as_array_mut().ok()) {
        for rc in rcs.iter_mut() {
            let Ok(rc) = rc.as_object_mut() else {
                continue;
            };
            let Some(Ok(change)) = rc.get_mut(&key("change")).map(|c| c.as_object_mut()) else {
                continue;
            };
            let prior = change
                .get(&key("before"))
                .cloned()
                .unwrap_or(regorus::Value::Null);
            change.insert(key("after"), prior);
            change.insert(key("actions"), regorus::Value::from(vec![key("no-op")]));
        }
    }
    before
}

/// How many distinct hunks carry an introduced finding.
pub fn risky_hunks(findings: &[Finding]) -> usize {
    let mut ids: Vec<&crate::model::HunkId> = findings
        .iter()
        .filter(|f| f.origin == Origin::Introduced)
        .filter_map(|f| match &f.anchor {
            Anchor::Hunks(h) => Some(h.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    ids.sort();
    ids.dedup();
    ids.len()
}

#[cfg(test)]
mod tests {
    use super::Scrubber;

    #[test]
    fn secrets_are_scrubbed_from_messages() {
        let secrets = ["hunter22", "22", "hunter2", ""].map(String::from);
        let scrubber = Scrubber::new(&secrets);
        assert_eq!(
            scrubber
                .scrub("password hunter22 on port 22, 220")
                .as_deref(),
            Some("password (sensitive) on port (sensitive), 220")
        );
        assert_eq!(scrubber.scrub("nothing secret on port 220"), None);
    }
}
