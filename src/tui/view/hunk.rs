//! The hunk view: the current hunk's rows (only those on screen are drawn), with line numbers,
//! syntax colours, word emphasis, wrapped-line markers and finding annotations; and its title.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line as TextLine, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::Ui;
use super::styled::{Layers, spans};
use crate::model::{Hunk, LineKind};
use crate::policy::finding::Origin;
use crate::render::text::{hunk_header, syntax_path};
use crate::review::State;
use crate::review::layout::{Row, Seg, display, find_all};
use crate::review::state::Decision;
use crate::tui::theme::rgb;

/// The marker drawn where a wrapped line continues.
const CONTINUED: &str = "↪";

/// Fits `text` in `width` columns, ending with `…` when it had to be cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The title row: file, hunk position, `AI` when a coding agent wrote the hunk, header, and
/// how far the reviewer is with it.
pub fn title(state: &State, ui: &Ui, frame: &mut Frame, area: Rect) {
    let Some((entry, hunk)) = state.current() else {
        let text = if state.change.files.is_empty() {
            "no changes to review"
        } else {
            "no hunks to review"
        };
        frame.render_widget(Paragraph::new(text).style(ui.theme.dim()), area);
        return;
    };
    let file = &state.files[entry.file];
    let progress = &state.progress[state.cursor];
    let mut status = match state.decisions[state.cursor].as_ref().map(|d| &d.decision) {
        Some(Decision::Rejected { .. }) => "✗ rejected".to_string(),
        Some(_) => "✓ approved".to_string(),
        None if progress.is_complete() => "seen, undecided".to_string(),
        None => format!("{} not yet seen", progress.unseen()),
    };
    if let Some(earlier) = &state.superseded[state.cursor] {
        let was = if earlier.decision.is_approval() {
            "approved"
        } else {
            "rejected"
        };
        status = format!("⚠ changed since your decision (you {was} it) · {status}");
    }
    let ai = if entry.ai {
        format!("{} · ", super::files::AI_BADGE)
    } else {
        String::new()
    };
    let text = format!(
        "hunk {}/{} · {ai}{status} · {} · {}",
        entry.index + 1,
        file.hunk_count,
        file.path,
        hunk_header(hunk)
    );
    frame.render_widget(
        Paragraph::new(fit(&text, usize::from(area.width)))
            .style(ui.theme.title().add_modifier(Modifier::BOLD)),
        area,
    );
}

/// The rows of the current hunk that are on screen.
pub fn draw(state: &State, ui: &mut Ui, frame: &mut Frame, area: Rect) {
    let Some((entry, hunk)) = state.current() else {
        return;
    };
    let rows = &state.layout.rows;
    let end = (state.scroll + usize::from(area.height)).min(rows.len());
    let visible = &rows[state.scroll.min(end)..end];
    let last_line = visible
        .iter()
        .filter_map(|r| match r {
            Row::Text(s) => Some(s.line),
            Row::Pair(l, r) => l.or(*r).map(|s| s.line.max(r.map_or(0, |r| r.line))),
            _ => None,
        })
        .max()
        .unwrap_or(0) as usize;
    let path = syntax_path(&state.change.files[entry.file]);
    // Highlight what the screen needs (and everything before it, which the parser needs).
    ui.highlights.spans(state.cursor, &path, hunk, last_line);
    let query = state.search.as_ref().map(|s| s.query.as_str());
    let mut lines = Vec::with_capacity(visible.len());
    for row in visible {
        let line = match row {
            Row::Text(seg) => {
                let mut out = gutter(state, ui, hunk, seg);
                out.extend(segment(
                    state.cursor,
                    ui,
                    &path,
                    hunk,
                    seg,
                    query,
                    state.layout.text_width,
                ));
                TextLine::from(out)
            }
            Row::Pair(left, right) => {
                let mut out = Vec::new();
                for (k, side) in [left, right].into_iter().enumerate() {
                    if k == 1 {
                        out.push(Span::styled("│", ui.theme.dim()));
                    }
                    out.extend(side_cell(
                        state,
                        ui,
                        &path,
                        hunk,
                        side.as_ref(),
                        k == 0,
                        query,
                    ));
                }
                TextLine::from(out)
            }
            Row::NoNewline(_) => TextLine::from(vec![
                Span::raw(" ".repeat(crate::review::layout::unified_gutter(
                    state.layout.number_width,
                ))),
                Span::styled("\\ No newline at end of file", ui.theme.dim()),
            ]),
            Row::Annotation(seg) => {
                let note = &entry.notes[seg.line as usize];
                let f = &state.findings[note.finding];
                let style = match f.origin {
                    Origin::Introduced => ui.theme.severity(f.severity),
                    Origin::PreExisting => ui.theme.dim().add_modifier(Modifier::DIM),
                };
                TextLine::from(vec![
                    Span::raw(" ".repeat(crate::review::layout::unified_gutter(
                        state.layout.number_width,
                    ))),
                    Span::styled(
                        note.text[seg.start as usize..seg.end as usize].to_string(),
                        style,
                    ),
                ])
            }
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn number(n: Option<u32>, width: usize, first: bool) -> String {
    match n {
        Some(n) if first => format!("{n:>width$}"),
        _ => " ".repeat(width),
    }
}

/// `old new │±` of a unified row (blank numbers and `↪` on continuation rows).
fn gutter(state: &State, ui: &Ui, hunk: &Hunk, seg: &Seg) -> Vec<Span<'static>> {
    let line = &hunk.lines[seg.line as usize];
    let w = state.layout.number_width;
    let first = seg.is_first();
    let nums = format!(
        "{} {} │",
        number(line.old_lineno, w, first),
        number(line.new_lineno, w, first)
    );
    vec![
        Span::styled(nums, ui.theme.dim()),
        marker(ui, line.kind, first),
    ]
}

fn marker(ui: &Ui, kind: LineKind, first: bool) -> Span<'static> {
    let p = &ui.theme.palette;
    if !first {
        return Span::styled(CONTINUED, ui.theme.dim());
    }
    let (text, fg) = match kind {
        LineKind::Added => ("+", p.plus_marker),
        LineKind::Removed => ("-", p.minus_marker),
        LineKind::Context => (" ", p.gutter),
    };
    Span::styled(text, Style::new().fg(rgb(fg)).add_modifier(Modifier::BOLD))
}

/// One side of a side-by-side row: number, marker, text (blank when the side has no line).
fn side_cell(
    state: &State,
    ui: &mut Ui,
    path: &str,
    hunk: &Hunk,
    seg: Option<&Seg>,
    old: bool,
    query: Option<&str>,
) -> Vec<Span<'static>> {
    let w = state.layout.number_width;
    let tw = state.layout.text_width;
    let Some(seg) = seg else {
        return vec![Span::raw(" ".repeat(w + 2 + tw))];
    };
    let line = &hunk.lines[seg.line as usize];
    let n = if old {
        line.old_lineno
    } else {
        line.new_lineno
    };
    let mut out = vec![
        Span::styled(format!("{} ", number(n, w, seg.is_first())), ui.theme.dim()),
        marker(ui, line.kind, seg.is_first()),
    ];
    out.extend(segment(state.cursor, ui, path, hunk, seg, query, tw));
    out
}

/// The text of a segment with its layers, padded to `width` so the line's background runs to
/// the edge.
fn segment(
    key: usize,
    ui: &mut Ui,
    path: &str,
    hunk: &Hunk,
    seg: &Seg,
    query: Option<&str>,
    width: usize,
) -> Vec<Span<'static>> {
    let i = seg.line as usize;
    let line = &hunk.lines[i];
    let (text, markers) = display(line);
    let p = ui.theme.palette;
    let (bg, emph_bg) = match line.kind {
        LineKind::Added => (Some(rgb(p.plus)), Some(rgb(p.plus_emph))),
        LineKind::Removed => (Some(rgb(p.minus)), Some(rgb(p.minus_emph))),
        LineKind::Context => (None, None),
    };
    let base = bg.map_or(Style::new(), |bg| Style::new().bg(bg));
    let emphasis = ui.highlights.emphasis(key, path, hunk, i).to_vec();
    let syntax = ui.highlights.spans(key, path, hunk, i)[i].clone();
    let matches = query.map(|q| find_all(&text, q)).unwrap_or_default();
    let range = seg.start as usize..seg.end as usize;
    let mut out = spans(
        &text,
        range.clone(),
        &Layers {
            syntax: &syntax,
            emphasis: &emphasis,
            emphasis_bg: emph_bg,
            matches: &matches,
            markers: &markers,
            base,
            warn: ui.theme.warn(),
        },
    );
    let used = text[range].width();
    if used < width {
        out.push(Span::styled(" ".repeat(width - used), base));
    }
    out
}
