//! `countersign replay`: the recorded screens again, driven by the recorded actions through
//! the same reducer, at the recorded pace (scaled by `--speed`). Space pauses, ←/→ step one
//! action back or forward, `+`/`-` change the speed, `q` quits; a timeline runs along the
//! bottom.

use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::terminal::Screen;
use super::view::{Ui, draw};
use crate::error::{Error, Result};
use crate::review::State;
use crate::session::chain::Log;
use crate::session::replay::Replay;
use crate::session::transcript::clock;

/// Where the playback is.
struct Playback<'a> {
    log: &'a Log,
    replay: Replay<'a>,
    /// The recorded clock the playback has reached.
    position_ms: u64,
    paused: bool,
    speed: f64,
}

impl<'a> Playback<'a> {
    /// Applies the next record; false at the end.
    fn forward(&mut self) -> bool {
        match self.replay.step() {
            Some((record, _)) => {
                self.position_ms = record.ms();
                true
            }
            None => false,
        }
    }

    /// Goes back one record (replaying from the start: the reducer only runs forward).
    fn back(&mut self) {
        let target = self.replay.applied.saturating_sub(1).max(1);
        self.replay = Replay::new(self.log);
        self.position_ms = 0;
        while self.replay.applied < target {
            self.forward();
        }
    }

    /// The timeline: state, records applied, a bar, the clock, the speed and the keys.
    fn timeline(&self, width: u16) -> String {
        let total = self.log.records.len();
        let end_ms = self.log.records.last().map_or(0, |r| r.ms());
        let mark = match (self.paused, self.replay.peek()) {
            (_, None) => "■ end",
            (true, _) => "‖ paused",
            (false, _) => "▶ playing",
        };
        let left = format!(" {mark} {}/{total} ", self.replay.applied);
        let right = format!(
            " {} / {} · ×{} · space pause · ←/→ step · +/- speed · q quit ",
            clock(self.position_ms),
            clock(end_ms),
            self.speed
        );
        let used = left.chars().count() + right.chars().count();
        let bar = usize::from(width).saturating_sub(used).max(4);
        let done = (bar * self.replay.applied) / total.max(1);
        format!(
            "{left}{}{}{right}",
            "━".repeat(done),
            "─".repeat(bar - done)
        )
    }
}

/// Plays `log` on the terminal until the viewer quits.
pub fn run(log: &Log, mut ui: Ui, speed: f64) -> Result<()> {
    let mut screen =
        Screen::enter("replay needs a terminal; `replay --headless` prints a transcript")?;
    let io = |e: std::io::Error| Error::Internal(format!("terminal: {e}"));
    let mut play = Playback {
        log,
        replay: Replay::new(log),
        position_ms: 0,
        paused: false,
        speed,
    };
    let mut offscreen: Option<Terminal<TestBackend>> = None;
    let mut tick = Instant::now();
    loop {
        let shown = render(&play.replay.state, &mut ui, &mut offscreen)?;
        let line = play.timeline(screen.terminal.size().map_err(io)?.width);
        screen
            .terminal
            .draw(|frame| {
                let area = frame.area();
                blit(shown, frame.buffer_mut());
                // Below the recorded screen when the terminal is taller, else over its
                // status line.
                let at = Rect::new(0, area.height.saturating_sub(1), area.width, 1);
                frame.render_widget(ratatui::widgets::Clear, at);
                frame.render_widget(
                    Paragraph::new(Line::from(line)).style(ui.theme.heading()),
                    at,
                );
            })
            .map_err(io)?;
        if screen.stop.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(());
        }
        let wait = match play.replay.peek() {
            Some(next) if !play.paused => {
                let due = next.ms().saturating_sub(play.position_ms) as f64 / play.speed;
                Duration::from_millis(due.min(200.0) as u64)
            }
            _ => Duration::from_millis(200),
        };
        if event::poll(wait).map_err(io)? {
            let Event::Key(key) = event::read().map_err(io)? else {
                continue;
            };
            if key.kind == KeyEventKind::Release {
                continue;
            }
            match key.code {
                KeyCode::Char('q') | KeyCode::Esc => return Ok(()),
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    return Ok(());
                }
                KeyCode::Char(' ') => play.paused = !play.paused,
                KeyCode::Right | KeyCode::Char('l') => {
                    play.paused = true;
                    play.forward();
                }
                KeyCode::Left | KeyCode::Char('h') => {
                    play.paused = true;
                    play.back();
                }
                KeyCode::Char('+') => play.speed = (play.speed * 2.0).min(64.0),
                KeyCode::Char('-') => play.speed = (play.speed / 2.0).max(1.0 / 64.0),
                _ => {}
            }
            tick = Instant::now();
            continue;
        }
        let elapsed = tick.elapsed();
        tick = Instant::now();
        if play.paused {
            continue;
        }
        let reached = play.position_ms + (elapsed.as_secs_f64() * 1000.0 * play.speed) as u64;
        while play.replay.peek().is_some_and(|r| r.ms() <= reached) {
            play.forward();
        }
        match play.replay.peek() {
            Some(_) => play.position_ms = reached,
            None => play.paused = true,
        }
    }
}

/// Draws `state` at the size it was recorded at, off screen.
fn render<'t>(
    state: &State,
    ui: &mut Ui,
    offscreen: &'t mut Option<Terminal<TestBackend>>,
) -> Result<&'t Buffer> {
    let (width, height) = state.viewport;
    let fits = offscreen
        .as_ref()
        .is_some_and(|t| *t.backend().buffer().area() == Rect::new(0, 0, width, height));
    if !fits {
        *offscreen = Some(
            Terminal::new(TestBackend::new(width, height))
                .map_err(|e| Error::Internal(format!("replay screen: {e}")))?,
        );
    }
    let terminal = offscreen.as_mut().expect("made above");
    terminal
        .draw(|frame| draw(state, ui, frame))
        .map_err(|e| Error::Internal(format!("replay screen: {e}")))?;
    Ok(terminal.backend().buffer())
}

/// Copies the part of `from` that fits into `to`.
fn blit(from: &Buffer, to: &mut Buffer) {
    let area = from.area.intersection(to.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            to[(x, y)] = from[(x, y)].clone();
        }
    }
}
