//! What of a hunk has been on screen. Approval is refused until every row of every line and
//! annotation has been shown; a line that wraps counts only when all its rows were shown in
//! order, so a jump past the middle of a long line does not count it as read.

use super::layout::{Row, Seg};

/// Marks a line or annotation whose every row has been on screen.
const ALL: u32 = u32::MAX;

/// How much of one hunk has been on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Per line: how many of its rows have been shown from its start ([`ALL`] when all).
    lines: Vec<u32>,
    /// The same per annotation.
    notes: Vec<u32>,
    /// Lines and annotations not wholly shown yet.
    unseen: usize,
    /// The layout (width, side by side) the partial counts refer to.
    layout: (u16, bool),
}

impl Progress {
    /// Nothing seen of a hunk with `lines` lines and `notes` annotations.
    pub fn new(lines: usize, notes: usize) -> Progress {
        Progress {
            lines: vec![0; lines],
            notes: vec![0; notes],
            unseen: lines + notes,
            layout: (0, false),
        }
    }

    /// True once all of the hunk has been on screen.
    pub fn is_complete(&self) -> bool {
        self.unseen == 0
    }

    /// Lines and annotations not wholly shown yet.
    pub fn unseen(&self) -> usize {
        self.unseen
    }

    /// The same progress through the hunk's `lines` lines, with its annotations replaced by
    /// `notes` new ones, none of them seen yet (findings that arrived after the hunk was read).
    pub fn with_new_notes(&self, lines: usize, notes: usize) -> Progress {
        let (lines, unseen_lines) = if self.is_complete() {
            (vec![ALL; lines], 0)
        } else {
            let unseen = self.lines.iter().filter(|&&c| c != ALL).count();
            (self.lines.clone(), unseen)
        };
        Progress {
            lines,
            notes: vec![0; notes],
            unseen: unseen_lines + notes,
            layout: self.layout,
        }
    }

    /// Records the rows now on screen, laid out at `layout` (width, side by side). When the
    /// layout changed, lines shown only in part start again: their rows are different now.
    pub fn mark(&mut self, layout: (u16, bool), rows: &[Row]) {
        if self.is_complete() {
            return;
        }
        if layout != self.layout {
            for c in self.lines.iter_mut().chain(self.notes.iter_mut()) {
                if *c != ALL {
                    *c = 0;
                }
            }
            self.layout = layout;
        }
        for row in rows {
            match row {
                Row::Text(s) => mark(&mut self.lines, &mut self.unseen, s),
                Row::Pair(l, r) => {
                    for s in [l, r].into_iter().flatten() {
                        mark(&mut self.lines, &mut self.unseen, s);
                    }
                }
                Row::Annotation(s) => mark(&mut self.notes, &mut self.unseen, s),
                Row::NoNewline(_) => {}
            }
        }
        if self.is_complete() {
            self.lines = Vec::new();
            self.notes = Vec::new();
        }
    }
}

fn mark(counts: &mut [u32], unseen: &mut usize, s: &Seg) {
    let Some(c) = counts.get_mut(s.line as usize) else {
        return;
    };
    if *c == ALL || *c < s.part {
        return;
    }
    *c = (*c).max(s.part + 1);
    if *c >= s.parts {
        *c = ALL;
        *unseen -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(line: u32, part: u32, parts: u32) -> Row {
        Row::Text(Seg {
            line,
            part,
            parts,
            start: 0,
            end: 0,
        })
    }

    #[test]
    fn a_wrapped_line_counts_once_all_its_rows_were_shown_in_order() {
        let mut p = Progress::new(2, 0);
        p.mark((80, false), &[seg(0, 0, 1), seg(1, 0, 3)]);
        assert_eq!(p.unseen(), 1);
        // Jumping to the last row does not count the middle one.
        p.mark((80, false), &[seg(1, 2, 3)]);
        assert_eq!(p.unseen(), 1);
        p.mark((80, false), &[seg(1, 1, 3), seg(1, 2, 3)]);
        assert!(p.is_complete());
    }

    #[test]
    fn new_notes_must_be_seen_but_read_lines_stay_read() {
        let mut p = Progress::new(2, 0);
        p.mark((80, false), &[seg(0, 0, 1), seg(1, 0, 1)]);
        assert!(p.is_complete());
        let mut q = p.with_new_notes(2, 1);
        assert_eq!(q.unseen(), 1);
        q.mark((80, false), &[seg(1, 0, 1)]);
        assert_eq!(q.unseen(), 1);
        q.mark(
            (80, false),
            &[Row::Annotation(match seg(0, 0, 1) {
                Row::Text(s) => s,
                _ => unreachable!(),
            })],
        );
        assert!(q.is_complete());
        let half = Progress::new(3, 0).with_new_notes(3, 2);
        assert_eq!(half.unseen(), 5);
    }

    #[test]
    fn a_new_width_restarts_partly_shown_lines_only() {
        let mut p = Progress::new(2, 0);
        p.mark((80, false), &[seg(0, 0, 1), seg(1, 0, 2)]);
        p.mark((60, false), &[seg(1, 1, 3)]);
        assert_eq!(p.unseen(), 1);
        p.mark((60, false), &[seg(1, 0, 3), seg(1, 1, 3), seg(1, 2, 3)]);
        assert!(p.is_complete());
    }
}
