//! Where everything goes on the screen, and the text of the findings panel. Pure functions of
//! the state: the reducer needs them to know what is visible, and the view draws with them.

use ratatui::layout::Rect;

use super::layout::wrap_words;
use super::state::{State, place_word};
use crate::policy::finding::{Origin, Severity};
use crate::render::sanitize::sanitize_str;

/// The screen's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Source, size, blast radius.
    pub header: Rect,
    /// The file list (absent on narrow terminals).
    pub files: Option<Rect>,
    /// The current hunk's title row.
    pub title: Rect,
    /// The hunk's rows.
    pub hunk: Rect,
    /// The findings panel, its title row included.
    pub panel: Rect,
    /// The status line.
    pub status: Rect,
}

/// How a row of the findings panel is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelStyle {
    /// A finding's first row, in its severity's colour.
    Finding(Severity),
    /// A pre-existing finding: dimmed.
    PreExisting,
    /// Remediation and policy file.
    Detail,
    /// A comment or the decision.
    Note,
    /// "no findings".
    Quiet,
}

/// One row of the findings panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelRow {
    /// Its text (already wrapped to the panel's width).
    pub text: String,
    /// How it is drawn.
    pub style: PanelStyle,
}

/// Narrowest terminal that still shows the file list.
const FILE_LIST_MIN_WIDTH: u16 = 72;

/// The regions for the state's viewport and current hunk.
pub fn areas(state: &State) -> Areas {
    let (w, h) = state.viewport;
    let header_rows = (wrap_words(&state.header, usize::from(w)).len() as u16)
        .min(3)
        .min(h.saturating_sub(3) / 2);
    let header = Rect::new(0, 0, w, header_rows);
    let status = Rect::new(0, h.saturating_sub(1), w, h.min(1));
    let body_y = header_rows;
    let body_h = h.saturating_sub(header_rows + 1);
    let files_w = if w >= FILE_LIST_MIN_WIDTH {
        let longest = state
            .files
            .iter()
            .map(|f| f.path.chars().count())
            .max()
            .unwrap_or(0) as u16;
        longest.saturating_add(14).clamp(24, w / 3)
    } else {
        0
    };
    let files = (files_w > 0).then(|| Rect::new(0, body_y, files_w, body_h));
    let right_x = if files_w > 0 { files_w + 1 } else { 0 };
    let right_w = w.saturating_sub(right_x);
    let title = Rect::new(right_x, body_y, right_w, body_h.min(1));
    let panel_rows = panel(state, right_w).len().max(1) as u16;
    let rest = body_h.saturating_sub(1);
    let panel_h = if rest >= 6 {
        1 + panel_rows.min((rest / 3).max(2))
    } else {
        0
    };
    let hunk = Rect::new(right_x, body_y + 1, right_w, rest.saturating_sub(panel_h));
    let panel = Rect::new(right_x, hunk.y + hunk.height, right_w, panel_h);
    Areas {
        header,
        files,
        title,
        hunk,
        panel,
        status,
    }
}

/// The rows of the findings panel for the current hunk at `width` columns (its title row
/// excluded): each finding with its remediation and policy file, then the file's findings
/// that are not on a hunk, the decision and the comments.
pub fn panel(state: &State, width: u16) -> Vec<PanelRow> {
    let mut rows = Vec::new();
    let Some((entry, _)) = state.current() else {
        return rows;
    };
    let mut push = |text: String, style| {
        for (s, e) in wrap_words(&text, usize::from(width).max(1)) {
            rows.push(PanelRow {
                text: text[s..e].to_string(),
                style,
            });
        }
    };
    let file = &state.files[entry.file];
    for &i in entry.findings.iter().chain(&file.findings) {
        let f = &state.findings[i];
        let style = match f.origin {
            Origin::Introduced => PanelStyle::Finding(f.severity),
            Origin::PreExisting => PanelStyle::PreExisting,
        };
        push(
            format!(
                "● {} {}{}: {}",
                f.severity.word().to_uppercase(),
                sanitize_str(&f.rule),
                place_word(f),
                sanitize_str(&f.message)
            ),
            style,
        );
        if let Some(fix) = &f.remediation {
            push(format!("  fix: {}", sanitize_str(fix)), PanelStyle::Detail);
        }
        push(
            format!("  policy: {}", sanitize_str(&f.policy)),
            PanelStyle::Detail,
        );
    }
    if entry.findings.is_empty() && file.findings.is_empty() {
        push("no findings on this hunk".into(), PanelStyle::Quiet);
    }
    if let Some(d) = &state.decisions[state.cursor] {
        push(d.decision.describe(), PanelStyle::Note);
    }
    for c in &state.comments[state.cursor] {
        push(format!("comment: {}", sanitize_str(c)), PanelStyle::Note);
    }
    rows
}
