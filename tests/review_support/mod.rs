//! Test support for the review screen: the demo change loaded into a review state (with the
//! built-in pack's findings), driven by actions, drawn on ratatui's TestBackend.

#![allow(dead_code)] // each test binary uses a different part of this module

use countersign::cli::PolicyArgs;
use countersign::commands::review::load;
use countersign::config::Config;
use countersign::render::highlight::load_theme;
use countersign::review::{Action, Effect, State, update};
use countersign::source::Source;
use countersign::tui::highlight_cache::HighlightCache;
use countersign::tui::keymap::Keymap;
use countersign::tui::theme::UiTheme;
use countersign::tui::view::{Ui, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The built-in pack only.
pub fn builtin() -> PolicyArgs {
    PolicyArgs {
        policies: Vec::new(),
        no_builtin: false,
        namespaces: Vec::new(),
        all_namespaces: false,
        policy_timeout: 5.0,
    }
}

/// The demo change as a review on a `width` × `height` screen.
pub fn demo_state(width: u16, height: u16) -> State {
    let dir = tempfile::tempdir().unwrap();
    let range = countersign::demo::write_repo(dir.path()).unwrap();
    let source = Source::GitRange {
        repo: dir.path().to_path_buf(),
        range: Some(range),
        context: 3,
    };
    let (mut state, errors) = load(
        &source,
        None,
        &builtin(),
        "Ada Reviewer <ada@example.com>".into(),
        20,
    )
    .unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    update(&mut state, Action::Resize { width, height }, 0);
    state
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
