//! `countersign review`: load the change, evaluate the policies, and open the review screen;
//! afterwards, print what was decided.

use std::path::{Path, PathBuf};

use super::evaluating::Evaluating;
use crate::authorship::ai_hunks_of;
use crate::cli::{Cli, PolicyArgs, ReviewArgs};
use crate::config::{AuthorshipConfig, Config};
use crate::error::{Error, Result};
use crate::model::ChangeSet;
use crate::model::SourceInfo;
use crate::policy::bundle::Bundle;
use crate::policy::engine::Engine;
use crate::policy::evaluate::{EvalError, Evaluation};
use crate::render::highlight::{DEFAULT_THEME, load_theme};
use crate::render::text::source_label;
use crate::review::state::Verdict;
use crate::review::{Options, State};
use crate::session::chain::Log;
use crate::session::record::{Body, Ending, Reopen, Resume, Snapshot, Start};
use crate::session::recorder::{Recorder, new_id, wall_now};
use crate::session::replay::{Replay, start_of};
use crate::session::store::{Entry, Store, read_log};
use crate::source::plan::PlanDocument;
use crate::source::{FileVersions, LoadedChange, Source};
use crate::tui::app::{self, Begin};
use crate::tui::highlight_cache::HighlightCache;
use crate::tui::keymap::Keymap;
use crate::tui::theme::UiTheme;
use crate::tui::view::Ui;

/// What surrounds a review: the global options, where the session is recorded, and what
/// happens to the finished review.
pub struct Run<'a> {
    /// The command line.
    pub cli: &'a Cli,
    /// The session store.
    pub store: Store,
    /// False when the store goes away afterwards (the demo's temporary repository): the
    /// review is then neither offered for resuming nor signed.
    pub lasting: bool,
    /// Where to write the signed attestation as well (`--out`).
    pub out: Option<&'a Path>,
}

/// Runs `review`; `Ok(false)` when the finished review requests changes (exit 1).
pub fn run(args: &ReviewArgs, cli: &Cli) -> Result<bool> {
    let root = repo_root(Path::new("."));
    let run = Run {
        cli,
        store: Store::locate(cli.store.as_deref(), Path::new("."))?,
        lasting: true,
        out: args.out.as_deref(),
    };
    if let Some(id) = &args.resume {
        return resume(id.as_deref(), &args.policy, &root, run);
    }
    review(
        &args.source.source(),
        args.source.linked_plan(),
        &args.policy,
        &root,
        run,
    )
}

/// The working tree root of the repository around `dir`, else `dir`.
pub(crate) fn repo_root(dir: &Path) -> std::path::PathBuf {
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
    let config = crate::source::git::config_at(root);
    let get = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
    match (get("user.name"), get("user.email")) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(name), None) => name,
        _ => std::env::var("USER").unwrap_or_else(|_| "unknown reviewer".into()),
    }
}

/// A change loaded for review.
pub struct Loaded {
    /// The review's starting state.
    pub state: State,
    /// The policy errors (which the header counts).
    pub errors: Vec<EvalError>,
    /// sha256 of the policy bundle in force.
    pub policy_bundle: String,
}

/// Loads the change `source` names, evaluates the policies on it, marks the hunks a coding
/// agent wrote (by `authorship`), and makes the review's starting state.
pub fn load(
    source: &Source,
    linked_plan: Option<&Path>,
    policy: &PolicyArgs,
    reviewer: String,
    min_justification: usize,
    authorship: &AuthorshipConfig,
) -> Result<Loaded> {
    let opened = open(source, policy, reviewer, min_justification, authorship)?;
    let eval = opened.evaluate(source, linked_plan)?;
    Ok(opened.with_findings(eval))
}

/// A change loaded for review and the policies ready to evaluate on it: what the first frame
/// of a review waits for.
pub struct Opened {
    /// The change.
    pub change: ChangeSet,
    /// The plan's document (its text, addresses and secrets), for a plan.
    pub document: Option<PlanDocument>,
    /// The changed files' texts, which the policies read.
    pub versions: Vec<FileVersions>,
    /// The policy bundle.
    pub bundle: Bundle,
    /// Its rules, parsed.
    pub engine: Engine,
    /// The review's settings.
    pub options: Options,
}

/// Loads the change `source` names and the policies, and marks the hunks a coding agent
/// wrote (by `authorship`): everything of a review but the evaluation.
pub fn open(
    source: &Source,
    policy: &PolicyArgs,
    reviewer: String,
    min_justification: usize,
    authorship: &AuthorshipConfig,
) -> Result<Opened> {
    let LoadedChange {
        change,
        plan: document,
        versions,
    } = source.load_for_policies()?;
    let mut ai_hunks: Vec<_> = ai_hunks_of(source, &change, authorship)?
        .into_iter()
        .collect();
    ai_hunks.sort();
    let (bundle, engine) = super::check::engine_for(policy)?;
    let options = Options {
        reviewer,
        source: source_label(&change.source),
        min_justification,
        ai_hunks,
    };
    Ok(Opened {
        change,
        document,
        versions,
        bundle,
        engine,
        options,
    })
}

impl Opened {
    /// Evaluates the policies on the change (loaded from `source`, with a `linked_plan`'s
    /// findings placed on it), here and now.
    fn evaluate(&self, source: &Source, linked_plan: Option<&Path>) -> Result<Evaluation> {
        super::check::evaluate_with(
            &self.engine,
            source,
            &self.change,
            self.document.as_ref(),
            &self.versions,
            linked_plan,
        )
    }

    /// The review's starting state with the evaluation's findings.
    fn with_findings(self, eval: Evaluation) -> Loaded {
        let mut options = self.options;
        if !eval.errors.is_empty() {
            options.source.push_str(&format!(
                " · {} policy errors (listed after the review)",
                eval.errors.len()
            ));
        }
        Loaded {
            state: State::new(self.change, eval.findings, options),
            errors: eval.errors,
            policy_bundle: self.bundle.digest(),
        }
    }
}

/// What the review screen needs besides the state, from the settings.
pub(crate) fn screen_for(cli: &Cli, config: &Config) -> Result<Ui> {
    let theme = load_theme(&theme_name(cli, config))?;
    Ok(Ui {
        theme: UiTheme::new(&theme),
        highlights: HighlightCache::new(theme),
        keymap: Keymap::new(config)?,
    })
}

/// Reviews the change `source` names (with a `linked_plan`'s findings placed on it), with the
/// settings found at `root`.
pub fn review(
    source: &Source,
    linked_plan: Option<&Path>,
    policy: &PolicyArgs,
    root: &Path,
    run: Run,
) -> Result<bool> {
    let cli = run.cli;
    let config = Config::load(cli.config.as_deref(), root)?;
    let ui = screen_for(cli, &config)?;
    let busy = super::progress::spinner("loading the change");
    let opened = open(
        source,
        policy,
        reviewer(cli, root),
        config.min_justification(),
        &config.authorship,
    )?;
    drop(busy);
    let reopen = reopen_of(source, linked_plan);
    let source_key = source_key(&reopen, &opened.change.source);
    if let Some(entry) = run.store.resumable(Some(&source_key))?
        && offer_resume(&entry)?
    {
        let busy = super::progress::spinner("evaluating the policies");
        let eval = opened.evaluate(source, linked_plan)?;
        drop(busy);
        let path = run.store.log_path(&entry.id);
        let log = read_log(&path)?;
        return resume_log(&path, &log, Some(opened.with_findings(eval)), ui, run);
    }
    // The review opens at once; the policies are evaluated meanwhile.
    let policy_bundle = opened.bundle.digest();
    let change = std::sync::Arc::new(opened.change);
    let mut evaluating = Evaluating::start(
        opened.engine,
        source.clone(),
        std::sync::Arc::clone(&change),
        opened.document,
        opened.versions,
        linked_plan.map(Path::to_path_buf),
    );
    let state = State::awaiting_findings(change, opened.options);
    let store = run.store.clone();
    let begin: Begin = Box::new(move |state: &State| {
        let size = crossterm::terminal::size().unwrap_or((80, 24));
        let start = Start::for_review(
            new_id(),
            wall_now(),
            state,
            reopen,
            source_key,
            policy_bundle,
            size,
        );
        Recorder::start(store, start, state)
    });
    play(state, ui, begin, Some(&mut evaluating), &[], &run)
}

/// `review --resume [ID]`: continues the session `id` names, else the newest unfinished one,
/// on its source as it is now.
fn resume(id: Option<&str>, policy: &PolicyArgs, root: &Path, run: Run) -> Result<bool> {
    let (cli, store) = (run.cli, &run.store);
    let path = match id {
        Some(id) => store.find(id)?,
        None => {
            let entry = store.resumable(None)?.ok_or_else(|| {
                Error::Usage(format!(
                    "no unfinished review to resume in {}",
                    store.dir().display()
                ))
            })?;
            store.log_path(&entry.id)
        }
    };
    let log = read_log(&path)?;
    let start = start_of(&log);
    let config = Config::load(cli.config.as_deref(), root)?;
    let ui = screen_for(cli, &config)?;
    let loaded = match reopen_source(&start.reopen) {
        Some((source, plan)) => Some(load(
            &source,
            plan.as_deref(),
            policy,
            start.options.reviewer.clone(),
            start.options.min_justification,
            &config.authorship,
        )?),
        None => None,
    };
    resume_log(&path, &log, loaded, ui, run)
}

/// Continues `log` (read from `path`) on the change `now` (as loaded now; `None`: a source
/// that cannot be read again, so the recorded change).
fn resume_log(path: &Path, log: &Log, now: Option<Loaded>, ui: Ui, run: Run) -> Result<bool> {
    for w in &log.warnings {
        eprintln!("countersign: warning: {}: {w}", path.display());
    }
    if let Some(Body::End {
        ending: Ending::Finished,
        ..
    }) = log.records.last().map(|r| &r.body)
    {
        return Err(Error::Usage(format!(
            "{}: this review is finished; replay it with `countersign replay {}`",
            path.display(),
            start_of(log).session
        )));
    }
    let mut state = Replay::new(log).finish();
    if state.findings_pending && now.is_none() {
        return Err(Error::Usage(format!(
            "{}: this review was left before its policies' findings arrived, and its source (standard input) cannot be read again to evaluate them",
            path.display()
        )));
    }
    let errors = now.as_ref().map(|l| l.errors.clone()).unwrap_or_default();
    let policy_bundle = now.as_ref().map_or_else(
        || start_of(log).policy_bundle.clone(),
        |l| l.policy_bundle.clone(),
    );
    let snapshot = now
        .map(|l| l.state)
        .filter(|fresh| fresh.change != state.change || fresh.findings != state.findings)
        .map(|fresh| Snapshot {
            options: fresh.options,
            change: fresh.change,
            findings: fresh.findings,
        });
    let resume = Resume {
        ms: log.last_ms(),
        wall: wall_now(),
        policy_bundle,
        snapshot,
    };
    let recorder = Recorder::resume(run.store.clone(), path, log, resume, &mut state)?;
    play(state, ui, Box::new(|_| Ok(recorder)), None, &errors, &run)
}

/// Asks on the terminal whether to resume `entry`; false when there is no terminal to ask on.
fn offer_resume(entry: &Entry) -> Result<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!(
        "An unfinished review of this change exists ({}, started {}, {} of {} hunks decided).\nResume it? [Y/n] ",
        entry.id, entry.started, entry.decided, entry.total
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::Internal(format!("reading the answer: {e}")))?;
    Ok(!answer.trim().to_ascii_lowercase().starts_with('n'))
}

/// Runs the review screen with every action recorded, then records and prints the outcome,
/// and signs a finished review.
fn play(
    state: State,
    ui: Ui,
    begin: Begin,
    mut evaluating: Option<&mut Evaluating>,
    errors: &[EvalError],
    run: &Run,
) -> Result<bool> {
    let mut arrived = || match evaluating.as_deref_mut() {
        Some(e) => e.poll(),
        None => Ok(None),
    };
    let (ending, state, mut recorder) = app::run(state, ui, begin, &mut arrived)?;
    recorder.end(&state, ending)?;
    let late = evaluating.map(|e| e.errors.clone()).unwrap_or_default();
    for e in errors.iter().chain(&late) {
        eprintln!(
            "countersign: policy error: {}: {} ({})",
            e.location, e.message, e.input
        );
    }
    let ok = report(ending, &state, recorder.id(), run.lasting);
    if ending == Ending::Finished && run.lasting {
        super::attest::sign_finished(recorder.path(), recorder.id(), run.cli, run.out)?;
    }
    Ok(ok)
}

/// How to load `source` again to resume (paths made absolute).
fn reopen_of(source: &Source, linked_plan: Option<&Path>) -> Reopen {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string()
    };
    match source {
        Source::GitRange { range, context, .. } => Reopen::Range {
            range: range.clone(),
            context: *context,
            plan: linked_plan.map(abs),
        },
        Source::Patch(p) if p.as_os_str() == "-" => Reopen::Stdin,
        Source::Patch(p) => Reopen::Patch { path: abs(p) },
        Source::Plan(p) => Reopen::Plan { path: abs(p) },
    }
}

/// The source (and linked plan) `reopen` names, run from the current directory; `None` for
/// standard input.
fn reopen_source(reopen: &Reopen) -> Option<(Source, Option<PathBuf>)> {
    match reopen {
        Reopen::Range {
            range,
            context,
            plan,
        } => Some((
            Source::GitRange {
                repo: PathBuf::from("."),
                range: range.clone(),
                context: *context,
            },
            plan.as_ref().map(PathBuf::from),
        )),
        Reopen::Patch { path } => Some((Source::Patch(path.into()), None)),
        Reopen::Plan { path } => Some((Source::Plan(path.into()), None)),
        Reopen::Stdin => None,
    }
}

/// The key sessions of the same source share: the range as resolved, or the file.
fn source_key(reopen: &Reopen, info: &SourceInfo) -> String {
    match (reopen, info) {
        (_, SourceInfo::GitRange { spec, .. }) => format!("git:{spec}"),
        (Reopen::Patch { path } | Reopen::Plan { path }, _) => format!("file:{path}"),
        (_, SourceInfo::Patch { sha256, .. } | SourceInfo::Plan { sha256, .. }) => {
            format!("stdin:{sha256}")
        }
    }
}

/// Prints the outcome; true unless the finished review requests changes.
fn report(ending: Ending, state: &State, id: &str, lasting: bool) -> bool {
    let s = state.summary();
    let total = state.hunks.len();
    let temporary = "the demo's session goes with its temporary repository; `countersign demo --dir DIR` keeps both";
    if let Ending::Quit = ending {
        println!(
            "review left unfinished: {} of {total} hunks decided, saved in session {id}",
            state.decided()
        );
        if lasting {
            println!("continue it with: countersign review --resume {id}");
        } else {
            println!("({temporary})");
        }
        return true;
    }
    println!("review finished: {}", s.describe(total));
    for (i, d) in state.decisions.iter().enumerate() {
        let Some(d) = d else { continue };
        println!(
            "  {}  {}  ({:.1} s on it)",
            state.location(i),
            d.decision.describe(),
            d.dwell_ms as f64 / 1000.0
        );
    }
    if lasting {
        println!("session {id}: countersign replay {id} plays it back");
    } else {
        println!("({temporary}, and signs the review)");
    }
    s.verdict == Verdict::Approved
}
