//! The Terraform plan source through the real binary, on the checkov plan corpus and on
//! synthetic plans: every corpus plan loads (one hunk per reviewable change), the state file
//! among them is rejected with a reason, sensitive values never reach `show` output, and bad
//! plan files are input errors naming the file (and line).

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

/// The checkov test fixtures; the plans are the `*.json` files under `tests/terraform/`.
const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/checkov-fixtures"
);

/// How many plan files the corpus holds.
const CORPUS_PLANS: usize = 50;

/// The one corpus file that is Terraform state, not a plan.
const STATE_FILE: &str = "runner/resources/plan/corrupted-tfplan.json";

/// Shorter sensitive values are not searched for: they can occur by coincidence ("true").
const MIN_SECRET_LEN: usize = 6;

/// What an absent mask or value reads as.
const NULL: &Value = &Value::Null;

/// Actions that are summarised, not shown as hunks.
const SUMMARISED: [&str; 3] = ["no-op", "read", "forget"];

/// Runs the binary with `args`.
fn countersign<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run countersign")
}

/// `countersign show --plan PLAN` followed by `extra`.
fn show(plan: &Path, extra: &[&str]) -> Output {
    // With the findings, so policy messages are searched for secrets too.
    let mut args: Vec<&OsStr> = vec![
        "show".as_ref(),
        "--findings".as_ref(),
        "--plan".as_ref(),
        plan.as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    countersign(&args)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts `out` succeeded and returns its standard output.
fn stdout_of(out: Output, what: &str) -> String {
    assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{what}: stdout not UTF-8: {e}"))
}

/// Both renderings of a plan by `show`.
struct Shown {
    /// `--color never --no-pager`.
    text: String,
    /// `--format json`, as printed.
    json: String,
    /// The JSON output, parsed.
    doc: Value,
}

/// Shows `plan` as text and as JSON; both must succeed and the JSON must parse.
fn show_both(plan: &Path) -> Shown {
    let what = plan.display();
    let text = stdout_of(
        show(plan, &["--color", "never", "--no-pager"]),
        &format!("{what} (text)"),
    );
    let json = stdout_of(show(plan, &["--format", "json"]), &format!("{what} (json)"));
    let doc = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{what}: JSON output does not parse: {e}"));
    Shown { text, json, doc }
}

/// Every `*.json` file under `dir`, recursively.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension() == Some(OsStr::new("json")) {
            out.push(path);
        }
    }
}

/// The corpus plan files, sorted; there must be exactly [`CORPUS_PLANS`].
fn corpus_plans() -> Vec<PathBuf> {
    let mut files = Vec::new();
    json_files(&Path::new(CORPUS).join("tests/terraform"), &mut files);
    files.sort();
    assert_eq!(files.len(), CORPUS_PLANS, "corpus plans: {files:#?}");
    files
}

fn is_state_file(path: &Path) -> bool {
    path.ends_with(STATE_FILE)
}

/// A fixture's JSON: UTF-8 (BOM or not) or UTF-16LE with a BOM.
fn read_plan(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    let text = match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => {
            let units = rest
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .unwrap_or_else(|e| panic!("{}: bad UTF-16: {e}", path.display()))
        }
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()).unwrap(),
        _ => String::from_utf8(bytes).unwrap(),
    };
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// True when a change's `actions` are exactly one of `summarised`.
fn has_actions_in(change: &Value, summarised: &[&str]) -> bool {
    matches!(change["actions"].as_array().map(Vec::as_slice),
        Some([Value::String(a)]) if summarised.contains(&a.as_str()))
}

/// The hunks `show` must give: one per reviewable resource change, plus one for outputs.
fn expected_hunks(plan: &Value) -> usize {
    let resources = plan["resource_changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|rc| !has_actions_in(&rc["change"], &SUMMARISED))
        .count();
    let outputs = plan["output_changes"]
        .as_object()
        .is_some_and(|o| o.values().any(|c| !has_actions_in(c, &["no-op"])));
    resources + usize::from(outputs)
}

/// The hunks in a `show --format json` document.
fn hunks_in(doc: &Value) -> usize {
    doc["files"]
        .as_array()
        .expect("`files` array")
        .iter()
        .map(|f| f["hunks"].as_array().expect("`hunks` array").len())
        .sum()
}

/// Every `change` object of a plan: resource changes, then output changes.
fn changes_mut(plan: &mut Value) -> Vec<&mut Value> {
    let Value::Object(root) = plan else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (key, v) in root.iter_mut() {
        match (key.as_str(), v) {
            ("resource_changes", Value::Array(rcs)) => {
                changes.extend(rcs.iter_mut().filter_map(|rc| rc.get_mut("change")));
            }
            ("output_changes", Value::Object(outputs)) => changes.extend(outputs.values_mut()),
            _ => {}
        }
    }
    changes
}

/// Every scalar leaf of `value` as text (strings as-is); nulls are skipped.
fn scalar_leaves(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push(s.clone()),
        Value::Object(map) => map.values().for_each(|v| scalar_leaves(v, out)),
        Value::Array(items) => items.iter().for_each(|v| scalar_leaves(v, out)),
        other => out.push(other.to_string()),
    }
}

/// The scalar leaves of `value` that lie under a `true` in `mask` (which is `true` for the
/// whole value, or an object/array mirroring it).
fn sensitive_leaves(value: &Value, mask: &Value, out: &mut Vec<String>) {
    match (mask, value) {
        (Value::Bool(true), v) => scalar_leaves(v, out),
        (Value::Object(m), Value::Object(v)) => {
            for (key, child) in v {
                if let Some(child_mask) = m.get(key) {
                    sensitive_leaves(child, child_mask, out);
                }
            }
        }
        (Value::Array(m), Value::Array(v)) => {
            for (child, child_mask) in v.iter().zip(m) {
                sensitive_leaves(child, child_mask, out);
            }
        }
        _ => {}
    }
}

/// The `(value, mask)` pairs of a change.
const SIDES: [(&str, &str); 2] = [("before", "before_sensitive"), ("after", "after_sensitive")];

/// The distinct sensitive values of a plan that are long enough to search for.
fn plan_secrets(plan: &Value) -> BTreeSet<String> {
    let mut plan = plan.clone();
    let mut leaves = Vec::new();
    for change in changes_mut(&mut plan) {
        for (value, mask) in SIDES {
            sensitive_leaves(&change[value], &change[mask], &mut leaves);
        }
    }
    leaves
        .into_iter()
        .filter(|s| s.chars().count() >= MIN_SECRET_LEN)
        .collect()
}

/// `value` with every part under a `true` in `mask` replaced by null.
fn scrub(value: &Value, mask: &Value) -> Value {
    match (mask, value) {
        (Value::Bool(true), _) => Value::Null,
        (Value::Object(m), Value::Object(v)) => Value::Object(
            v.iter()
                .map(|(k, child)| (k.clone(), scrub(child, m.get(k).unwrap_or(NULL))))
                .collect(),
        ),
        (Value::Array(m), Value::Array(v)) => Value::Array(
            v.iter()
                .enumerate()
                .map(|(i, child)| scrub(child, m.get(i).unwrap_or(NULL)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// The union of two sensitivity masks: sensitive where either is.
fn either_mask(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Bool(true), _) | (_, Value::Bool(true)) => json!(true),
        (Value::Object(x), Value::Object(y)) => Value::Object(
            x.keys()
                .chain(y.keys())
                .map(|k| {
                    (
                        k.clone(),
                        either_mask(x.get(k).unwrap_or(NULL), y.get(k).unwrap_or(NULL)),
                    )
                })
                .collect(),
        ),
        (Value::Array(x), Value::Array(y)) => Value::Array(
            (0..x.len().max(y.len()))
                .map(|i| either_mask(x.get(i).unwrap_or(NULL), y.get(i).unwrap_or(NULL)))
                .collect(),
        ),
        (Value::Object(_) | Value::Array(_), _) => a.clone(),
        _ => b.clone(),
    }
}

/// The plan with every sensitive value replaced by null: what `show` may print of it. A path
/// sensitive on either side of a change is scrubbed on both, as terraform masks both: so a
/// secret shown in clear through the side that does not mark it still counts as a leak.
fn scrubbed(plan: &Value) -> Value {
    let mut plan = plan.clone();
    for change in changes_mut(&mut plan) {
        let mask = either_mask(&change["before_sensitive"], &change["after_sensitive"]);
        for (value, _) in SIDES {
            let clean = scrub(&change[value], &mask);
            if let Some(v) = change.get_mut(value) {
                *v = clean;
            }
        }
    }
    plan
}

/// The plan with every attribute of every reviewable resource change, and every output
/// change, marked sensitive: so the corpus's real values serve as secrets.
fn sensitised(plan: &Value) -> Value {
    let mut plan = plan.clone();
    for change in changes_mut(&mut plan) {
        if has_actions_in(change, &SUMMARISED) {
            continue;
        }
        for (value, mask) in SIDES {
            let new_mask = match &change[value] {
                Value::Object(attrs) => attrs.keys().map(|k| (k.clone(), json!(true))).collect(),
                Value::Null => json!(false),
                _ => json!(true),
            };
            if let Some(obj) = change.as_object_mut() {
                obj.insert(mask.to_string(), new_mask);
            }
        }
    }
    plan
}

/// The forms in which `secret` would show up if it leaked: as-is, JSON/HCL-escaped, line by
/// line (heredocs), and the leaves of the document it holds (`jsonencode(…)`).
fn leak_forms(secret: &str) -> BTreeSet<String> {
    let mut forms = BTreeSet::from([secret.to_string()]);
    let quoted = Value::String(secret.to_string()).to_string();
    forms.insert(quoted[1..quoted.len() - 1].to_string());
    forms.extend(secret.lines().map(str::to_string));
    if let Ok(doc @ (Value::Object(_) | Value::Array(_))) = serde_json::from_str(secret) {
        let mut leaves = Vec::new();
        scalar_leaves(&doc, &mut leaves);
        forms.extend(leaves);
    }
    forms.retain(|f| f.chars().count() >= MIN_SECRET_LEN);
    forms
}

/// Everything `show` printed for a plan, JSON strings decoded, to search for leaks.
fn searchable(shown: &Shown) -> String {
    let mut strings = Vec::new();
    scalar_leaves(&shown.doc, &mut strings);
    format!("{}\n{}\n{}", shown.text, shown.json, strings.join("\n"))
}

/// How many sensitive values a leak check looked for.
#[derive(Default, Debug)]
struct Tally {
    /// Values searched for in the output.
    checked: usize,
    /// Values not searched for: they also appear in the output of the scrubbed plan (a
    /// resource name, an attribute key, a word of the header), so finding them proves nothing.
    coincidental: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.checked += other.checked;
        self.coincidental += other.coincidental;
    }
}

/// Shows `plan` and its scrubbed twin from the same path in `dir`, and asserts that no
/// sensitive value of the plan appears in the output unless the twin's output has it too.
fn assert_no_leak(plan: &Value, label: &str, dir: &Path) -> Tally {
    let secrets = plan_secrets(plan);
    let mut tally = Tally::default();
    if secrets.is_empty() {
        return tally;
    }
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_vec(plan).unwrap()).unwrap();
    let shown = searchable(&show_both(&path));
    std::fs::write(&path, serde_json::to_vec(&scrubbed(plan)).unwrap()).unwrap();
    let public = searchable(&show_both(&path));
    for secret in &secrets {
        let forms: Vec<String> = leak_forms(secret)
            .into_iter()
            .filter(|f| !public.contains(f.as_str()))
            .collect();
        if forms.is_empty() {
            tally.coincidental += 1;
            continue;
        }
        tally.checked += 1;
        for form in forms {
            assert!(
                !shown.contains(&form),
                "{label}: sensitive value {form:?} appears in `show` output"
            );
        }
    }
    tally
}

/// All 50 corpus plans show as text and JSON (exit 0), and the JSON has one hunk per
/// resource change that is not no-op/read/forget, plus one when any output changes.
#[test]
fn corpus_plans_show_one_hunk_per_reviewable_change() {
    let mut shown = 0;
    for path in corpus_plans().iter().filter(|p| !is_state_file(p)) {
        let out = show_both(path);
        let expected = expected_hunks(&read_plan(path));
        assert_eq!(hunks_in(&out.doc), expected, "{}", path.display());
        assert_eq!(out.doc["summary"]["hunks"], expected, "{}", path.display());
        shown += 1;
    }
    assert_eq!(shown, CORPUS_PLANS - 1);
}

/// The corpus's state file is rejected by both renderings: exit 2 and one stderr line that
/// names the file and says it is state, not a plan.
#[test]
fn corpus_state_file_is_rejected_with_a_one_line_reason() {
    let path = Path::new(CORPUS).join("tests/terraform").join(STATE_FILE);
    for format in ["text", "json"] {
        let out = show(
            &path,
            &["--format", format, "--color", "never", "--no-pager"],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert!(out.stdout.is_empty(), "{format}: wrote to stdout");
        assert_eq!(err.lines().count(), 1, "{format}: {err}");
        assert!(err.contains(&*path.to_string_lossy()), "{format}: {err}");
        assert!(err.contains("state, not a plan"), "{format}: {err}");
    }
}

/// No value under a `true` sensitivity mask appears in `show` text or JSON output: first with
/// the corpus's own masks, then with every attribute of every reviewable change marked
/// sensitive (the corpus itself marks only two attributes, both null, so its own masks give
/// nothing to search for at any length threshold; the sensitised copies keep the test from
/// passing vacuously, with the corpus's real values as secrets).
#[test]
fn corpus_sensitive_values_never_appear_in_show_output() {
    let dir = tempfile::tempdir().unwrap();
    let (mut own, mut all) = (Tally::default(), Tally::default());
    for path in corpus_plans().iter().filter(|p| !is_state_file(p)) {
        let plan = read_plan(path);
        let label = path.display().to_string();
        own += assert_no_leak(&plan, &label, dir.path());
        all += assert_no_leak(
            &sensitised(&plan),
            &format!("{label} (sensitised)"),
            dir.path(),
        );
    }
    eprintln!(
        "sensitive values checked (length >= {MIN_SECRET_LEN}): {} with the corpus's masks, \
         {} with every attribute sensitive ({} more skipped as coincidental)",
        own.checked,
        all.checked,
        own.coincidental + all.coincidental
    );
    assert!(
        own.checked + all.checked > 0,
        "no sensitive value was checked"
    );
}

/// A plan whose secrets are canaries: an updated password, a sensitive attribute of a nested
/// block, a whole-value-sensitive object and a sensitive output.
fn canary_plan() -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": [
            {
                "address": "aws_db_instance.main", "mode": "managed",
                "type": "aws_db_instance", "name": "main",
                "change": {
                    "actions": ["update"],
                    "before": {"identifier": "main-db", "password": "CANARY-OLD-8d1f"},
                    "after": {"identifier": "main-db", "password": "CANARY-NEW-29ab"},
                    "after_unknown": {},
                    "before_sensitive": {"password": true},
                    "after_sensitive": {"password": true}
                }
            },
            {
                "address": "aws_instance.web", "mode": "managed",
                "type": "aws_instance", "name": "web",
                "change": {
                    "actions": ["create"],
                    "before": null,
                    "after": {
                        "ami": "ami-0c55b159cbfafe1f0",
                        "root_block_device": [{"volume_size": 20, "kms_key_id": "CANARY-NESTED-77"}]
                    },
                    "after_unknown": {"id": true, "root_block_device": [{"volume_id": true}]},
                    "before_sensitive": false,
                    "after_sensitive": {"root_block_device": [{"kms_key_id": true}]}
                }
            },
            {
                "address": "aws_opensearch_domain.search", "mode": "managed",
                "type": "aws_opensearch_domain", "name": "search",
                "change": {
                    "actions": ["delete"],
                    "before": {
                        "domain_name": "search",
                        "settings": {"master_user": "CANARY-SETTINGS-USER", "master_password": "CANARY-SETTINGS-PW"}
                    },
                    "after": null,
                    "after_unknown": {},
                    "before_sensitive": {"settings": true},
                    "after_sensitive": false
                }
            }
        ],
        "output_changes": {
            "db_password": {
                "actions": ["create"], "before": null, "after": "CANARY-OUTPUT-5e",
                "after_unknown": false, "before_sensitive": false, "after_sensitive": true
            }
        }
    })
}

/// A value that becomes sensitive (marked in `after_sensitive` only, as when a variable or a
/// provider schema newly marks it) is masked on both sides, as terraform does: otherwise the
/// unchanged secret is printed in clear on the `-` line.
#[test]
fn value_sensitive_on_one_side_is_masked_on_both() {
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": "aws_db_instance.main", "type": "aws_db_instance", "name": "main",
            "change": {
                "actions": ["update"],
                "before": {"password": "CANARY-SAME-4c2e", "port": 5432},
                "after": {"password": "CANARY-SAME-4c2e", "port": 5433},
                "before_sensitive": {}, "after_sensitive": {"password": true}
            }
        }],
        "output_changes": {"db_password": {
            "actions": ["update"], "before": "CANARY-OUT-SAME", "after": "CANARY-OUT-SAME",
            "before_sensitive": false, "after_sensitive": true
        }}
    });
    let dir = tempfile::tempdir().unwrap();
    let tally = assert_no_leak(&plan, "one-sided sensitivity", dir.path());
    assert_eq!(tally.checked, 2, "{tally:?}");
}

/// `text` without ANSI escape sequences (CSI `ESC [ … letter` and OSC `ESC ] … BEL/ST`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() || c == '~' {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// No canary reaches `show` output (text plain and coloured, JSON), while `(sensitive)` is
/// shown in their place.
#[test]
fn canary_secrets_never_appear_in_show_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("canary.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&canary_plan()).unwrap()).unwrap();
    let plain = show_both(&path);
    assert_eq!(hunks_in(&plain.doc), 4, "{}", plain.json);
    let coloured = stdout_of(
        show(&path, &["--color", "always", "--no-pager"]),
        "--color always",
    );
    assert!(coloured.contains('\x1b'), "--color always gave no colour");
    let outputs = [
        ("text", plain.text.clone()),
        ("coloured text", coloured.clone()),
        ("coloured text, escapes removed", strip_ansi(&coloured)),
        ("json", plain.json.clone()),
        ("json strings", searchable(&plain)),
    ];
    for (what, output) in outputs {
        assert!(
            !output.contains("CANARY"),
            "{what} leaks a canary:\n{output}"
        );
        assert!(
            output.contains("(sensitive)"),
            "{what} has no (sensitive):\n{output}"
        );
    }
}

/// A plan file that does not exist: exit 2, and the message names the path.
#[test]
fn missing_plan_file_is_an_input_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-plan.json");
    let out = show(&path, &["--no-pager"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&*path.to_string_lossy()), "{err}");
}

/// Invalid JSON: exit 2, and the message gives `FILE:LINE:` of the syntax error.
#[test]
fn invalid_plan_json_is_an_input_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(
        &path,
        "{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [,]\n}\n",
    )
    .unwrap();
    for format in ["text", "json"] {
        let out = show(&path, &["--format", format, "--no-pager"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert!(
            err.contains(&format!("{}:3:", path.display())),
            "{format}: {err}"
        );
    }
}

/// A JSON array instead of a plan object: exit 2, and the message names the file.
#[test]
fn json_array_plan_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("array.json");
    std::fs::write(
        &path,
        r#"[{"format_version": "1.2", "resource_changes": []}]"#,
    )
    .unwrap();
    let out = show(&path, &["--no-pager"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&*path.to_string_lossy()), "{err}");
}
