//! What opens over the review: a prompt (reject reason, justification, comment, bulk reason,
//! search), the key help, and the summary before finishing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Ui;
use crate::review::State;
use crate::review::layout::wrap_words;
use crate::review::state::{Prompt, PromptKind, Verdict};

/// A box of `width` × `height` centred on the screen (clamped to it).
fn centred(frame: &Frame, width: u16, height: u16) -> Rect {
    let screen = frame.area();
    let w = width.min(screen.width);
    let h = height.min(screen.height);
    Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    )
}

/// Wraps `text` to `width` columns as lines of one style.
fn wrapped(text: &str, width: u16, style: ratatui::style::Style) -> Vec<Line<'static>> {
    wrap_words(text, usize::from(width).max(1))
        .into_iter()
        .map(|(s, e)| Line::styled(text[s..e].to_string(), style))
        .collect()
}

/// Draws `lines` in a bordered box titled `title`.
fn boxed(frame: &mut Frame, ui: &Ui, title: &str, width: u16, lines: Vec<Line<'static>>) {
    let area = centred(frame, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ui.theme.title())
        .title(format!(" {title} "));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn box_width(frame: &Frame) -> u16 {
    frame.area().width.saturating_sub(4).clamp(20, 76)
}

/// The open prompt: what it asks, what has been typed, why it was refused.
pub fn prompt(state: &State, p: &Prompt, ui: &Ui, frame: &mut Frame) {
    let width = box_width(frame);
    let inner = width.saturating_sub(2);
    let min = state.options.min_justification;
    let (title, question) = match p.kind {
        PromptKind::Reject => (
            "Reject",
            "Why is this hunk rejected? What must change?".to_string(),
        ),
        PromptKind::Comment => ("Comment", "Your comment on this hunk:".to_string()),
        PromptKind::Justify => {
            let e = &state.hunks[p.hunk];
            let worst = e
                .findings
                .iter()
                .map(|&i| &state.findings[i])
                .max_by_key(|f| f.severity)
                .map(|f| format!("{} {}", f.severity.word(), f.rule))
                .unwrap_or_default();
            (
                "Justify a risky approval",
                format!(
                    "This hunk introduces {worst}. Why is approving it acceptable? (at least {min} characters)"
                ),
            )
        }
        PromptKind::ApproveFile => {
            let f = &state.files[state.hunks[p.hunk].file];
            (
                "Approve the whole file",
                format!(
                    "Approve the {} undecided hunks of {} as one decision. Why does this file need no line-by-line review? (at least {min} characters)",
                    f.hunk_count - f.decided,
                    f.path
                ),
            )
        }
        PromptKind::Search => ("Search", "Find (case-insensitive):".to_string()),
    };
    let mut lines = wrapped(&question, inner, ui.theme.heading());
    let typed = format!("> {}▏", crate::render::sanitize::sanitize_str(&p.input));
    lines.extend(wrapped(&typed, inner, ratatui::style::Style::new()));
    if let Some(e) = &p.error {
        lines.extend(wrapped(e, inner, ui.theme.warn()));
    }
    lines.extend(wrapped(
        "Enter submits · Esc cancels",
        inner,
        ui.theme.dim(),
    ));
    boxed(frame, ui, title, width, lines);
}

/// The key bindings, in two columns when the screen is wide enough.
pub fn help(ui: &Ui, frame: &mut Frame) {
    let rows = ui.keymap.help();
    let screen = frame.area();
    let columns = if screen.width >= 80 { 2 } else { 1 };
    let width = screen.width.saturating_sub(2).min(110);
    let col_w = usize::from(width.saturating_sub(2)) / columns;
    let per_col = rows.len().div_ceil(columns);
    let key_w = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(col_w / 3);
    let cell = |(k, h): &(String, &str)| {
        let text = format!("{k:>key_w$}  {h}");
        let text = super::hunk::fit(&text, col_w.saturating_sub(1));
        format!("{text:<col_w$}")
    };
    let mut lines = Vec::new();
    for r in 0..per_col {
        let mut text = String::new();
        for c in 0..columns {
            if let Some(row) = rows.get(c * per_col + r) {
                text.push_str(&cell(row));
            }
        }
        lines.push(Line::from(text));
    }
    lines.push(Line::styled(
        "approving needs the whole hunk seen; risky hunks need a typed justification · any key closes",
        ui.theme.dim(),
    ));
    boxed(frame, ui, "keys", width, lines);
}

/// The summary shown before finishing.
pub fn summary(state: &State, ui: &Ui, frame: &mut Frame) {
    let s = state.summary();
    let width = box_width(frame).min(60);
    let verdict = match s.verdict {
        Verdict::Approved => "approved",
        Verdict::ChangesRequested => "changes requested",
    };
    let mut lines = vec![
        Line::from(format!("approved            {}", s.approved)),
        Line::from(format!("approved with file  {}", s.approved_in_bulk)),
        Line::from(format!("rejected            {}", s.rejected)),
        Line::from(format!("justified risks     {}", s.justified)),
        Line::from(format!("comments            {}", s.comments)),
        Line::from(""),
    ];
    let style = match s.verdict {
        Verdict::Approved => ui.theme.approved(),
        Verdict::ChangesRequested => ui.theme.rejected(),
    };
    lines.push(Line::styled(
        format!("verdict: {verdict}"),
        style.add_modifier(Modifier::BOLD),
    ));
    lines.push(Line::styled(
        "Enter finishes · Esc goes back",
        ui.theme.dim(),
    ));
    boxed(frame, ui, "Finish the review", width, lines);
}
