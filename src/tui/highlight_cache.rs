//! Lazy, cached syntax highlighting and word emphasis for the review screen: a hunk is
//! highlighted only as far down as the screen has shown, each side (old, new) parsed in order
//! as the code it is, and kept for when the reviewer comes back.

use std::collections::HashMap;
use std::ops::Range;

use syntect::highlighting::{
    HighlightState, Highlighter as ThemeHighlighter, RangedHighlightIterator, Theme,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

use crate::model::{Hunk, LineKind};
use crate::render::highlight::{Highlighter, Spans};
use crate::render::inline::{emphasis, partners};
use crate::review::layout::display_text;

/// Hunks kept highlighted; beyond this the cache starts again (memory stays flat however
/// many hunks a review visits).
const CAPACITY: usize = 256;

/// One side of a hunk, highlighted line by line as far as needed.
struct Side {
    /// The hunk's lines on this side, in order.
    lines: Vec<usize>,
    /// How many of `lines` are highlighted.
    done: usize,
    parse: ParseState,
    state: HighlightState,
}

struct HunkCache {
    spans: Vec<Spans>,
    sides: Vec<Side>,
    partners: Vec<Option<usize>>,
    emphasis: HashMap<usize, Vec<Range<usize>>>,
}

/// Highlighting of the hunks the screen has shown.
pub struct HighlightCache {
    theme: Theme,
    hunks: HashMap<usize, HunkCache>,
}

impl HighlightCache {
    /// An empty cache highlighting with `theme`.
    pub fn new(theme: Theme) -> HighlightCache {
        HighlightCache {
            theme,
            hunks: HashMap::new(),
        }
    }

    /// Syntax spans of lines `0..=through` of hunk `key` (`path` picks the syntax; empty for
    /// none), highlighting what is missing.
    pub fn spans(&mut self, key: usize, path: &str, hunk: &Hunk, through: usize) -> &[Spans] {
        self.entry(key, path, hunk);
        let (theme, entry) = (&self.theme, self.hunks.get_mut(&key).expect("just made"));
        let behind = |side: &Side| side.lines.get(side.done).is_some_and(|&i| i <= through);
        // Building the theme's highlighter costs more than a line: only when there is work.
        if entry.sides.iter().any(behind)
            && let Some((set, _)) = Highlighter::syntax_for(path)
        {
            let highlighter = ThemeHighlighter::new(theme);
            for side in &mut entry.sides {
                extend(side, set, &highlighter, hunk, through, &mut entry.spans);
            }
        }
        &entry.spans
    }

    /// The changed-word ranges of line `line` of hunk `key` against its partner line (empty
    /// when it has none).
    pub fn emphasis(
        &mut self,
        key: usize,
        path: &str,
        hunk: &Hunk,
        line: usize,
    ) -> &[Range<usize>] {
        let entry = self.entry(key, path, hunk);
        let Some(partner) = entry.partners.get(line).copied().flatten() else {
            return &[];
        };
        entry.emphasis.entry(line).or_insert_with(|| {
            let (this, other) = (
                display_text(&hunk.lines[line]),
                display_text(&hunk.lines[partner]),
            );
            if hunk.lines[line].kind == LineKind::Removed {
                emphasis(&this, &other).0
            } else {
                emphasis(&other, &this).1
            }
        })
    }

    fn entry(&mut self, key: usize, path: &str, hunk: &Hunk) -> &mut HunkCache {
        if self.hunks.len() >= CAPACITY && !self.hunks.contains_key(&key) {
            self.hunks.clear();
        }
        let theme = &self.theme;
        self.hunks.entry(key).or_insert_with(|| {
            let sides = match Highlighter::syntax_for(path) {
                Some((_, syntax)) => [LineKind::Removed, LineKind::Added]
                    .into_iter()
                    .map(|kind| side(hunk, kind, syntax, theme))
                    .collect(),
                None => Vec::new(),
            };
            HunkCache {
                spans: vec![Vec::new(); hunk.lines.len()],
                sides,
                partners: partners(&hunk.lines),
                emphasis: HashMap::new(),
            }
        })
    }
}

fn side(hunk: &Hunk, kind: LineKind, syntax: &SyntaxReference, theme: &Theme) -> Side {
    Side {
        lines: (0..hunk.lines.len())
            .filter(|&i| hunk.lines[i].kind == kind || hunk.lines[i].kind == LineKind::Context)
            .collect(),
        done: 0,
        parse: ParseState::new(syntax),
        state: HighlightState::new(&ThemeHighlighter::new(theme), ScopeStack::new()),
    }
}

/// Highlights the side's lines up to hunk line `through`. Context lines are on both sides;
/// the new side's colours win (it runs second).
fn extend(
    side: &mut Side,
    set: &SyntaxSet,
    highlighter: &ThemeHighlighter<'_>,
    hunk: &Hunk,
    through: usize,
    spans: &mut [Spans],
) {
    while let Some(&i) = side.lines.get(side.done) {
        if i > through {
            break;
        }
        let text = display_text(&hunk.lines[i]);
        match side.parse.parse_line(&text, set) {
            Ok(ops) => {
                spans[i] = RangedHighlightIterator::new(&mut side.state, &ops, &text, highlighter)
                    .map(|(style, _, range)| (style.foreground, range))
                    .collect();
            }
            // A regex failure on hostile input: leave the line unhighlighted.
            Err(_) => spans[i] = Vec::new(),
        }
        side.done += 1;
    }
}
