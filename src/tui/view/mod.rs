//! Drawing the review: a function of the state (plus the highlighting cache) to the frame.
//! Each panel is its own small component; nothing here changes the review.

mod files;
mod hunk;
mod panel;
mod popup;
mod status;
mod styled;

use ratatui::Frame;

use super::highlight_cache::HighlightCache;
use super::keymap::Keymap;
use super::theme::UiTheme;
use crate::review::State;
use crate::review::screen::areas;
use crate::review::state::Overlay;

/// What drawing needs besides the state: colours, the highlighting cache, the key bindings
/// (for hints and help).
pub struct Ui {
    /// Colours.
    pub theme: UiTheme,
    /// Syntax highlighting done so far.
    pub highlights: HighlightCache,
    /// Key bindings.
    pub keymap: Keymap,
}

/// Draws the whole screen for `state`.
pub fn draw(state: &State, ui: &mut Ui, frame: &mut Frame) {
    let a = areas(state);
    status::header(state, ui, frame, a.header);
    if let Some(files) = a.files {
        files::draw(state, ui, frame, files);
    }
    hunk::title(state, ui, frame, a.title);
    hunk::draw(state, ui, frame, a.hunk);
    panel::draw(state, ui, frame, a.panel);
    status::draw(state, ui, frame, a.status);
    match (&state.prompt, state.overlay) {
        (Some(p), _) => popup::prompt(state, p, ui, frame),
        (None, Some(Overlay::Help)) => popup::help(ui, frame),
        (None, Some(Overlay::Summary)) => popup::summary(state, ui, frame),
        (None, None) => {}
    }
}
