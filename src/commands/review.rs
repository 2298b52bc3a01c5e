//! `countersign review`: load the change, evaluate the policies, and open the review screen;
//! afterwards, print what was decided.

use std::path::Path;

use crate::cli::{Cli, PolicyArgs, ReviewArgs};
use crate::config::Config;
use crate::error::Result;
use crate::policy::evaluate::EvalError;
use crate::render::highlight::{DEFAULT_THEME, load_theme};
use crate::render::text::source_label;
use crate::review::state::Verdict;
use crate::review::{Options, State};
use crate::source::Source;
use crate::tui::app::{self, Ending};
use crate::tui::highlight_cache::HighlightCache;
use crate::tui::keymap::Keymap;
use crate::tui::theme::UiTheme;
use crate::tui::view::Ui;

/// Runs `review`; `Ok(false)` when the finished review requests changes (exit 1).
pub fn run(args: &ReviewArgs, cli: &Cli) -> Result<bool> {
    let root = repo_root(Path::new("."));
    review(
        &args.source.source(),
        args.source.linked_plan(),
        &args.policy,
        &root,
        cli,
    )
}

/// The working tree root of the repository around `dir`, else `dir`.
fn repo_root(dir: &Path) -> std::path::PathBuf {
    git2::Repository::discover(dir)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
        .unwrap_or_else(|| dir.to_path_buf())
}

/// The theme to use: `--theme`, else the config's, else the light or dark default by the
/// terminal's background when it says (COLORFGBG), else dark.
fn theme_name(cli: &Cli, config: &Config) -> String {
    if let Some(t) = cli.theme.as_ref().or(config.theme.as_ref()) {
        return t.clone();
    }
    let light = std::env::var("COLORFGBG")
        .ok()
        .and_then(|v| v.rsplit(';').next().and_then(|bg| bg.parse::<u8>().ok()))
        .is_some_and(|bg| bg == 7 || bg >= 9);
    if light {
        "countersign-light".into()
    } else {
        DEFAULT_THEME.into()
    }
}

/// Who reviews: `--reviewer`, else git's user.name and user.email, else the login name.
fn reviewer(cli: &Cli, root: &Path) -> String {
    if let Some(r) = &cli.reviewer {
        return r.clone();
    }
    let config = git2::Repository::discover(root)
        .and_then(|r| r.config())
        .or_else(|_| git2::Config::open_default());
    let get = |key: &str| config.as_ref().ok().and_then(|c| c.get_string(key).ok());
    match (get("user.name"), get("user.email")) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(name), None) => name,
        _ => std::env::var("USER").unwrap_or_else(|_| "unknown reviewer".into()),
    }
}

/// Loads the change `source` names, evaluates the policies on it, and makes the review's
/// starting state; also returns the policy errors (which the header counts).
pub fn load(
    source: &Source,
    linked_plan: Option<&Path>,
    policy: &PolicyArgs,
    reviewer: String,
    min_justification: usize,
) -> Result<(State, Vec<EvalError>)> {
    let (change, document) = source.load_with_plan()?;
    let (_, eval) =
        super::check::evaluate(source, &change, document.as_ref(), linked_plan, policy)?;
    let mut label = source_label(&change.source);
    if !eval.errors.is_empty() {
        label.push_str(&format!(
            " · {} policy errors (listed after the review)",
            eval.errors.len()
        ));
    }
    let options = Options {
        reviewer,
        source: label,
        min_justification,
    };
    Ok((State::new(change, eval.findings, options), eval.errors))
}

/// Reviews the change `source` names (with a `linked_plan`'s findings placed on it), with the
/// settings found at `root`.
pub fn review(
    source: &Source,
    linked_plan: Option<&Path>,
    policy: &PolicyArgs,
    root: &Path,
    cli: &Cli,
) -> Result<bool> {
    let config = Config::load(cli.config.as_deref(), root)?;
    let keymap = Keymap::new(&config)?;
    let theme = load_theme(&theme_name(cli, &config))?;
    let (state, errors) = load(
        source,
        linked_plan,
        policy,
        reviewer(cli, root),
        config.min_justification(),
    )?;
    let ui = Ui {
        theme: UiTheme::new(&theme),
        highlights: HighlightCache::new(theme),
        keymap,
    };
    let (ending, state) = app::run(state, ui)?;
    for e in &errors {
        eprintln!(
            "countersign: policy error: {}: {} ({})",
            e.location, e.message, e.input
        );
    }
    Ok(report(ending, &state))
}

/// Prints the outcome; true unless the finished review requests changes.
fn report(ending: Ending, state: &State) -> bool {
    let s = state.summary();
    let total = state.hunks.len();
    if let Ending::Quit = ending {
        println!(
            "review left unfinished: {} of {total} hunks decided (not saved)",
            state.decided()
        );
        return true;
    }
    let verdict = match s.verdict {
        Verdict::Approved => "approved",
        Verdict::ChangesRequested => "changes requested",
    };
    println!(
        "review finished: {verdict} · {total} hunks: {} approved, {} approved with their file, {} rejected, {} justified risks, {} comments",
        s.approved, s.approved_in_bulk, s.rejected, s.justified, s.comments
    );
    for (i, d) in state.decisions.iter().enumerate() {
        let Some(d) = d else { continue };
        let entry = &state.hunks[i];
        let hunk = state.hunk(i);
        let what = d.decision.describe();
        println!(
            "  {}:{}-{}  {what}  ({:.1} s on it)",
            state.files[entry.file].path,
            hunk.new_start,
            hunk.new_start + hunk.new_lines.saturating_sub(1),
            d.dwell_ms as f64 / 1000.0
        );
    }
    s.verdict == Verdict::Approved
}
