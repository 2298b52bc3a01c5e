//! What can happen in a review: every key press, mouse event and resize becomes one
//! [`Action`]. Actions are plain data (serde), so a recorded session can be replayed through
//! the same reducer.

use serde::{Deserialize, Serialize};

/// One step of a review, fed to [`crate::review::update()`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// The terminal has this size (first action of every session, and on every resize).
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// Scroll the hunk view by this many rows (negative: up).
    Scroll {
        /// Rows to move.
        rows: i32,
    },
    /// Scroll down by most of a screen.
    PageDown,
    /// Scroll up by most of a screen.
    PageUp,
    /// To the top of the hunk.
    Top,
    /// To the bottom of the hunk.
    Bottom,
    /// The next hunk (across files).
    NextHunk,
    /// The previous hunk.
    PrevHunk,
    /// The next undecided hunk with an introduced high or critical finding.
    NextRisky,
    /// The previous undecided risky hunk.
    PrevRisky,
    /// The first hunk of the next file.
    NextFile,
    /// The first hunk of the previous file.
    PrevFile,
    /// A mouse click at a screen cell (opens a file when it is on the file list).
    Click {
        /// Column.
        column: u16,
        /// Row.
        row: u16,
    },
    /// Approve the current hunk (refused until all of it has been on screen; asks for a
    /// justification when it carries an introduced high or critical finding).
    Approve,
    /// Approve every undecided hunk of the current file as one bulk decision (asks a reason).
    ApproveFile,
    /// Reject the current hunk (asks a reason).
    Reject,
    /// Comment on the current hunk.
    Comment,
    /// Take back the last decision.
    Undo,
    /// Start a search (asks the text).
    Search,
    /// The next search match.
    SearchNext,
    /// The previous search match.
    SearchPrev,
    /// Unified or side-by-side.
    ToggleSideBySide,
    /// Show or hide the key overlay.
    ToggleHelp,
    /// Finish: every hunk must be decided; shows the summary to confirm.
    Finish,
    /// Quit (asks first when decisions would be discarded).
    Quit,
    /// Quit now (Ctrl-C).
    ForceQuit,
    /// A character typed into the open prompt.
    Type {
        /// The character.
        ch: char,
    },
    /// Delete the last character of the prompt.
    Backspace,
    /// Submit the prompt, or confirm the summary.
    Submit,
    /// Close the prompt, overlay or search.
    Cancel,
}
