//! The file list: status letter, path, `AI` when a coding agent wrote some of it (and the
//! whole path still fits), decided/total, and the highest severity introduced in each file; the current file
//! highlighted. Only the visible files are drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::Ui;
use crate::policy::finding::Severity;
use crate::review::State;
use crate::review::state::Decision;

/// A short badge for a severity.
pub fn badge(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "CRIT",
        Severity::High => "HIGH",
        Severity::Medium => "MED",
        Severity::Low => "LOW",
        Severity::Info => "INFO",
    }
}

/// The badge of a file or hunk a coding agent wrote.
pub const AI_BADGE: &str = "AI";

/// The end of `path` that fits `width` columns, with `…` in front when cut.
fn tail(path: &str, width: usize) -> String {
    if path.width() <= width {
        return path.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    for c in path.chars().rev() {
        if kept.iter().collect::<String>().width() + c.to_string().width() + 1 > width {
            break;
        }
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// Draws the file list and the separator on its right.
pub fn draw(state: &State, ui: &Ui, frame: &mut Frame, area: Rect) {
    let current = state.hunks.get(state.cursor).map(|h| h.file);
    let width = usize::from(area.width);
    let mut lines = Vec::new();
    for (i, f) in state
        .files
        .iter()
        .enumerate()
        .skip(state.file_scroll)
        .take(usize::from(area.height))
    {
        let decisions = &state.decisions[f.first_hunk..f.first_hunk + f.hunk_count];
        let rejected = decisions
            .iter()
            .flatten()
            .any(|d| matches!(d.decision, Decision::Rejected { .. }));
        let (mark, mark_style) = if rejected {
            ("✗", ui.theme.rejected())
        } else if f.decided == f.hunk_count {
            ("✓", ui.theme.approved())
        } else {
            (" ", Style::new())
        };
        let count = format!(" {}/{}", f.decided, f.hunk_count);
        let sev = f.severity.map(badge).unwrap_or("");
        let right = count.width() + if sev.is_empty() { 0 } else { sev.len() + 1 };
        let ai_room = width.saturating_sub(5 + right + AI_BADGE.len() + 1);
        let ai = f.ai && f.path.width() <= ai_room;
        let room = if ai {
            ai_room
        } else {
            width.saturating_sub(5 + right)
        };
        let path = tail(&f.path, room);
        let pad = room.saturating_sub(path.width());
        let selected = Some(i) == current;
        let row_style = if selected {
            ui.theme.selected()
        } else {
            Style::new()
        };
        let mut spans = vec![
            Span::raw(if selected { "›" } else { " " }),
            Span::styled(mark, mark_style),
            Span::raw(" "),
            Span::styled(format!("{} ", f.letter), ui.theme.dim()),
            Span::raw(path),
            Span::raw(" ".repeat(pad)),
        ];
        if ai {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(AI_BADGE, ui.theme.title()));
        }
        spans.push(Span::styled(count, ui.theme.dim()));
        if let Some(s) = f.severity {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(badge(s), ui.theme.severity(s)));
        }
        lines.push(Line::from(spans).style(row_style));
    }
    let list = Rect {
        width: area.width,
        ..area
    };
    frame.render_widget(Paragraph::new(lines), list);
    let sep = Rect::new(area.x + area.width, area.y, 1, area.height);
    let bar: Vec<Line> = (0..area.height).map(|_| Line::from("│")).collect();
    frame.render_widget(Paragraph::new(bar).style(ui.theme.dim()), sep);
}
