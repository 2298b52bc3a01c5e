//! `countersign check`: evaluate the policies on a change, non-interactively.

use std::io::Write;

use crate::authorship::ai_hunks_of;
use crate::cli::{CheckArgs, CheckFormat, ColorChoice, FailOn, PolicyArgs};
use crate::config::Config;
use crate::error::{Error, Result};
use std::path::Path;

use crate::model::ChangeSet;
use crate::policy::bundle::Bundle;
use crate::policy::engine::{Engine, Namespaces, RuleKind};
use crate::policy::evaluate::{
    Evaluation, evaluate_files, evaluate_hunks, evaluate_plan, evaluate_plan_input,
    finish_plan_findings, plan_input,
};
use crate::policy::finding::Origin;
use crate::policy::hidden;
use crate::policy::plan_link::relocate;
use crate::render::{findings, json, paint::Palette, sarif};
use crate::source::plan::PlanDocument;
use crate::source::{FileVersions, LoadedChange, Source};

use super::output::use_color;
use super::policy_test::default_policy_dirs;
use super::review::repo_root;

/// What `check` found, for the exit code.
pub enum Verdict {
    /// Nothing that fails the check.
    Clean,
    /// Introduced findings that fail it (exit 1).
    Failed,
    /// A policy or input error (exit 2), after the report was printed.
    Errors,
}

/// Loads the bundle and engine the policy options describe.
pub fn engine_for(args: &PolicyArgs) -> Result<(Bundle, Engine)> {
    let dirs = if args.policies.is_empty() {
        default_policy_dirs(std::path::Path::new("."))
    } else {
        args.policies.clone()
    };
    let bundle = Bundle::load(&dirs, !args.no_builtin)?.without_builtin_copies();
    let namespaces = if args.all_namespaces {
        Namespaces::All
    } else if args.namespaces.is_empty() {
        Namespaces::default()
    } else {
        Namespaces::Only(args.namespaces.clone())
    };
    let limit = std::time::Duration::try_from_secs_f64(args.policy_timeout)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            Error::Usage(format!(
                "--policy-timeout {}: give a positive number of seconds",
                args.policy_timeout
            ))
        })?;
    let engine = Engine::new(&bundle, &namespaces, limit)?;
    Ok((bundle, engine))
}

/// A change and what the policies found on it.
pub struct Checked {
    /// The change.
    pub change: ChangeSet,
    /// The policy bundle evaluated.
    pub bundle: Bundle,
    /// What it found.
    pub eval: Evaluation,
}

/// Loads the change `source` names and evaluates the policies `args` select on it (see
/// [`evaluate_with`]). A plan's policies start as soon as its JSON is read, alongside the
/// rendering of its changes.
pub fn load_and_evaluate(
    source: &Source,
    linked_plan: Option<&Path>,
    args: &PolicyArgs,
) -> Result<Checked> {
    let Source::Plan(path) = source else {
        // The policies are parsed while the change is read.
        let (loaded, parsed) = rayon::join(|| source.load_for_policies(), || engine_for(args));
        let LoadedChange {
            change,
            plan,
            versions,
        } = loaded?;
        let (bundle, engine) = parsed?;
        let eval = evaluate_with(
            &engine,
            source,
            &change,
            plan.as_ref(),
            &versions,
            linked_plan,
        )?;
        return Ok(Checked {
            change,
            bundle,
            eval,
        });
    };
    let (bytes, name) = crate::source::read_input(path)?;
    let sha256 = crate::model::sha256_hex(&bytes);
    let text = crate::source::plan::decode_json_text(&bytes, &name)?;
    drop(bytes);
    // The one text read twice, side by side: one resource change at a time for the review's
    // rendering, and as the engine's values for the policies, which start as soon as theirs
    // are read. The text goes as soon as both are read (each thread holds it until then).
    let text = std::sync::Arc::new(text);
    let for_engine = std::sync::Arc::clone(&text);
    let plan_name = &name;
    let (rendered, evaluated) = rayon::join(
        move || -> Result<_> {
            let read = crate::source::plan::change_of_text(&text, sha256, plan_name);
            drop(text);
            let (change, facts) = read?;
            let hidden = hidden::scan(&change);
            Ok((change, hidden, facts))
        },
        move || -> Result<_> {
            let text = for_engine;
            let (bundle, engine) = engine_for(args)?;
            let input = plan_input(&engine, &text);
            drop(text);
            let name = path.display().to_string();
            Ok((
                bundle,
                input.map(|i| evaluate_plan_input(&engine, i, &name)),
            ))
        },
    );
    let (change, hidden, facts) = rendered?;
    let (bundle, eval) = evaluated?;
    // The rendering read the JSON, so the evaluation's fallback read it too.
    let mut eval = eval.ok_or_else(|| Error::input(&name, "invalid plan JSON"))?;
    finish_plan_findings(&mut eval.findings, &change, &facts);
    eval.findings.extend(hidden);
    Ok(Checked {
        change,
        bundle,
        eval,
    })
}

/// Evaluates `engine`'s policies on a change loaded from `source` (`plan_document`: the
/// plan's document, for a plan source; `versions`: the changed files' texts), and the
/// built-in hidden-text rule; a `linked_plan` (a plan given with a range) is evaluated too,
/// its findings placed on the range's source.
pub fn evaluate_with(
    engine: &Engine,
    source: &Source,
    change: &ChangeSet,
    plan_document: Option<&PlanDocument>,
    versions: &[FileVersions],
    linked_plan: Option<&Path>,
) -> Result<Evaluation> {
    let mut eval = match source {
        Source::Plan(path) => {
            let document = plan_document.ok_or_else(missing_document)?;
            evaluate_plan(engine, change, document, &path.display().to_string())
        }
        _ => evaluate_files_of(engine, source, change, versions, linked_plan)?,
    };
    eval.findings.extend(hidden::scan(change));
    Ok(eval)
}

/// A plan source loaded without its JSON document: a bug.
fn missing_document() -> Error {
    Error::Internal("a plan source came without its document".into())
}

/// The Rego policies' part of [`evaluate_with`] for a range or a patch: each changed file at
/// its head and base, each hunk, and a linked plan's findings placed on the files.
fn evaluate_files_of(
    engine: &Engine,
    source: &Source,
    change: &ChangeSet,
    versions: &[FileVersions],
    linked_plan: Option<&Path>,
) -> Result<Evaluation> {
    let mut eval = evaluate_files(engine, change, versions).merge(evaluate_hunks(engine, change));
    if matches!(source, Source::Patch(_)) {
        eval.skipped.push("a patch carries whole files only for added files: modified files were not evaluated (check a git range for them)".into());
    }
    if let Some(path) = linked_plan {
        let LoadedChange {
            change: plan_change,
            plan: json,
            ..
        } = Source::Plan(path.to_path_buf()).load_for_policies()?;
        let json = json.ok_or_else(missing_document)?;
        let name = path.display().to_string();
        let mut from_plan = evaluate_plan(engine, &plan_change, &json, &name);
        relocate(
            &mut from_plan.findings,
            &json.facts.addresses,
            &name,
            change,
            versions,
        );
        // What the source's own evaluation already reports on the same lines is said once.
        from_plan.findings.retain(|p| {
            !eval
                .findings
                .iter()
                .any(|s| s.rule == p.rule && s.file == p.file && s.lines == p.lines)
        });
        eval = eval.merge(from_plan);
    }
    Ok(eval)
}

/// Runs `check` with the settings of `config` (`--config`; default: the repository's
/// `.countersign.toml`).
pub fn run(args: &CheckArgs, color: ColorChoice, config: Option<&Path>) -> Result<Verdict> {
    let config = Config::load(config, &repo_root(Path::new(".")))?;
    let source = args.source.source();
    let busy = super::progress::spinner("loading the change and evaluating the policies");
    let Checked {
        change,
        bundle,
        eval,
    } = load_and_evaluate(&source, args.source.linked_plan(), &args.policy)?;
    drop(busy);
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        CheckFormat::Json => {
            let ai = ai_hunks_of(&source, &change, &config.authorship)?;
            let digest = bundle.digest();
            json::write_ascii(&findings::json(&change, &eval, &digest, &ai), &mut out)
        }
        CheckFormat::Sarif => json::write_ascii(&sarif::log(&eval), &mut out),
        CheckFormat::Text => {
            let palette = use_color(color).then(|| Palette::for_background(true));
            out.write_all(findings::text(&change, &eval, palette.as_ref()).as_bytes())
        }
    };
    written.map_err(|e| Error::Internal(format!("writing output: {e}")))?;
    let verdict = verdict(&eval, args.fail_on);
    // The process ends next: the change and findings need not be freed on the way.
    crate::discard::later((change, eval));
    Ok(verdict)
}

fn verdict(eval: &Evaluation, fail_on: FailOn) -> Verdict {
    if !eval.errors.is_empty() {
        return Verdict::Errors;
    }
    let fails = eval.findings.iter().any(|f| {
        f.origin == Origin::Introduced && (fail_on == FailOn::Warn || f.kind != RuleKind::Warn)
    });
    if fails {
        Verdict::Failed
    } else {
        Verdict::Clean
    }
}
