//! The Terraform plan source: `terraform show -json` / `tofu show -json` output (format_version
//! 0.x and 1.x, UTF-8 or UTF-16 with a byte-order mark), one hunk per resource change.
//!
//! Values marked in `before_sensitive` / `after_sensitive` are replaced before rendering and
//! hashing, so they never appear in clear in the model. No-op and read changes are summarised
//! in the notes, not offered for decision.

mod node;
mod render;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{
    ChangeSet, FileChange, FileContent, FileStatus, Hunk, HunkId, HunkKind, LineKind, PlanAction,
    PlanSummary, SourceInfo, ValueLines, sha256_hex,
};
use node::{Node, masked_canonical, merge_masks};
use render::{Label, Lines, plural};

/// The sensitive values of the changed outputs (`output_changes`).
fn output_secrets(outputs: Option<&Value>, out: &mut Vec<String>) {
    for change in outputs
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|o| o.values())
    {
        change_secrets(change, out);
    }
}

/// The values one change (of a resource or an output) marks sensitive, on either side.
fn change_secrets(change: &Value, out: &mut Vec<String>) {
    fn collect(value: Option<&Value>, mask: &Value, out: &mut Vec<String>) {
        let Some(value) = value else { return };
        match (mask, value) {
            (Value::Bool(true), Value::String(s)) => {
                out.push(s.clone());
                // A secret that is a JSON document (a policy) leaks through its parts too.
                if let Ok(doc @ (Value::Object(_) | Value::Array(_))) =
                    serde_json::from_str::<Value>(s)
                {
                    collect(Some(&doc), mask, out);
                }
            }
            (Value::Bool(true), Value::Object(m)) => {
                m.values().for_each(|v| collect(Some(v), mask, out))
            }
            (Value::Bool(true), Value::Array(a)) => {
                a.iter().for_each(|v| collect(Some(v), mask, out))
            }
            (Value::Bool(true), Value::Null) => {}
            (Value::Bool(true), other) => out.push(other.to_string()),
            (Value::Object(m), _) => m
                .iter()
                .for_each(|(k, sub)| collect(value.get(k), sub, out)),
            (Value::Array(a), _) => a
                .iter()
                .enumerate()
                .for_each(|(i, sub)| collect(value.get(i), sub, out)),
            _ => {}
        }
    }
    let mask = merge_masks(
        change.get("before_sensitive"),
        change.get("after_sensitive"),
    );
    collect(change.get("before"), &mask, out);
    collect(change.get("after"), &mask, out);
}

/// A plan file's bytes (UTF-8 or UTF-16 with a BOM) as text.
pub fn decode_json_text(bytes: &[u8], name: &str) -> Result<String> {
    decode(bytes).ok_or_else(|| Error::input(name, "not valid UTF-8 or UTF-16 text"))
}

/// Parses a plan file's text as JSON; a syntax error names its line.
pub fn parse_json_text(text: &str, name: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| json_error(&e, name))
}

/// Loads a plan from its file bytes. `name` is used in error messages.
pub fn parse(bytes: &[u8], name: &str) -> Result<ChangeSet> {
    read(bytes, name).map(|(change, _)| change)
}

/// A plan as the policies read it: its text (which the engine reads again, keeping what the
/// rules read, see [`crate::policy::families::read_input`]), and what their findings need.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDocument {
    /// The plan's JSON text.
    pub text: String,
    /// Its resource changes' addresses and its sensitive values.
    pub facts: PlanFacts,
}

/// Loads a plan from its file bytes: its change, and the document policies read.
pub fn read(bytes: &[u8], name: &str) -> Result<(ChangeSet, PlanDocument)> {
    let text = decode_json_text(bytes, name)?;
    let (change, facts) = change_of_text(&text, sha256_hex(bytes), name)?;
    Ok((change, PlanDocument { text, facts }))
}

/// What the findings on a plan need of it besides its change.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PlanFacts {
    /// The address of each `resource_changes[]` entry, by index (for findings whose path
    /// points into that array).
    pub addresses: Vec<String>,
    /// Every value the plan marks sensitive (resource changes on either side, and outputs),
    /// as text: what must never appear in anything countersign prints, even inside a
    /// policy's message. Sorted, without repeats.
    pub secrets: Vec<String>,
}

/// The change a plan's JSON text (read from a file whose sha256 is `sha256`) describes, one
/// hunk per resource change, grouped by module, with the facts the findings need. Each
/// resource change is read on its own, in parallel, so the whole document is never held as
/// a tree (a plan's tree is seven times its text). Errors name `name`: a syntax error at its
/// line (as [`parse_json_text`]), a document that is not a plan, a malformed change.
pub fn change_of_text(text: &str, sha256: String, name: &str) -> Result<(ChangeSet, PlanFacts)> {
    use serde_json::value::RawValue;
    let Ok(parts) = serde_json::from_str::<BTreeMap<String, &RawValue>>(text) else {
        // Not an object: the whole parse says what is wrong.
        parse_json_text(text, name)?;
        return Err(Error::input(
            name,
            "not a Terraform plan: expected a JSON object",
        ));
    };
    let mut root = serde_json::Map::new();
    let mut changes = Changes::Absent;
    let has_changes = parts.contains_key("resource_changes");
    for (key, raw) in parts {
        let value = match key.as_str() {
            "resource_changes" => {
                changes = serde_json::from_str::<Vec<&RawValue>>(raw.get())
                    .map_or(Changes::NotArray, Changes::Texts);
                Value::Null
            }
            // Read only when there is nothing else to count.
            "planned_values" if has_changes => Value::Null,
            "prior_state" | "configuration" | "relevant_attributes" => Value::Null,
            _ => serde_json::from_str(raw.get()).map_err(|e| json_error(&e, name))?,
        };
        root.insert(key, value);
    }
    change_from(root, changes, sha256, name)
}

/// A plan's `resource_changes`: each entry still as text.
enum Changes<'a> {
    Absent,
    NotArray,
    Texts(Vec<&'a serde_json::value::RawValue>),
}

/// The change of a plan's top level (`root`, without its resource changes, which are
/// `changes`), and its [`PlanFacts`].
fn change_from(
    root: serde_json::Map<String, Value>,
    changes: Changes,
    sha256: String,
    name: &str,
) -> Result<(ChangeSet, PlanFacts)> {
    let format_version = root
        .get("format_version")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(v) = &format_version
        && !(v.starts_with("0.") || v.starts_with("1."))
    {
        return Err(Error::input(
            name,
            format!("unsupported plan format_version {v} (countersign reads 0.x and 1.x)"),
        ));
    }
    let has = |k: &str| root.contains_key(k);
    if !has("resource_changes") && !has("planned_values") {
        let why = if has("values") {
            "this is Terraform state, not a plan (it has `values` but no `planned_values` or `resource_changes`); run `terraform show -json PLANFILE` on a saved plan"
        } else {
            "not a Terraform plan: it has neither `resource_changes` nor `planned_values`"
        };
        return Err(Error::input(name, why));
    }

    let mut summary = PlanSummary::default();
    let mut notes = Vec::new();
    let mut modules: BTreeMap<String, Vec<Hunk>> = BTreeMap::new();
    let mut value_lines = BTreeMap::new();
    let mut plan_facts = PlanFacts::default();
    // Each change is read and rendered on its own, in parallel; the counts and the grouping
    // by module follow in the plan's order.
    use rayon::prelude::*;
    let rendered: Vec<Result<ReadChange>> = match &changes {
        Changes::Absent => {
            let planned = count_planned(root.get("planned_values"));
            notes.push(format!(
                "the plan has no `resource_changes`: {planned} planned resources cannot be reviewed as changes"
            ));
            Vec::new()
        }
        Changes::NotArray => {
            return Err(Error::input(name, "`resource_changes` is not an array"));
        }
        Changes::Texts(items) => items
            .par_iter()
            .enumerate()
            .map(|(i, raw)| {
                let rc: Value =
                    serde_json::from_str(raw.get()).map_err(|e| json_error(&e, name))?;
                read_change(i, &rc, name)
            })
            .collect(),
    };
    for item in rendered {
        let (counted, hunk, address, secrets) = item?;
        summary.add(&counted);
        if let Some((module, (hunk, values))) = hunk {
            value_lines.insert(hunk.id.clone(), values);
            modules.entry(module).or_default().push(hunk);
        }
        plan_facts.addresses.push(address);
        plan_facts.secrets.extend(secrets);
    }
    output_secrets(root.get("output_changes"), &mut plan_facts.secrets);
    plan_facts.secrets.sort();
    plan_facts.secrets.dedup();
    if let Some(outputs) = outputs_hunk(root.get("output_changes"), &mut summary) {
        modules.entry(String::new()).or_default().push(outputs);
    }
    if summary.no_op + summary.read > 0 {
        notes.push(format!(
            "{} unchanged {} and {} data source {} summarised, not reviewed",
            summary.no_op,
            plural(summary.no_op, "resource"),
            summary.read,
            plural(summary.read, "read"),
        ));
    }
    if summary.forget > 0 {
        notes.push(format!(
            "{} {} removed from state without being destroyed (forget)",
            summary.forget,
            plural(summary.forget, "resource")
        ));
    }
    let files = modules
        .into_iter()
        .map(|(module, hunks)| FileChange {
            old_path: Some(module_path(&module)),
            new_path: Some(module_path(&module)),
            status: FileStatus::Modified,
            content: FileContent::Plan,
            old_mode: None,
            new_mode: None,
            similarity: None,
            hunks,
        })
        .collect();
    let change = ChangeSet {
        source: SourceInfo::Plan {
            name: name.to_string(),
            sha256,
            format_version,
            terraform_version: root
                .get("terraform_version")
                .and_then(Value::as_str)
                .map(str::to_string),
        },
        files,
        plan: Some(summary),
        notes,
        value_lines,
    };
    Ok((change, plan_facts))
}

/// A syntax error in a plan's JSON, at its line.
fn json_error(e: &serde_json::Error, name: &str) -> Error {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    Error::at_line(name, e.line().max(1), format!("invalid plan JSON: {msg}"))
}

/// One resource change (`resource_changes[i]`) read and rendered, with its address and
/// sensitive values.
fn read_change(i: usize, rc: &Value, name: &str) -> Result<ReadChange> {
    let at = |msg: &str| Error::input(format!("{name}: resource_changes[{i}]"), msg.to_string());
    let change = ResourceChange::read(rc).map_err(|m| at(&m))?;
    let mut counted = PlanSummary::default();
    let action = change.action(&mut counted).map_err(|m| at(&m))?;
    let hunk = action.map(|a| (change.module.clone(), change.hunk(a)));
    let mut secrets = Vec::new();
    change_secrets(change.change, &mut secrets);
    Ok((counted, hunk, change.address, secrets))
}

/// One resource change read and rendered: what it adds to the counts, its module and hunk
/// (none for a change that is only counted), its address and its sensitive values.
type ReadChange = (
    PlanSummary,
    Option<(String, (Hunk, Vec<ValueLines>))>,
    String,
    Vec<String>,
);

fn module_path(module: &str) -> Vec<u8> {
    if module.is_empty() {
        b"root".to_vec()
    } else {
        module.as_bytes().to_vec()
    }
}

/// Decodes UTF-8 (with or without BOM) or UTF-16 with a BOM.
fn decode(bytes: &[u8]) -> Option<String> {
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks(2).map(|c| {
            let pair = [c[0], *c.get(1).unwrap_or(&0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).ok(),
        _ => String::from_utf8(bytes.to_vec()).ok(),
    }
}

fn count_planned(module: Option<&Value>) -> usize {
    let Some(m) = module.and_then(|p| p.get("root_module").or(Some(p))) else {
        return 0;
    };
    let own = m
        .get("resources")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let children = m
        .get("child_modules")
        .and_then(Value::as_array)
        .map_or(0, |c| c.iter().map(|c| count_planned(Some(c))).sum());
    own + children
}

/// The fields of one `resource_changes[]` entry that the review needs.
struct ResourceChange<'a> {
    address: String,
    module: String,
    kind: String,
    name: String,
    mode: String,
    actions: Vec<String>,
    change: &'a Value,
    reason: Option<String>,
}

impl<'a> ResourceChange<'a> {
    fn read(rc: &'a Value) -> std::result::Result<Self, String> {
        let s = |k: &str| rc.get(k).and_then(Value::as_str).map(str::to_string);
        let address = s("address").ok_or("missing `address`")?;
        let change = rc
            .get("change")
            .filter(|c| c.is_object())
            .ok_or(format!("{address}: missing `change` object"))?;
        let actions = change
            .get("actions")
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or(format!("{address}: missing `change.actions` list"))?;
        Ok(ResourceChange {
            module: s("module_address").unwrap_or_default(),
            kind: s("type").unwrap_or_default(),
            name: s("name").unwrap_or_default(),
            mode: s("mode").unwrap_or_else(|| "managed".into()),
            reason: s("action_reason"),
            address,
            actions,
            change,
        })
    }

    /// The reviewable action, or `None` when the change is only summarised.
    fn action(&self, summary: &mut PlanSummary) -> std::result::Result<Option<PlanAction>, String> {
        let acts: Vec<&str> = self.actions.iter().map(String::as_str).collect();
        let action = match acts.as_slice() {
            ["no-op"] => {
                summary.no_op += 1;
                return Ok(None);
            }
            ["read"] => {
                summary.read += 1;
                return Ok(None);
            }
            ["forget"] => {
                summary.forget += 1;
                return Ok(None);
            }
            ["create"] => PlanAction::Create,
            ["update"] => PlanAction::Update,
            ["delete"] => PlanAction::Delete,
            ["delete", "create"] => PlanAction::DeleteThenCreate,
            ["create", "delete"] => PlanAction::CreateThenDelete,
            other => return Err(format!("{}: unknown actions {other:?}", self.address)),
        };
        match action {
            PlanAction::Create => summary.create += 1,
            PlanAction::Update => summary.update += 1,
            PlanAction::Delete => summary.delete += 1,
            _ => summary.replace += 1,
        }
        Ok(Some(action))
    }

    fn hunk(&self, action: PlanAction) -> (Hunk, Vec<ValueLines>) {
        let c = self.change;
        let (before, after) = (c.get("before"), c.get("after"));
        let mask = merge_masks(c.get("before_sensitive"), c.get("after_sensitive"));
        let (before_sens, after_sens) = (Some(&mask), Some(&mask));
        let id = HunkId::for_resource(
            &self.address,
            &self.actions,
            &masked_canonical(before, before_sens),
            &masked_canonical(after, after_sens),
        );
        let before_node = Node::build(before, None, before_sens);
        let after_node = Node::build(after, c.get("after_unknown"), after_sens);
        let replace_paths: Vec<Vec<String>> = c
            .get("replace_paths")
            .and_then(Value::as_array)
            .map(|paths| {
                paths
                    .iter()
                    .filter_map(Value::as_array)
                    .map(|p| {
                        p.iter()
                            .map(|k| k.as_str().map_or_else(|| k.to_string(), str::to_string))
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let forces =
            |path: &[String]| action.is_replace() && replace_paths.iter().any(|p| p == path);
        let keyword = if self.mode == "data" {
            "data"
        } else {
            "resource"
        };
        let open = format!("{keyword} \"{}\" \"{}\" {{", self.kind, self.name);
        let mut lines = Lines::default();
        match action {
            PlanAction::Create | PlanAction::Delete => {
                let (kind, node) = if action == PlanAction::Create {
                    (LineKind::Added, after_node)
                } else {
                    (LineKind::Removed, before_node)
                };
                lines.push(kind, 0, &open);
                match &node {
                    Some(Node::Object(map)) => {
                        let empty = BTreeMap::new();
                        let (b, a) = if kind == LineKind::Added {
                            (&empty, map)
                        } else {
                            (map, &empty)
                        };
                        lines.object_diff(1, b, a, &|_| false, &mut Vec::new());
                    }
                    // A wholly sensitive (or unknown) resource: say so rather than show `{}`.
                    Some(other) => lines.push(
                        kind,
                        1,
                        &format!("# (all attributes {})", other.inline_text()),
                    ),
                    None => {}
                }
                lines.push(kind, 0, "}");
            }
            _ => {
                lines.push(LineKind::Context, 0, &open);
                let empty = Node::Object(BTreeMap::new());
                let (Node::Object(b), Node::Object(a)) = (
                    before_node.as_ref().unwrap_or(&empty),
                    after_node.as_ref().unwrap_or(&empty),
                ) else {
                    lines.diff(
                        1,
                        Label::Attr("value", 5),
                        before_node.as_ref(),
                        after_node.as_ref(),
                        &forces,
                        &mut Vec::new(),
                    );
                    lines.push(LineKind::Context, 0, "}");
                    return self.finish_hunk(id, action, lines);
                };
                lines.object_diff(1, b, a, &forces, &mut Vec::new());
                lines.push(LineKind::Context, 0, "}");
            }
        }
        self.finish_hunk(id, action, lines)
    }

    fn finish_hunk(&self, id: HunkId, action: PlanAction, lines: Lines) -> (Hunk, Vec<ValueLines>) {
        let (lines, values) = lines.finish();
        let old_lines = lines.iter().filter(|l| l.kind != LineKind::Added).count() as u32;
        let new_lines = lines.iter().filter(|l| l.kind != LineKind::Removed).count() as u32;
        let verb = match action {
            PlanAction::Create => "will be created",
            PlanAction::Update => "will be updated in-place",
            PlanAction::Delete => "will be destroyed",
            PlanAction::DeleteThenCreate | PlanAction::CreateThenDelete => "must be replaced",
            PlanAction::Outputs => "changes",
        };
        let reason = match self.reason.as_deref() {
            Some("delete_because_no_resource_config") => " (its configuration was removed)",
            Some("delete_because_no_module") => " (its module was removed)",
            Some("replace_by_request") => " (replacement requested)",
            Some("replace_because_tainted") => " (it is tainted)",
            _ => "",
        };
        let hunk = Hunk {
            id,
            kind: HunkKind::Resource {
                address: self.address.clone(),
                action,
            },
            old_start: 1,
            old_lines,
            new_start: 1,
            new_lines,
            title: format!("{} {verb}{reason}", self.address),
            lines,
        };
        (hunk, values)
    }
}

/// One hunk for all changed root outputs, or none when nothing changes.
fn outputs_hunk(outputs: Option<&Value>, summary: &mut PlanSummary) -> Option<Hunk> {
    let outputs = outputs?.as_object()?;
    let mut lines = Lines::default();
    let (mut before_all, mut after_all) = (serde_json::Map::new(), serde_json::Map::new());
    let width = outputs.keys().map(String::len).max().unwrap_or(0);
    for (name, change) in outputs {
        let acts = change
            .get("actions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if acts.iter().all(|a| a == "no-op") {
            continue;
        }
        summary.outputs_changed += 1;
        let (b, a) = (change.get("before"), change.get("after"));
        let mask = merge_masks(
            change.get("before_sensitive"),
            change.get("after_sensitive"),
        );
        let (bs, as_) = (Some(&mask), Some(&mask));
        before_all.insert(name.clone(), Value::String(masked_canonical(b, bs)));
        after_all.insert(name.clone(), Value::String(masked_canonical(a, as_)));
        let bn = Node::build(b, None, bs);
        let an = Node::build(a, change.get("after_unknown"), as_);
        lines.diff(
            0,
            Label::Attr(name, width),
            bn.as_ref(),
            an.as_ref(),
            &|_| false,
            &mut Vec::new(),
        );
    }
    if summary.outputs_changed == 0 {
        return None;
    }
    let id = HunkId::for_resource(
        "outputs",
        &["update".to_string()],
        &Value::Object(before_all).to_string(),
        &Value::Object(after_all).to_string(),
    );
    let (lines, _) = lines.finish();
    Some(Hunk {
        id,
        kind: HunkKind::Resource {
            address: "outputs".into(),
            action: PlanAction::Outputs,
        },
        old_start: 1,
        old_lines: lines.iter().filter(|l| l.kind != LineKind::Added).count() as u32,
        new_start: 1,
        new_lines: lines.iter().filter(|l| l.kind != LineKind::Removed).count() as u32,
        title: format!(
            "{} output {} change",
            summary.outputs_changed,
            plural(summary.outputs_changed, "value")
        ),
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(changes: Value) -> ChangeSet {
        let p = json!({"format_version": "1.2", "resource_changes": changes});
        parse(p.to_string().as_bytes(), "plan.json").unwrap()
    }

    fn hunk_text(h: &Hunk) -> String {
        h.lines
            .iter()
            .map(|l| {
                format!(
                    "{}{}",
                    l.kind.marker() as char,
                    String::from_utf8_lossy(&l.bytes)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn create_update_replace_and_summaries() {
        let cs = plan(json!([
            {"address": "aws_s3_bucket.b", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "before": null, "after": {"bucket": "x"}, "after_unknown": {"arn": true}}},
            {"address": "aws_instance.w", "type": "aws_instance", "name": "w", "change": {"actions": ["delete", "create"], "before": {"ami": "a", "t": 1}, "after": {"ami": "b", "t": 1}, "after_unknown": {}, "replace_paths": [["ami"]]}},
            {"address": "aws_vpc.v", "type": "aws_vpc", "name": "v", "change": {"actions": ["no-op"], "before": {}, "after": {}}},
            {"address": "data.aws_iam_policy_document.d", "mode": "data", "type": "aws_iam_policy_document", "name": "d", "change": {"actions": ["read"], "before": null, "after": {}}}
        ]));
        let s = cs.plan.as_ref().unwrap();
        assert_eq!((s.create, s.replace, s.no_op, s.read), (1, 1, 1, 1));
        assert_eq!(cs.hunk_count(), 2);
        let create = &cs.files[0].hunks[0];
        assert_eq!(create.title, "aws_s3_bucket.b will be created");
        assert_eq!(
            hunk_text(create),
            "+resource \"aws_s3_bucket\" \"b\" {\n+  arn    = (known after apply)\n+  bucket = \"x\"\n+}"
        );
        let replace = &cs.files[0].hunks[1];
        assert!(
            hunk_text(replace).contains("+  ami = \"b\" # forces replacement"),
            "{}",
            hunk_text(replace)
        );
        assert!(hunk_text(replace).contains(" # (1 unchanged attribute hidden)"));
        assert_eq!(cs.notes.len(), 1);
    }

    #[test]
    fn sensitive_values_never_reach_the_lines() {
        let cs = plan(
            json!([{"address": "aws_db_instance.d", "type": "aws_db_instance", "name": "d", "change": {
            "actions": ["update"], "before": {"password": "CANARY-old"}, "after": {"password": "CANARY-new"},
            "before_sensitive": {"password": true}, "after_sensitive": {"password": true}}}]),
        );
        let text = hunk_text(&cs.files[0].hunks[0]);
        assert!(!text.contains("CANARY"), "{text}");
        assert!(text.contains("password = (sensitive)"));
    }

    #[test]
    fn a_value_sensitive_on_one_side_is_hidden_on_both() {
        let cs = plan(
            json!([{"address": "a.b", "type": "a", "name": "b", "change": {
            "actions": ["update"], "before": {"pw": "CANARY-SAME", "n": 1}, "after": {"pw": "CANARY-SAME", "n": 2},
            "before_sensitive": {}, "after_sensitive": {"pw": true}}}]),
        );
        assert!(!hunk_text(&cs.files[0].hunks[0]).contains("CANARY"));
    }

    #[test]
    fn a_wholly_sensitive_resource_says_so() {
        let cs = plan(
            json!([{"address": "a.b", "type": "a", "name": "b", "change": {
            "actions": ["create"], "before": null, "after": {"k": "CANARY"}, "after_sensitive": true}}]),
        );
        let text = hunk_text(&cs.files[0].hunks[0]);
        assert!(
            text.contains("# (all attributes (sensitive))") && !text.contains("CANARY"),
            "{text}"
        );
    }

    /// The error `parse` gives for a plan file's bytes.
    fn error_of(bytes: &[u8]) -> String {
        parse(bytes, "p.json").unwrap_err().to_string()
    }

    #[test]
    fn rejects_state_files_and_bad_json_with_a_line() {
        let state = br#"{"format_version":"1.0","values":{}}"#;
        assert!(error_of(state).contains("state, not a plan"));
        let bad = b"{\n\"format_version\": \"1.0\",\n\"resource_changes\": [\n}";
        assert!(error_of(bad).starts_with("p.json:4: invalid plan JSON"));
        let future = br#"{"format_version":"2.0","resource_changes":[]}"#;
        assert!(error_of(future).contains("unsupported plan format_version 2.0"));
        let not_an_array = br#"{"format_version": "1.0", "resource_changes": {}}"#;
        assert!(error_of(not_an_array).contains("`resource_changes` is not an array"));
    }

    #[test]
    fn the_document_gives_addresses_and_every_secret() {
        let p = json!({"format_version": "1.2", "resource_changes": [
            {"address": "a.one", "type": "a", "name": "one", "change": {"actions": ["create"], "before": null,
             "after": {"pw": "CANARY-1", "doc": "{\"k\": \"CANARY-2\"}"}, "after_sensitive": {"pw": true, "doc": true}}},
            {"address": "a.two", "type": "a", "name": "two", "change": {"actions": ["no-op"], "before": {"n": 3}, "after": {"n": 3}}}
        ], "output_changes": {"o": {"actions": ["create"], "before": null, "after": "CANARY-3", "after_sensitive": true}},
           "planned_values": {"root_module": {"resources": [{"address": "a.one"}]}}, "prior_state": {"values": {}}});
        let (change, document) = read(p.to_string().as_bytes(), "plan.json").unwrap();
        assert_eq!(change.hunk_count(), 2, "a.one and the outputs");
        assert_eq!(document.facts.addresses, ["a.one", "a.two"]);
        assert_eq!(
            document.facts.secrets,
            ["CANARY-1", "CANARY-2", "CANARY-3", "{\"k\": \"CANARY-2\"}"]
        );
        assert_eq!(document.text, p.to_string());
    }

    #[test]
    fn a_plan_without_resource_changes_counts_its_planned_resources() {
        let p =
            br#"{"format_version": "0.2", "planned_values": {"root_module": {"resources": [{}, {}],
            "child_modules": [{"resources": [{}]}]}}}"#;
        let change = parse(p, "plan.json").unwrap();
        assert!(change.files.is_empty());
        assert_eq!(
            change.notes,
            [
                "the plan has no `resource_changes`: 3 planned resources cannot be reviewed as changes"
            ]
        );
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let text = r#"{"format_version":"1.1","resource_changes":[]}"#;
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert!(parse(&bytes, "p").unwrap().files.is_empty());
    }

    #[test]
    fn ids_ignore_sensitive_clear_text_but_see_its_change() {
        let one = |pw: &str| {
            plan(json!([{"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["create"], "before": null, "after": {"pw": pw}, "after_sensitive": {"pw": true}}}]))
                .files[0].hunks[0].id.clone()
        };
        assert_ne!(one("x"), one("y"));
        assert_eq!(one("x"), one("x"));
    }
}
