//! The header (what is reviewed, its size, a plan's blast radius) and the status line
//! (reviewer, progress, risky hunks left, and the last message or key hints).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::Ui;
use crate::review::State;
use crate::review::layout::wrap_words;

/// Draws the header, wrapped over its rows.
pub fn header(state: &State, ui: &Ui, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = wrap_words(&state.header, usize::from(area.width))
        .into_iter()
        .map(|(s, e)| Line::from(state.header[s..e].to_string()))
        .collect();
    frame.render_widget(Paragraph::new(lines).style(ui.theme.heading()), area);
}

/// Draws the status line.
pub fn draw(state: &State, ui: &Ui, frame: &mut Frame, area: Rect) {
    let left = format!(
        " {}/{} decided · {} risky left · {} ",
        state.decided(),
        state.hunks.len(),
        state.risky_left(),
        state.options.reviewer
    );
    let (right, style) = match &state.flash {
        Some(f) if f.warn => (f.text.clone(), ui.theme.warn()),
        Some(f) => (f.text.clone(), ui.theme.title()),
        None => {
            let k = |n| ui.keymap.key_for(n);
            (
                format!(
                    "{} help  {} approve  {} reject  {} next risky  {} finish",
                    k("help"),
                    k("approve"),
                    k("reject"),
                    k("next_risky"),
                    k("finish")
                ),
                ui.theme.dim(),
            )
        }
    };
    let width = usize::from(area.width);
    if state.flash.is_some() {
        // A message takes the whole line, so it is never cut.
        let lines: Vec<Line> = wrap_words(&right, width)
            .into_iter()
            .map(|(s, e)| Line::styled(right[s..e].to_string(), style))
            .collect();
        let rows = lines.len() as u16;
        let area = Rect {
            y: area.y.saturating_sub(rows.saturating_sub(1)),
            height: rows.min(area.y + 1),
            ..area
        };
        frame.render_widget(ratatui::widgets::Clear, area);
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let left_w = left.width().min(width);
    let room = width - left_w;
    let right = super::hunk::fit(&right, room.saturating_sub(1));
    let pad = room.saturating_sub(right.width() + 1);
    let line = Line::from(vec![
        Span::styled(
            super::hunk::fit(&left, width),
            Style::new().add_modifier(Modifier::REVERSED),
        ),
        Span::raw(" ".repeat(pad + 1)),
        Span::styled(right, style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
