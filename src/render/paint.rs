//! Terminal colours: the diff palette for dark and light backgrounds, and painting of one line
//! from its syntax spans, word-emphasis ranges and hidden-character markers.

use std::ops::Range;

use syntect::highlighting::Color;

/// An RGB colour.
pub type Rgb = (u8, u8, u8);

/// The colours of everything that is not syntax.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Background of removed lines.
    pub minus: Rgb,
    /// Background of the changed words in removed lines.
    pub minus_emph: Rgb,
    /// Background of added lines.
    pub plus: Rgb,
    /// Background of the changed words in added lines.
    pub plus_emph: Rgb,
    /// Foreground of the `-` marker.
    pub minus_marker: Rgb,
    /// Foreground of the `+` marker.
    pub plus_marker: Rgb,
    /// Line numbers and separators.
    pub gutter: Rgb,
    /// File headers.
    pub file: Rgb,
    /// Hunk headers.
    pub hunk: Rgb,
    /// Foreground and background of hidden-character markers: impossible to miss.
    pub warn: (Rgb, Rgb),
}

impl Palette {
    /// The palette for a dark (`true`) or light terminal background.
    pub fn for_background(dark: bool) -> Palette {
        if dark {
            Palette {
                minus: (0x3f, 0x00, 0x01),
                minus_emph: (0x90, 0x10, 0x11),
                plus: (0x00, 0x28, 0x00),
                plus_emph: (0x00, 0x60, 0x00),
                minus_marker: (0xff, 0x6b, 0x6b),
                plus_marker: (0x6b, 0xd9, 0x6b),
                gutter: (0x6b, 0x72, 0x80),
                file: (0xe5, 0xc0, 0x7b),
                hunk: (0x61, 0xaf, 0xef),
                warn: ((0x00, 0x00, 0x00), (0xff, 0xd7, 0x00)),
            }
        } else {
            Palette {
                minus: (0xff, 0xe0, 0xe0),
                minus_emph: (0xff, 0xa8, 0xa8),
                plus: (0xd8, 0xff, 0xd8),
                plus_emph: (0x9c, 0xe8, 0x9c),
                minus_marker: (0xb3, 0x1d, 0x28),
                plus_marker: (0x1a, 0x7f, 0x37),
                gutter: (0x8c, 0x95, 0x9f),
                file: (0x95, 0x38, 0x00),
                hunk: (0x05, 0x50, 0xae),
                warn: ((0x00, 0x00, 0x00), (0xff, 0xd7, 0x00)),
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Default)]
struct Sgr {
    fg: Option<Rgb>,
    bg: Option<Rgb>,
    bold: bool,
}

fn write_sgr(out: &mut String, s: Sgr) {
    use std::fmt::Write;
    out.push_str("\x1b[0");
    if s.bold {
        out.push_str(";1");
    }
    if let Some((r, g, b)) = s.fg {
        let _ = write!(out, ";38;2;{r};{g};{b}");
    }
    if let Some((r, g, b)) = s.bg {
        let _ = write!(out, ";48;2;{r};{g};{b}");
    }
    out.push('m');
}

/// Paints `text` in one colour (and bold when asked), then resets.
pub fn solid(out: &mut String, text: &str, fg: Rgb, bold: bool) {
    write_sgr(
        out,
        Sgr {
            fg: Some(fg),
            bg: None,
            bold,
        },
    );
    out.push_str(text);
    out.push_str("\x1b[0m");
}

/// What to paint on one line of code.
pub struct LineLayers<'a> {
    /// The (sanitized) text.
    pub text: &'a str,
    /// Syntax foreground spans.
    pub spans: &'a [(Color, Range<usize>)],
    /// Background of the whole line, if any.
    pub background: Option<Rgb>,
    /// Ranges emphasised as changed words, and their background.
    pub emphasis: (&'a [Range<usize>], Rgb),
    /// Hidden-character markers, painted in the warning colours.
    pub markers: &'a [Range<usize>],
    /// The warning colours (foreground, background).
    pub warn: (Rgb, Rgb),
}

/// Paints a line from its layers: markers over emphasis over the line background; syntax
/// colours as foreground. Ends with a reset.
pub fn layered(out: &mut String, l: &LineLayers<'_>) {
    let mut cuts: Vec<usize> = vec![0, l.text.len()];
    for r in l
        .spans
        .iter()
        .map(|(_, r)| r)
        .chain(l.emphasis.0)
        .chain(l.markers)
    {
        cuts.push(r.start.min(l.text.len()));
        cuts.push(r.end.min(l.text.len()));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let covering = |ranges: &mut std::iter::Peekable<std::slice::Iter<'_, Range<usize>>>,
                    at: usize| {
        while ranges.peek().is_some_and(|r| r.end <= at) {
            ranges.next();
        }
        ranges.peek().is_some_and(|r| r.start <= at)
    };
    let (mut emph, mut marks) = (l.emphasis.0.iter().peekable(), l.markers.iter().peekable());
    let mut spans = l.spans.iter().peekable();
    let mut current = None;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == b || !l.text.is_char_boundary(a) || !l.text.is_char_boundary(b) {
            continue;
        }
        while spans.peek().is_some_and(|(_, r)| r.end <= a) {
            spans.next();
        }
        let fg = spans
            .peek()
            .filter(|(_, r)| r.start <= a)
            .map(|(c, _)| (c.r, c.g, c.b));
        let mut style = Sgr {
            fg,
            bg: l.background,
            bold: false,
        };
        if covering(&mut emph, a) {
            style.bg = Some(l.emphasis.1);
        }
        if covering(&mut marks, a) {
            style = Sgr {
                fg: Some(l.warn.0),
                bg: Some(l.warn.1),
                bold: true,
            };
        }
        if current != Some(style) {
            write_sgr(out, style);
            current = Some(style);
        }
        out.push_str(&l.text[a..b]);
    }
    out.push_str("\x1b[0m");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_win_over_emphasis_and_every_line_resets() {
        let (emphasis, markers) = (
            vec![Range { start: 0, end: 2 }],
            vec![Range { start: 2, end: 5 }],
        );
        let mut out = String::new();
        layered(
            &mut out,
            &LineLayers {
                text: "ab␛cd",
                spans: &[],
                background: Some((1, 1, 1)),
                emphasis: (&emphasis, (2, 2, 2)),
                markers: &markers,
                warn: ((0, 0, 0), (9, 9, 9)),
            },
        );
        assert_eq!(
            out,
            "\x1b[0;48;2;2;2;2mab\x1b[0;1;38;2;0;0;0;48;2;9;9;9m␛\x1b[0;48;2;1;1;1mcd\x1b[0m"
        );
    }
}
