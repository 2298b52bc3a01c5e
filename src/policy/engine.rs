//! The Rego engine (regorus, in process), with conftest's conventions: rules named `deny`,
//! `violation` and `warn` (and `_suffix` variants) in the chosen namespaces, `exception`
//! rules, and one rule's runtime error reported as that rule's error instead of aborting the
//! run. Policies are parsed once; each input is evaluated on a cheap clone.

use std::collections::{BTreeSet, HashSet};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use regorus::utils::limits::ExecutionTimerConfig;
use serde_json::Value;

use super::bundle::{Bundle, PolicyFile};
use super::families::{Family, Provider, ResourceLocal};
use crate::error::{Error, Result};

/// Which packages of the user's policies are evaluated (the built-in pack always is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespaces {
    /// Only these packages (conftest's `--namespace`; default `main`).
    Only(Vec<String>),
    /// Every package (conftest's `--all-namespaces`).
    All,
}

impl Default for Namespaces {
    fn default() -> Self {
        Namespaces::Only(vec!["main".to_string()])
    }
}

/// What a rule's name says about its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// `deny*`: a failure.
    Deny,
    /// `violation*`: a failure, results usually objects.
    Violation,
    /// `warn*`: a warning.
    Warn,
}

/// A rule the engine evaluates, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Its package, e.g. `main` or `countersign.aws.network`.
    pub package: String,
    /// Its name, e.g. `deny` or `deny_open_ssh`.
    pub name: String,
    /// Deny, violation or warn.
    pub kind: RuleKind,
    /// The policy file that defines it.
    pub file: String,
    /// The line of its first definition (1-based).
    pub line: usize,
}

impl Rule {
    /// `package.name`: the rule's reference under `data`, and the id of its findings that name
    /// none.
    pub fn default_id(&self) -> String {
        format!("{}.{}", self.package, self.name)
    }

    /// Whether `id` is [`Rule::default_id`], told without building it.
    pub fn is_default_id(&self, id: &str) -> bool {
        id.strip_prefix(self.package.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            == Some(self.name.as_str())
    }

    /// True for rules of the built-in pack.
    pub fn is_builtin(&self) -> bool {
        self.file.starts_with(super::bundle::BUILTIN_PREFIX)
    }

    /// The suffix after `deny_` / `violation_` / `warn_` (empty for the bare rule): the name
    /// conftest's `exception` rules use.
    fn suffix(&self) -> &str {
        self.name.split_once('_').map_or("", |(_, s)| s)
    }
}

/// What evaluating one rule on one input gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// One result of the rule: a message string or an object (`msg`, `severity`, …).
    Result {
        /// Index of the rule in [`Engine::rules`].
        rule: usize,
        /// The value the rule produced.
        value: Value,
    },
    /// The rule failed at run time (a builtin type error, the time limit, …).
    Error {
        /// Index of the rule in [`Engine::rules`].
        rule: usize,
        /// What went wrong.
        message: String,
    },
}

/// Policies parsed once, ready to evaluate any number of inputs.
#[derive(Clone)]
pub struct Engine {
    engine: regorus::Engine,
    /// Engines that evaluated an input without an error, ready for the next: a reused engine
    /// keeps what regorus worked out about the policies' call sites, which a fresh clone of
    /// `engine` works out again. Shared by clones of this engine (same policies).
    idle: Arc<Mutex<Vec<regorus::Engine>>>,
    rules: Vec<Rule>,
    /// Packages that define an `exception` rule.
    exception_packages: Vec<String>,
    /// Whether any selected rule reads the hunk-level input (`input.countersign`).
    reads_hunks: bool,
    /// The text of each rule's policy file, by rule index (see [`Engine::rules_for_base`]).
    texts: Vec<Arc<PolicyText>>,
    /// The built-in family of each rule (`None` for the user's rules, which run on every
    /// input).
    families: Vec<Option<&'static Family>>,
    /// The provider whose blocks each rule reads, by rule index (`None`: any).
    providers: Vec<Option<&'static Provider>>,
    /// The resource-local description of each rule's package, by rule index.
    local: Vec<Option<&'static ResourceLocal>>,
}

/// How long one input's evaluation may run before it is stopped.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(5);

impl Engine {
    /// Parses every non-test policy of `bundle` and finds the rules to run.
    pub fn new(bundle: &Bundle, namespaces: &Namespaces, limit: Duration) -> Result<Engine> {
        let files: Vec<&PolicyFile> = bundle.policies.iter().filter(|p| !p.is_test()).collect();
        let engine = parse_policies(&files, bundle, limit)?;
        let mut rules = Vec::new();
        let mut exception_packages = Vec::new();
        let mut reads_hunks = false;
        let mut texts = Vec::new();
        let mut families = Vec::new();
        let mut providers = Vec::new();
        let mut local = Vec::new();
        for file in files {
            let text = Arc::new(PolicyText::new(&file.content));
            let Some(package) = package_of(&file.content) else {
                continue;
            };
            // What the built-in pack's tables say of this package; the user's rules run on
            // every input and are never resource-local.
            let (family, provider, resource_local) = if file.is_builtin() {
                (
                    super::families::family_of(&package),
                    super::families::provider_of(&package),
                    super::families::resource_local(&package),
                )
            } else {
                (None, None, None)
            };
            let selected = file.is_builtin()
                || match namespaces {
                    Namespaces::All => true,
                    Namespaces::Only(list) => list.contains(&package),
                };
            if !selected {
                continue;
            }
            reads_hunks |= file.content.contains("input.countersign");
            for (line, name) in rule_heads(&file.content) {
                if name == "exception" {
                    if !exception_packages.contains(&package) {
                        exception_packages.push(package.clone());
                    }
                    continue;
                }
                let Some(kind) = rule_kind(&name) else {
                    continue;
                };
                if rules
                    .iter()
                    .any(|r: &Rule| r.package == package && r.name == name)
                {
                    continue;
                }
                rules.push(Rule {
                    package: package.clone(),
                    name,
                    kind,
                    file: file.path.clone(),
                    line,
                });
                texts.push(Arc::clone(&text));
                families.push(family);
                providers.push(provider);
                local.push(resource_local);
            }
        }
        Ok(Engine {
            engine,
            idle: Arc::default(),
            rules,
            exception_packages,
            reads_hunks,
            texts,
            families,
            providers,
            local,
        })
    }

    /// Whether any rule reads the hunk-level input, so hunks need evaluating one by one.
    pub fn reads_hunks(&self) -> bool {
        self.reads_hunks
    }

    /// The rules this engine runs.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Evaluates every rule on `input`. A rule that fails at run time gives an
    /// [`Outcome::Error`] and the other rules still run.
    pub fn evaluate(&self, input: &Value) -> Vec<Outcome> {
        self.evaluate_value(input_value(input))
    }

    /// [`Engine::evaluate`] on an input already converted with [`input_value`] (cheap to clone,
    /// so one converted document can be shared and varied).
    pub fn evaluate_value(&self, input: regorus::Value) -> Vec<Outcome> {
        let all: Vec<usize> = (0..self.rules.len()).collect();
        self.evaluate_rules(input, &all)
    }

    /// The rules whose findings on a file's base (or a plan's prior state) can match the
    /// findings of its head, given as (index of the rule that gave it, its rule id): only a
    /// finding with the same id can match, and a built-in rule gives only its default id
    /// (`package.name`) or ids written as string literals in its own file. User rules are
    /// always kept, and all rules when a user rule gave a finding, since a user's rule may give
    /// any id. No findings need no base at all.
    pub fn rules_for_base(&self, found: &[(usize, &str)]) -> Vec<usize> {
        if found.is_empty() {
            return Vec::new();
        }
        let user_found = found.iter().any(|(i, _)| !self.rules[*i].is_builtin());
        // A file's findings repeat a few ids many times: each is looked for once per rule.
        let ids: BTreeSet<&str> = found.iter().map(|(_, id)| *id).collect();
        (0..self.rules.len())
            .filter(|&r| {
                let rule = &self.rules[r];
                user_found
                    || !rule.is_builtin()
                    || found.iter().any(|(i, _)| *i == r)
                    || ids
                        .iter()
                        .any(|id| rule.is_default_id(id) || self.texts[r].quotes(id))
            })
            .collect()
    }

    /// [`Engine::evaluate_value`] with only the rules `only` (indexes into [`Engine::rules`]).
    pub fn evaluate_rules(&self, input: regorus::Value, only: &[usize]) -> Vec<Outcome> {
        let (outcomes, used) = self.outcomes(input, only);
        if let (
            Some(Used {
                engine,
                clean: true,
            }),
            Ok(mut idle),
        ) = (used, self.idle.lock())
        {
            idle.push(engine);
        }
        outcomes
    }

    /// [`Engine::evaluate_value`] on a large input (a plan): the evaluated engine, which holds
    /// every rule's computed value, is freed on a background thread ([`crate::discard`]).
    pub fn evaluate_large(&self, input: regorus::Value) -> Vec<Outcome> {
        let all: Vec<usize> = (0..self.rules.len()).collect();
        let (outcomes, used) = self.outcomes(input, &all);
        if let Some(used) = used {
            crate::discard::later(used.engine);
        }
        outcomes
    }

    /// The built-in family of each rule, by rule index (`None` for the user's rules).
    pub fn families(&self) -> &[Option<&'static Family>] {
        &self.families
    }

    /// Whether rule `i` is built in and resource-local, and the block types it reads besides
    /// a finding's own (see [`ResourceLocal`]).
    pub fn resource_local(&self, i: usize) -> Option<&'static ResourceLocal> {
        self.local[i]
    }

    /// Whether rule `i` can give a finding on `input`, whose Terraform block types are
    /// `types` (computed once the first rule asks): it runs on every input, or the input has
    /// one of the keys its family reads and, for a provider's rule, a block of that provider.
    fn applies(
        &self,
        i: usize,
        input: &regorus::Value,
        types: &mut Option<BTreeSet<regorus::Rc<str>>>,
    ) -> bool {
        let Some(family) = self.families[i] else {
            return true;
        };
        let Ok(object) = input.as_object() else {
            return false;
        };
        if !family.applies(|k| object.contains_key(&regorus::Value::from(k))) {
            return false;
        }
        let Some(provider) = self.providers[i] else {
            return true;
        };
        types
            .get_or_insert_with(|| super::families::block_types(input))
            .iter()
            .any(|t| t.starts_with(provider.types))
    }

    /// An engine to evaluate with: an idle one, or a new clone of the parsed policies.
    fn engine(&self) -> regorus::Engine {
        self.idle
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop())
            .unwrap_or_else(|| self.engine.clone())
    }

    /// The outcomes of the rules `only` on `input`, and the engine that evaluated them (none
    /// when no rule applies).
    fn outcomes(&self, input: regorus::Value, only: &[usize]) -> (Vec<Outcome>, Option<Used>) {
        let mut types = None;
        let only: Vec<usize> = only
            .iter()
            .copied()
            .filter(|&i| self.applies(i, &input, &mut types))
            .collect();
        let only = only.as_slice();
        if only.is_empty() {
            return (Vec::new(), None);
        }
        let mut engine = self.engine();
        engine.set_input(input);
        let mut failed = false;
        let mut exempt: Vec<(String, String)> = Vec::new();
        for package in &self.exception_packages {
            let exceptions = engine.eval_rule(format!("data.{package}.exception"));
            failed |= exceptions.is_err();
            if let Ok(v) = exceptions {
                for names in values(&v) {
                    for name in names
                        .as_array()
                        .cloned()
                        .unwrap_or_else(|| vec![names.clone()])
                    {
                        if let Some(n) = name.as_str() {
                            exempt.push((package.clone(), n.to_string()));
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        // All rules in one query first, so what they share (a normalised view of every
        // resource, say) is computed once; if that query fails — one rule's runtime error —
        // evaluate rule by rule, so the others still report and the failing one is named.
        let together = self.evaluate_together(&mut engine, only);
        for (k, &i) in only.iter().enumerate() {
            let rule = &self.rules[i];
            if exempt
                .iter()
                .any(|(p, n)| *p == rule.package && n == rule.suffix())
            {
                continue;
            }
            if let Some(all) = &together {
                out.extend(
                    values(&all[k])
                        .into_iter()
                        .map(|value| Outcome::Result { rule: i, value }),
                );
                continue;
            }
            match engine.eval_rule(format!("data.{}", rule.default_id())) {
                Ok(v) => out.extend(
                    values(&v)
                        .into_iter()
                        .map(|value| Outcome::Result { rule: i, value }),
                ),
                Err(e) => {
                    failed = true;
                    out.push(Outcome::Error {
                        rule: i,
                        message: one_line(&e.to_string()),
                    });
                }
            }
        }
        (
            out,
            Some(Used {
                engine,
                clean: !failed,
            }),
        )
    }
}

/// An engine after an evaluation.
struct Used {
    engine: regorus::Engine,
    /// Whether every rule and exception evaluated without an error (only such an engine is
    /// used again).
    clean: bool,
}

impl Engine {
    /// Every rule's value from one query, or `None` when the query fails or a rule is
    /// undefined (a complete rule that is not true), which per-rule evaluation handles.
    fn evaluate_together(
        &self,
        engine: &mut regorus::Engine,
        only: &[usize],
    ) -> Option<Vec<regorus::Value>> {
        let refs: Vec<String> = only
            .iter()
            .map(|&i| format!("data.{}", self.rules[i].default_id()))
            .collect();
        // One rule a line: regorus rejects a query line longer than 1 024 columns.
        let results = engine
            .eval_query(format!("[{}]", refs.join(",\n")), false)
            .ok()?;
        let value = &results.result.first()?.expressions.first()?.value;
        let items = value.as_array().ok()?;
        (items.len() == refs.len()).then(|| items.to_vec())
    }
}

#[cfg(test)]
impl Engine {
    /// The built-in pack alone, with the default time limit (for tests).
    pub(crate) fn builtin() -> Engine {
        Engine::new(
            &Bundle::builtin(),
            &Namespaces::default(),
            DEFAULT_TIME_LIMIT,
        )
        .expect("the built-in pack parses")
    }
}

/// A policy file's text, with every stretch of it between two consecutive double quotes
/// indexed, so that asking whether it holds `"id"` is a lookup, not a scan (it is asked for
/// every finding of every file, against every rule).
struct PolicyText {
    text: String,
    quoted: HashSet<Box<str>>,
}

impl PolicyText {
    fn new(text: &str) -> PolicyText {
        let pieces: Vec<&str> = text.split('"').collect();
        // The pieces between two quotes: every one but the first and the last.
        let inner = pieces.get(1..pieces.len().saturating_sub(1)).unwrap_or(&[]);
        PolicyText {
            text: text.to_string(),
            quoted: inner.iter().map(|p| Box::from(*p)).collect(),
        }
    }

    /// Whether the text holds `id` between double quotes.
    fn quotes(&self, id: &str) -> bool {
        if id.contains('"') {
            self.text.contains(&format!("\"{id}\""))
        } else {
            self.quoted.contains(id)
        }
    }
}

/// A JSON document as the engine's input value.
pub fn input_value(document: &Value) -> regorus::Value {
    // Built directly: through serde, every string and key was copied into a String first.
    match document {
        Value::Null => regorus::Value::Null,
        Value::Bool(b) => regorus::Value::from(*b),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                regorus::Value::from(u)
            } else if let Some(i) = n.as_i64() {
                regorus::Value::from(i)
            } else {
                // serde_json holds only finite floats.
                n.as_f64()
                    .map_or(regorus::Value::Undefined, regorus::Value::from)
            }
        }
        Value::String(s) => regorus::Value::from(s.as_str()),
        Value::Array(items) => {
            regorus::Value::from(items.iter().map(input_value).collect::<Vec<_>>())
        }
        // A document's keys come sorted, as the engine stores an object: no tree is built.
        Value::Object(entries) => regorus::Value::from(regorus::value::Object::from_sorted(
            entries
                .iter()
                .map(|(k, v)| (regorus::Value::from(k.as_str()), input_value(v)))
                .collect(),
        )),
    }
}

/// Parses the files into one engine; a file that is not valid Rego v1 is tried as v0
/// (conftest's older `deny[msg] { … }` style) before it is reported.
pub(crate) fn parse_policies(
    files: &[&PolicyFile],
    bundle: &Bundle,
    limit: Duration,
) -> Result<regorus::Engine> {
    let mut engine = regorus::Engine::new();
    // A builtin called with the wrong types is an error to report, not a silent undefined.
    engine.set_strict_builtin_errors(true);
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::new(1024).expect("non-zero"),
    });
    engine
        .add_extension(
            "countersign.hcl.jsonencode_argument".to_string(),
            1,
            Box::new(|args: Vec<regorus::Value>| {
                let argument = match args.first().map(regorus::Value::as_string) {
                    Some(Ok(text)) => crate::policy::input::hcl::jsonencode_argument(text),
                    _ => None,
                };
                Ok(argument.map_or(regorus::Value::Undefined, |v| input_value(&v)))
            }),
        )
        .map_err(|e| Error::Internal(format!("registering a Rego function: {e}")))?;
    for file in files {
        if let Err(v1_error) = engine.add_policy(file.path.clone(), file.content.clone()) {
            engine.set_rego_v0(true);
            let v0 = engine.add_policy(file.path.clone(), file.content.clone());
            engine.set_rego_v0(false);
            if v0.is_err() {
                return Err(policy_error(&file.path, &v1_error.to_string()));
            }
        }
    }
    for (path, value) in &bundle.data {
        engine
            .add_data(regorus::Value::from(value.clone()))
            .map_err(|e| Error::input(path.clone(), format!("cannot merge data document: {e}")))?;
    }
    // Analyse the modules once here (recursion, unknown functions, …) so that every clone
    // starts prepared and such errors are reported as the bundle's, not per input.
    engine
        .eval_query("true".to_string(), false)
        .map_err(|e| policy_error("policy bundle", &e.to_string()))?;
    Ok(engine)
}

/// Splits a regorus error (`--> path:line:col`, a source excerpt, `error: message`) into the
/// `path:line` it points at and its message.
pub(crate) fn describe(text: &str) -> (Option<String>, String) {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let location = lines
        .iter()
        .find_map(|l| l.strip_prefix("--> "))
        .map(|loc| {
            // Keep `path:line`, drop the column.
            match loc.rsplit_once(':') {
                Some((path_line, col)) if col.chars().all(|c| c.is_ascii_digit()) => {
                    path_line.to_string()
                }
                _ => loc.to_string(),
            }
        });
    let message = lines
        .iter()
        .find_map(|l| l.strip_prefix("error:"))
        .map(str::trim)
        .or_else(|| lines.iter().find(|l| !l.is_empty()).copied())
        .unwrap_or(text)
        .to_string();
    (location, message)
}

/// One line: `path:line: message` when the error points somewhere, else the message.
pub(crate) fn one_line(text: &str) -> String {
    match describe(text) {
        (Some(at), message) => format!("{at}: {message}"),
        (None, message) => message,
    }
}

/// An input error naming the policy file and line.
fn policy_error(path: &str, text: &str) -> Error {
    match describe(text) {
        (Some(at), message) => Error::input(at, message),
        (None, message) => Error::input(path.to_string(), message),
    }
}

/// The members of a rule's value: a set or array gives each element, `true` or a string gives
/// itself, `false`/undefined/empty give nothing.
fn values(v: &regorus::Value) -> Vec<Value> {
    if matches!(v, regorus::Value::Undefined) {
        return Vec::new();
    }
    match serde_json::to_value(v).unwrap_or(Value::Null) {
        Value::Array(items) => items,
        Value::Bool(false) | Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// The package a policy declares (`package a.b`), from its first `package` line.
pub(crate) fn package_of(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("package "))
        .map(|p| p.trim().to_string())
}

/// The names of rules defined at the start of a line, with their line numbers.
pub(crate) fn rule_heads(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            if line.starts_with(char::is_whitespace) {
                return None;
            }
            let end = line
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(line.len());
            let name = &line[..end];
            let rest = line[end..].trim_start();
            let is_head = ["contains", "if", "[", "{", ":=", "=", "("]
                .iter()
                .any(|t| rest.starts_with(t))
                || rest.is_empty();
            (!name.is_empty() && is_head && !["package", "import", "default"].contains(&name))
                .then(|| (i + 1, name.to_string()))
        })
        .collect()
}

fn rule_kind(name: &str) -> Option<RuleKind> {
    let (head, _) = name.split_once('_').unwrap_or((name, ""));
    match head {
        "deny" => Some(RuleKind::Deny),
        "violation" => Some(RuleKind::Violation),
        "warn" => Some(RuleKind::Warn),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bundle(files: &[(&str, &str)]) -> Bundle {
        Bundle {
            policies: files
                .iter()
                .map(|(p, c)| PolicyFile {
                    path: p.to_string(),
                    content: c.to_string(),
                })
                .collect(),
            data: Vec::new(),
        }
    }

    /// An engine of one policy file, `p.rego`, with the default namespace and time limit.
    fn engine_of(policy: &str) -> Engine {
        let b = bundle(&[("p.rego", policy)]);
        Engine::new(&b, &Namespaces::default(), DEFAULT_TIME_LIMIT).unwrap()
    }

    fn results(engine: &Engine, input: Value) -> Vec<(String, Value)> {
        engine
            .evaluate(&input)
            .into_iter()
            .filter_map(|o| match o {
                Outcome::Result { rule, value } => Some((engine.rules()[rule].name.clone(), value)),
                Outcome::Error { .. } => None,
            })
            .collect()
    }

    #[test]
    fn conftest_v1_and_v0_rules_in_main_only() {
        let b = bundle(&[
            (
                "v1.rego",
                "package main\n\ndeny contains msg if {\n  input.x == 1\n  msg := \"x is one\"\n}\n",
            ),
            (
                "v0.rego",
                "package main\n\nwarn_y[msg] {\n  input.y\n  msg = \"y is set\"\n}\n",
            ),
            (
                "other.rego",
                "package other\n\ndeny contains \"other\" if true\n",
            ),
        ]);
        let engine = Engine::new(&b, &Namespaces::default(), DEFAULT_TIME_LIMIT).unwrap();
        let got = results(&engine, json!({"x": 1, "y": true}));
        assert_eq!(
            got,
            vec![
                ("deny".into(), json!("x is one")),
                ("warn_y".into(), json!("y is set"))
            ]
        );
        let all = Engine::new(&b, &Namespaces::All, DEFAULT_TIME_LIMIT).unwrap();
        assert_eq!(results(&all, json!({})).len(), 1);
    }

    #[test]
    fn exceptions_silence_the_named_rule() {
        let engine = engine_of(
            "package main\n\ndeny_root contains \"root\" if input.root\n\nexception contains rules if {\n  input.allowed\n  rules := [\"root\"]\n}\n",
        );
        assert_eq!(results(&engine, json!({"root": true})).len(), 1);
        assert_eq!(
            results(&engine, json!({"root": true, "allowed": true})).len(),
            0
        );
    }

    #[test]
    fn a_runtime_error_is_reported_for_its_rule_only() {
        let engine = engine_of(
            "package main\n\ndeny_bad contains msg if {\n  msg := concat(\",\", input.n)\n}\n\ndeny_good contains \"good\" if true\n",
        );
        let outcomes = engine.evaluate(&json!({"n": 5}));
        assert!(
            outcomes
                .iter()
                .any(|o| matches!(o, Outcome::Result { value, .. } if value == "good"))
        );
        let error = outcomes.iter().find_map(|o| match o {
            Outcome::Error { rule, message } => {
                Some((engine.rules()[*rule].name.as_str(), message.as_str()))
            }
            _ => None,
        });
        assert_eq!(
            error,
            Some((
                "deny_bad",
                "p.rego:4: `concat` expects array/set of strings."
            ))
        );
    }

    #[test]
    fn input_values_are_what_regorus_reads_from_the_json() {
        let doc = json!({"b": 1, "a": {"z": [1, "x", null, 2.5, -3], "c": true}, "": {}});
        let parsed = regorus::Value::from_json_str(&doc.to_string()).unwrap();
        let built = input_value(&doc);
        assert_eq!(built, parsed);
        assert_eq!(built["a"]["z"][1], regorus::Value::from("x"));
    }

    #[test]
    fn an_engine_that_met_an_error_is_not_used_again() {
        let engine = engine_of(
            "package main\n\ndeny contains msg if {\n  msg := concat(\",\", input.n)\n}\n",
        );
        let idle = || engine.idle.lock().unwrap().len();
        assert!(matches!(
            engine.evaluate(&json!({"n": 5}))[..],
            [Outcome::Error { .. }]
        ));
        assert_eq!(idle(), 0);
        for _ in 0..2 {
            assert_eq!(results(&engine, json!({"n": ["a", "b"]})).len(), 1);
            assert_eq!(idle(), 1);
        }
    }

    #[test]
    fn an_engine_used_again_gives_what_a_fresh_one_gives() {
        let used = Engine::builtin();
        for (name, input) in corpus_inputs() {
            let mut fresh = used.clone();
            fresh.idle = Arc::default();
            assert_eq!(
                used.evaluate_value(input.clone()),
                fresh.evaluate_value(input),
                "{name}"
            );
        }
        assert_eq!(used.idle.lock().unwrap().len(), 1);
    }

    #[test]
    fn the_built_in_pack_is_evaluated_in_one_query() {
        let engine = Engine::builtin();
        let mut regorus = engine.engine.clone();
        regorus.set_input(regorus::Value::new_object());
        let every: Vec<usize> = (0..engine.rules().len()).collect();
        let all = engine
            .evaluate_together(&mut regorus, &every)
            .expect("one query");
        assert_eq!(all.len(), engine.rules().len());
    }

    #[test]
    fn the_base_is_evaluated_with_the_rules_that_can_repeat_the_head_findings() {
        let mut b = Bundle::builtin();
        b.policies.push(PolicyFile {
            path: "mine.rego".into(),
            content: "package main\n\ndeny contains \"mine\" if input.x\n".into(),
        });
        let engine = Engine::new(&b, &Namespaces::default(), DEFAULT_TIME_LIMIT).unwrap();
        let index = |id: &str| engine.rules().iter().position(|r| r.default_id() == id);
        let tags = index("countersign.terraform.aws_tags.warn").unwrap();
        let mine = index("main.deny").unwrap();
        assert!(engine.rules_for_base(&[]).is_empty());
        // The rule that found it, and the user's rules (they may give any id).
        assert_eq!(
            engine.rules_for_base(&[(tags, "aws-tags-missing")]),
            vec![tags, mine]
        );
        // A user's finding: every rule, since a built-in rule may give the same id.
        assert_eq!(
            engine.rules_for_base(&[(mine, "main.deny")]).len(),
            engine.rules().len()
        );
    }

    /// Every corpus file a loader reads, as the engine's inputs.
    fn corpus_inputs() -> Vec<(String, regorus::Value)> {
        let files = crate::policy::input::corpus::files(
            "",
            &[".tf", ".tfvars", ".hcl", ".yaml", ".yml", ".json"],
        );
        let mut inputs = Vec::new();
        for path in files {
            let name = path.display().to_string();
            let Some(format) = crate::policy::input::format_for(&name) else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for doc in crate::policy::input::load(format, &text, &name).unwrap_or_default() {
                inputs.push((name.clone(), input_value(&doc.value)));
            }
        }
        inputs
    }

    #[test]
    fn gating_by_input_keys_changes_no_outcome() {
        let gated = Engine::builtin();
        let mut every = gated.clone();
        every.families = vec![None; every.rules.len()];
        every.providers = vec![None; every.rules.len()];
        let inputs = corpus_inputs();
        assert!(
            inputs.len() > 500,
            "the corpus is missing: {}",
            inputs.len()
        );
        let (mut skipped, mut by_provider) = (0, 0);
        for (name, input) in inputs {
            let mut types = None;
            skipped += (0..gated.rules.len())
                .filter(|&i| !gated.applies(i, &input, &mut types))
                .count();
            // Blocks of every provider: only the family's keys gate.
            let mut any_provider = Some(
                crate::policy::families::PROVIDERS
                    .iter()
                    .map(|p| regorus::Rc::from(p.types))
                    .collect(),
            );
            by_provider += (0..gated.rules.len())
                .filter(|&i| {
                    gated.applies(i, &input, &mut any_provider)
                        != gated.applies(i, &input, &mut types)
                })
                .count();
            assert_eq!(
                gated.evaluate_value(input.clone()),
                every.evaluate_value(input),
                "{name}"
            );
        }
        assert!(skipped > 0, "no rule was gated");
        assert!(by_provider > 0, "no rule was gated by its provider");
    }

    #[test]
    fn a_syntax_error_names_the_file_and_line() {
        let b = bundle(&[(
            "broken.rego",
            "package main\n\ndeny contains msg if {\n  msg := \n}\n",
        )]);
        let err = Engine::new(&b, &Namespaces::default(), DEFAULT_TIME_LIMIT)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(err, "broken.rego:4: expecting `}` while parsing set");
    }

    /// The index answers exactly as a search of the text for `"id"` would.
    #[test]
    fn a_policy_text_quotes_what_its_text_holds_between_quotes() {
        let source = r#"f := lib.finding("aws-x", "high", sprintf("a \"b\" c", []))"#;
        let text = PolicyText::new(source);
        for id in ["aws-x", "high", ", ", "aws", "b", "\\\"b\\", "nothing", ""] {
            assert_eq!(
                text.quotes(id),
                source.contains(&format!("\"{id}\"")),
                "{id}"
            );
        }
        assert!(!PolicyText::new("no quotes").quotes("no quotes"));
    }

    #[test]
    fn rule_heads_are_found_at_line_starts() {
        let heads = rule_heads(
            "package main\nimport rego.v1\ndeny contains m if {\n  x\n}\nwarn_a[m] {\n}\ndefault allow := false\n",
        );
        assert_eq!(
            heads,
            vec![(3, "deny".to_string()), (6, "warn_a".to_string())]
        );
    }
}
