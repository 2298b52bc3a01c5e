//! The event loop: draw, wait for an event, turn it into an action, run the reducer, repeat
//! until it asks to quit or finish.

use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind, MouseEventKind};

use super::keymap::Keymap;
use super::terminal::Screen;
use super::timings;
use super::view::{Ui, draw};
use crate::error::{Error, Result};
use crate::policy::evaluate::Evaluation;
use crate::review::{Action, Effect, State, update};
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

/// How a review's recorder comes to be: made by `begin` once the first frame is on screen (a
/// new session's start record holds the whole change, and writing it need not delay the
/// first frame).
pub type Begin<'a> = Box<dyn FnOnce(&State) -> Result<Recorder> + 'a>;

/// Runs the review on the terminal until it is finished or quit, every action recorded
/// before it is applied by the recorder `begin` makes; the findings of a review opened before
/// they were ready are added (and recorded) when `arrived` (asked while they are pending)
/// returns them. Returns how it ended, the final state and the recorder.
pub fn run(
    mut state: State,
    mut ui: Ui,
    begin: Begin,
    arrived: &mut dyn FnMut() -> Result<Option<Evaluation>>,
) -> Result<(Ending, State, Recorder)> {
    let mut screen = Screen::enter(
        "review needs a terminal; for output to a file or a pipe use `check` or `show`",
    )?;
    let io = |e: std::io::Error| Error::Internal(format!("terminal: {e}"));
    let size = screen.terminal.size().map_err(io)?;
    let resize = Action::Resize {
        width: size.width,
        height: size.height,
    };
    // The first frame, at the terminal's size, before the log is opened; the same resize is
    // then recorded and applied again, which changes nothing.
    update(&mut state, resize, 0);
    screen
        .terminal
        .draw(|frame| draw(&state, &mut ui, frame))
        .map_err(io)?;
    timings::first_frame();
    let mut recorder = begin(&state)?;
    recorder.apply(&mut state, resize)?;
    loop {
        screen
            .terminal
            .draw(|frame| draw(&state, &mut ui, frame))
            .map_err(io)?;
        // Wait for an event, waking now and then to notice SIGTERM (and, while the policies
        // are being evaluated, their findings).
        let mut redraw = false;
        loop {
            if screen.stop.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok((Ending::Quit, state, recorder));
            }
            if state.findings_pending
                && let Some(eval) = arrived()?
            {
                recorder.receive_findings(&mut state, eval.findings, eval.errors.len())?;
                timings::findings();
                redraw = true;
                break;
            }
            let wait = if state.findings_pending { 20 } else { 200 };
            if event::poll(Duration::from_millis(wait)).map_err(io)? {
                break;
            }
        }
        if redraw {
            continue;
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
            Some(Effect::Finish) => return Ok((Ending::Finished, state, recorder)),
            Some(Effect::Quit) => return Ok((Ending::Quit, state, recorder)),
            None => {}
        }
    }
}
