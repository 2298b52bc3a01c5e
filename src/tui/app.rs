//! The event loop: draw, wait for an event, turn it into an action, run the reducer, repeat
//! until it asks to quit or finish.

use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};

use super::keymap::Keymap;
use super::terminal::Screen;
use super::view::{Ui, draw};
use crate::error::{Error, Result};
use crate::review::{Action, Effect, State};
use crate::session::record::Ending;
use crate::session::recorder::Recorder;

/// Rows a mouse wheel notch scrolls.
const WHEEL_ROWS: i32 = 3;

/// The action a terminal event means, if any.
fn action_for(event: Event, keymap: &Keymap, state: &State) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            panic_for_tests(&k);
            keymap.action(k, state)
        }
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll { rows: WHEEL_ROWS }),
            MouseEventKind::ScrollUp => Some(Action::Scroll { rows: -WHEEL_ROWS }),
            MouseEventKind::Down(_) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// In debug builds only, `COUNTERSIGN_TEST_PANIC_KEY=<char>` makes that key panic, so the
/// tests can prove a panic leaves the terminal usable.
fn panic_for_tests(key: &event::KeyEvent) {
    if cfg!(debug_assertions)
        && let (Ok(k), event::KeyCode::Char(c)) =
            (std::env::var("COUNTERSIGN_TEST_PANIC_KEY"), key.code)
        && k.starts_with(c)
    {
        panic!("test panic requested with COUNTERSIGN_TEST_PANIC_KEY");
    }
}

/// Runs the review on the terminal until it is finished or quit, every action recorded by
/// `recorder` before it is applied; returns how it ended and the final state.
pub fn run(mut state: State, mut ui: Ui, recorder: &mut Recorder) -> Result<(Ending, State)> {
    let mut screen = Screen::enter(
        "review needs a terminal; for output to a file or a pipe use `check` or `show`",
    )?;
    let io = |e: std::io::Error| Error::Internal(format!("terminal: {e}"));
    let size = screen.terminal.size().map_err(io)?;
    recorder.apply(
        &mut state,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    )?;
    loop {
        screen
            .terminal
            .draw(|frame| draw(&state, &mut ui, frame))
            .map_err(io)?;
        // Wait for an event, waking now and then to notice SIGTERM.
        loop {
            if screen.stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok((Ending::Quit, state));
            }
            if event::poll(Duration::from_millis(200)).map_err(io)? {
                break;
            }
        }
        // Handle everything already queued before drawing again (fast typing).
        let mut effect = None;
        while effect.is_none() {
            let ev = event::read().map_err(io)?;
            if let Some(action) = action_for(ev, &ui.keymap, &state) {
                effect = recorder.apply(&mut state, action)?;
            }
            if !event::poll(Duration::ZERO).map_err(io)? {
                break;
            }
        }
        match effect {
            Some(Effect::Finish) => return Ok((Ending::Finished, state)),
            Some(Effect::Quit) => return Ok((Ending::Quit, state)),
            None => {}
        }
    }
}
