//! The findings panel under the hunk: each finding's severity, rule, message, remediation and
//! policy file, then the hunk's decision and comments.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Ui;
use crate::review::State;
use crate::review::screen::{PanelStyle, panel};

/// Draws the panel (its title row first).
pub fn draw(state: &State, ui: &Ui, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let rows = panel(state, area.width);
    let room = usize::from(area.height - 1);
    let count = state.current().map_or(0, |(e, _)| {
        e.findings.len() + state.files[e.file].findings.len()
    });
    let mut title = format!("── findings ({count}) ");
    if rows.len() > room {
        title.push_str(&format!(
            "· {} rows hidden: taller terminal ",
            rows.len() - room
        ));
    }
    let fill = usize::from(area.width).saturating_sub(title.chars().count());
    title.push_str(&"─".repeat(fill));
    let mut lines = vec![Line::styled(title, ui.theme.dim())];
    for row in rows.into_iter().take(room) {
        let style = match row.style {
            PanelStyle::Finding(s) => ui.theme.severity(s),
            PanelStyle::PreExisting => ui.theme.dim().add_modifier(Modifier::DIM),
            PanelStyle::Detail | PanelStyle::Quiet => ui.theme.dim(),
            PanelStyle::Note => ui.theme.title(),
        };
        lines.push(Line::styled(row.text, style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
