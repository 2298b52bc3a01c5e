//! Word-level emphasis inside modified lines (SPEC §5): which words of a removed line changed
//! in the added line that replaces it, and the other way round.

use std::ops::Range;
use std::time::Duration;

use similar::{Algorithm, ChangeTag, TextDiff};

use crate::model::{Line, LineKind};

/// For each line of a hunk, the index of its partner when the line is a removed line directly
/// replaced by an added one (or the reverse): the two sides of a [`side_pairs`] row.
pub fn partners(lines: &[Line]) -> Vec<Option<usize>> {
    let mut out = vec![None; lines.len()];
    for pair in side_pairs(lines) {
        if let (Some(r), Some(a)) = pair
            && r != a
        {
            out[r] = Some(a);
            out[a] = Some(r);
        }
    }
    out
}

/// The rows of the side-by-side view: context lines on both sides; in each run of removed
/// lines followed by added lines, the i-th removed line beside the i-th added line.
pub fn side_pairs(lines: &[Line]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind == LineKind::Context {
            out.push((Some(i), Some(i)));
            i += 1;
            continue;
        }
        let removed_start = i;
        while i < lines.len() && lines[i].kind == LineKind::Removed {
            i += 1;
        }
        let added_start = i;
        while i < lines.len() && lines[i].kind == LineKind::Added {
            i += 1;
        }
        let (removed, added) = (added_start - removed_start, i - added_start);
        for k in 0..removed.max(added) {
            out.push((
                (k < removed).then_some(removed_start + k),
                (k < added).then_some(added_start + k),
            ));
        }
    }
    out
}

/// The byte ranges of `old` and of `new` that differ, word by word.
pub fn emphasis(old: &str, new: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(Duration::from_millis(20))
        .diff_words(old, new);
    let (mut old_ranges, mut new_ranges) = (Vec::new(), Vec::new());
    let (mut o, mut n) = (0, 0);
    for change in diff.iter_all_changes() {
        let len = change.value().len();
        match change.tag() {
            ChangeTag::Equal => {
                o += len;
                n += len;
            }
            ChangeTag::Delete => {
                push_merged(&mut old_ranges, o..o + len);
                o += len;
            }
            ChangeTag::Insert => {
                push_merged(&mut new_ranges, n..n + len);
                n += len;
            }
        }
    }
    (old_ranges, new_ranges)
}

fn push_merged(ranges: &mut Vec<Range<usize>>, r: Range<usize>) {
    match ranges.last_mut() {
        Some(last) if last.end == r.start => last.end = r.end,
        _ => ranges.push(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_runs_of_removed_and_added_lines() {
        let l = |k| Line::new(k, "x");
        let lines = [
            l(LineKind::Context),
            l(LineKind::Removed),
            l(LineKind::Removed),
            l(LineKind::Added),
            l(LineKind::Context),
            l(LineKind::Added),
        ];
        assert_eq!(
            partners(&lines),
            vec![None, Some(3), None, Some(1), None, None]
        );
    }

    #[test]
    fn pairs_removed_and_added_runs_side_by_side() {
        let l = |k| Line::new(k, "x");
        let lines = [
            l(LineKind::Context),
            l(LineKind::Removed),
            l(LineKind::Removed),
            l(LineKind::Added),
            l(LineKind::Added),
            l(LineKind::Added),
        ];
        assert_eq!(
            side_pairs(&lines),
            vec![
                (Some(0), Some(0)),
                (Some(1), Some(3)),
                (Some(2), Some(4)),
                (None, Some(5)),
            ]
        );
    }

    #[test]
    fn emphasises_only_the_changed_word() {
        let (o, n) = emphasis("  acl = \"private\"", "  acl = \"public-read\"");
        assert_eq!(o, vec![8..17]);
        assert_eq!(n, vec![8..21]);
    }
}
