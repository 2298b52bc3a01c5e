//! Test support for the review screen: the demo change loaded into a review state (with the
//! built-in pack's findings), driven by actions, drawn on ratatui's TestBackend.

#![allow(dead_code)] // each test binary uses a different part of this module

use countersign::cli::PolicyArgs;
use countersign::commands::review::{Loaded, load};
use countersign::config::{AuthorshipConfig, Config};
use countersign::render::highlight::load_theme;
use countersign::review::{Action, Effect, State, update};
use countersign::source::Source;
use countersign::tui::highlight_cache::HighlightCache;
use countersign::tui::keymap::Keymap;
use countersign::tui::theme::UiTheme;
use countersign::tui::view::{Ui, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The demo change as a review on a `width` × `height` screen.
pub fn demo_state(width: u16, height: u16) -> State {
    let mut state = demo_loaded().state;
    update(&mut state, Action::Resize { width, height }, 0);
    state
}

/// The demo change loaded for review (no action applied yet).
pub fn demo_loaded() -> Loaded {
    let dir = tempfile::tempdir().unwrap();
    let range = countersign::demo::write_repo(dir.path()).unwrap();
    let source = Source::GitRange {
        repo: dir.path().to_path_buf(),
        range: Some(range),
        context: 3,
    };
    let loaded = load(
        &source,
        None,
        &PolicyArgs::builtin(),
        "Ada Reviewer <ada@example.com>".into(),
        20,
        &AuthorshipConfig::default(),
    )
    .unwrap();
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    loaded
}

/// Types `text` into the open prompt through `act`, then submits it.
pub fn say(state: &mut State, text: &str, act: &mut dyn FnMut(&mut State, Action)) {
    for ch in text.chars() {
        act(state, Action::Type { ch });
    }
    act(state, Action::Submit);
}

/// A whole review as a careful reviewer does it on a 120×40 screen: every hunk read to its
/// end, risky ones justified, the hunks of the file `reject` rejected, a comment on the first
/// hunk, then finished. Returns the actions with their times (0.7 s apart); `state` ends
/// finished.
pub fn scripted_review(state: &mut State, reject: &str) -> Vec<(u64, Action)> {
    let mut out = Vec::new();
    let mut act = |state: &mut State, action: Action| {
        let ms = state.now_ms + 700;
        update(state, action, ms);
        out.push((ms, action));
    };
    act(
        state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    act(state, Action::Comment);
    say(state, "who owns this README section?", &mut act);
    let mut rounds = 0;
    while let Some(i) = state.decisions.iter().position(Option::is_none) {
        rounds += 1;
        assert!(rounds < 100, "the scripted review does not end");
        if state.cursor != i {
            act(state, Action::NextHunk);
            continue;
        }
        for _ in 0..state.layout.rows.len() {
            act(state, Action::Scroll { rows: 1 });
        }
        if state.files[state.hunks[i].file].path == reject {
            act(state, Action::Reject);
            say(state, &format!("{reject}: scope it down first"), &mut act);
        } else {
            act(state, Action::Approve);
            if state.prompt.is_some() {
                say(
                    state,
                    "accepted for the migration, removed by CHG-42",
                    &mut act,
                );
            }
        }
    }
    act(state, Action::Finish);
    act(state, Action::Submit);
    out
}

/// Writes the session log of `actions` applied to `start` (a loaded review), as recorded on
/// 2026-11-24 from 10:15 UTC, finished; returns the session id.
pub fn write_log(path: &std::path::Path, loaded: &Loaded, actions: &[(u64, Action)]) -> String {
    let id = "20261124-101500-demo";
    write_session(
        path,
        id,
        1_795_515_300_000,
        &loaded.state,
        &loaded.policy_bundle,
        actions,
        Some(countersign::session::record::Ending::Finished),
    );
    id.to_string()
}

/// Writes the log of session `id`: `actions` applied to `state` (as loaded, nothing done
/// yet), the review starting at `start_ms` (milliseconds since the epoch) with each action's
/// wall-clock time that much later than its review-clock time, then an end record when
/// `ending` says how it ended (none: interrupted).
pub fn write_session(
    path: &std::path::Path,
    id: &str,
    start_ms: u64,
    state: &State,
    policy_bundle: &str,
    actions: &[(u64, Action)],
    ending: Option<countersign::session::record::Ending>,
) {
    use countersign::session::chain::seal;
    use countersign::session::record::{Body, Record, Reopen, Start};
    let wall = |ms: u64| {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(start_ms + ms);
        humantime::format_rfc3339_millis(t).to_string()
    };
    let start = Start::for_review(
        id.to_string(),
        wall(0),
        state,
        Reopen::Range {
            range: Some("main..feature".into()),
            context: 3,
            plan: None,
        },
        "git:main..feature".into(),
        policy_bundle.to_string(),
        (120, 40),
    );
    let mut state = state.clone();
    let mut bodies = vec![Body::Start(Box::new(start))];
    for &(ms, action) in actions {
        update(&mut state, action, ms);
        bodies.push(Body::Action {
            ms,
            wall: wall(ms),
            action,
        });
    }
    let end_ms = actions.last().map_or(0, |a| a.0);
    if let Some(ending) = ending {
        bodies.push(Body::End {
            ms: end_ms,
            wall: wall(end_ms),
            ending,
            verdict: (ending == countersign::session::record::Ending::Finished)
                .then(|| state.summary().verdict),
        });
    }
    let mut text = String::new();
    let mut prev = None;
    for (i, body) in bodies.into_iter().enumerate() {
        let (line, hash) = seal(&Record {
            seq: i as u64 + 1,
            body,
            prev: prev.take(),
        });
        text.push_str(&line);
        text.push('\n');
        prev = Some(hash);
    }
    std::fs::write(path, text).unwrap();
}

/// Applies actions one after another, a second apart; returns the last effect.
pub fn drive(state: &mut State, actions: &[Action]) -> Option<Effect> {
    let mut effect = None;
    for a in actions {
        let now = state.now_ms + 1000;
        effect = update(state, *a, now);
    }
    effect
}

/// Types a text into the open prompt.
pub fn type_text(state: &mut State, text: &str) {
    for ch in text.chars() {
        update(state, Action::Type { ch }, state.now_ms + 50);
    }
}

/// The index of the first hunk of the file at `path`.
pub fn hunk_of(state: &State, path: &str) -> usize {
    let f = state.files.iter().find(|f| f.path == path).unwrap();
    f.first_hunk
}

/// Scrolls the current hunk to its end, a row at a time, so every line has been on screen.
pub fn read_through(state: &mut State) {
    for _ in 0..state.layout.rows.len() {
        update(state, Action::Scroll { rows: 1 }, state.now_ms + 10);
    }
}

/// The screen as text, drawn with the dark theme.
pub fn screen(state: &State) -> String {
    let theme = load_theme("countersign-dark").unwrap();
    let mut ui = Ui {
        theme: UiTheme::new(&theme),
        highlights: HighlightCache::new(theme),
        keymap: Keymap::new(&Config::default()).unwrap(),
    };
    let (w, h) = state.viewport;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(state, &mut ui, f)).unwrap();
    terminal.backend().to_string()
}
