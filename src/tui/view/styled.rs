//! One piece of a line as styled spans: syntax colours, the +/- background, changed-word
//! emphasis, search matches and hidden-character markers layered in that order.

use std::ops::Range;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::render::highlight::Spans;
use crate::tui::theme::rgb;

/// The layers over one line's display text.
pub struct Layers<'a> {
    /// Syntax colours (byte ranges).
    pub syntax: &'a Spans,
    /// Changed words.
    pub emphasis: &'a [Range<usize>],
    /// Their background.
    pub emphasis_bg: Option<Color>,
    /// Search matches.
    pub matches: &'a [Range<usize>],
    /// Hidden-character markers.
    pub markers: &'a [Range<usize>],
    /// The style of the whole line (its background).
    pub base: Style,
    /// The style of markers.
    pub warn: Style,
}

fn inside(ranges: &[Range<usize>], at: usize) -> bool {
    ranges.iter().any(|r| r.contains(&at))
}

/// The spans of `text[range]` with every layer applied.
pub fn spans(text: &str, range: Range<usize>, layers: &Layers<'_>) -> Vec<Span<'static>> {
    let mut cuts: Vec<usize> = vec![range.start, range.end];
    let syntax_ranges = layers.syntax.iter().map(|(_, r)| r);
    for r in syntax_ranges
        .chain(layers.emphasis)
        .chain(layers.matches)
        .chain(layers.markers)
    {
        cuts.extend([r.start, r.end]);
    }
    cuts.retain(|&c| c >= range.start && c <= range.end && text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let at = w[0];
            let mut style = layers.base;
            if let Some((c, _)) = layers.syntax.iter().find(|(_, r)| r.contains(&at)) {
                style = style.fg(rgb((c.r, c.g, c.b)));
            }
            if let (true, Some(bg)) = (inside(layers.emphasis, at), layers.emphasis_bg) {
                style = style.bg(bg);
            }
            if inside(layers.matches, at) {
                style = style.add_modifier(Modifier::REVERSED);
            }
            if inside(layers.markers, at) {
                style = layers.warn;
            }
            Span::styled(text[w[0]..w[1]].to_string(), style)
        })
        .collect()
}
