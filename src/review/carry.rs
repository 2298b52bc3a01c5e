//! Resuming a review on the change as it is now: decisions follow their hunks by id, and a
//! hunk that replaced a decided one (same file, overlapping lines, or the same plan resource)
//! is marked *changed since your decision* and must be decided again.

use std::collections::{HashMap, HashSet};

use super::state::{Flash, State};
use crate::model::{Hunk, HunkId, HunkKind};

/// The review `fresh` (a new state of the change as it is now) with everything `old` decided,
/// commented, timed and saw carried over to the hunks that are still the same, the earlier
/// decisions of hunks that changed recorded as superseded, and the reviewer back where they
/// were when the hunk still exists.
pub fn carry(old: &State, mut fresh: State) -> State {
    let old_index: HashMap<&HunkId, usize> =
        (0..old.hunks.len()).map(|i| (&old.hunk(i).id, i)).collect();
    let fresh_ids: HashSet<&HunkId> = (0..fresh.hunks.len()).map(|j| &fresh.hunk(j).id).collect();
    // Old decided hunks that are gone, by file path: candidates for "changed since".
    let mut gone: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for i in 0..old.hunks.len() {
        if old.decisions[i].is_some() && !fresh_ids.contains(&old.hunk(i).id) {
            let file = &old.change.files[old.hunks[i].file];
            gone.entry(file.path()).or_default().push(i);
        }
    }
    let mut to_fresh = HashMap::new();
    let mut carried = 0;
    let mut changed = 0;
    for j in 0..fresh.hunks.len() {
        let hunk = fresh.hunk(j);
        if let Some(&i) = old_index.get(&hunk.id) {
            to_fresh.insert(i, j);
            fresh.decisions[j] = old.decisions[i].clone();
            fresh.superseded[j] = old.superseded[i].clone();
            fresh.comments[j] = old.comments[i].clone();
            fresh.dwell_ms[j] = old.dwell(i);
            if old.hunks[i].notes.len() == fresh.hunks[j].notes.len() {
                fresh.progress[j] = old.progress[i].clone();
            }
            carried += usize::from(fresh.decisions[j].is_some());
            continue;
        }
        let path = fresh.change.files[fresh.hunks[j].file].path();
        let earlier = gone
            .get(path)
            .into_iter()
            .flatten()
            .find(|&&i| replaces(hunk, old.hunk(i)));
        if let Some(&i) = earlier {
            fresh.superseded[j] = old.decisions[i].clone();
            changed += 1;
        }
    }
    for f in &mut fresh.files {
        f.decided = fresh.decisions[f.first_hunk..f.first_hunk + f.hunk_count]
            .iter()
            .filter(|d| d.is_some())
            .count();
    }
    fresh.undo = old
        .undo
        .iter()
        .filter_map(|step| {
            let step: Vec<_> = step
                .iter()
                .filter_map(|(i, prev)| Some((*to_fresh.get(i)?, prev.clone())))
                .collect();
            (!step.is_empty()).then_some(step)
        })
        .collect();
    fresh.side_by_side = old.side_by_side;
    fresh.viewport = old.viewport;
    fresh.now_ms = old.now_ms;
    fresh.entered_ms = old.now_ms;
    fresh.cursor = to_fresh
        .get(&old.cursor)
        .copied()
        .or_else(|| fresh.decisions.iter().position(Option::is_none))
        .unwrap_or(0);
    let mut text = format!("resumed: {carried} decisions restored");
    if changed > 0 {
        text.push_str(&format!(
            " · {changed} hunks changed since your decision: decide them again"
        ));
    }
    fresh.flash = Some(Flash {
        text,
        warn: changed > 0,
    });
    fresh.settle();
    fresh
}

/// True when `new` stands where `old` stood: the same plan resource, or overlapping lines of
/// the same file on the new side.
fn replaces(new: &Hunk, old: &Hunk) -> bool {
    match (&new.kind, &old.kind) {
        (HunkKind::Resource { address: a, .. }, HunkKind::Resource { address: b, .. }) => a == b,
        _ => new.new_side_overlaps(old.new_start, old.new_lines),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        ChangeSet, FileChange, FileContent, FileStatus, Line, LineKind, SourceInfo,
    };
    use crate::review::state::{Decided, Decision};
    use crate::review::{Action, Options, update};

    fn change(second_hunk_text: &str) -> ChangeSet {
        let hunk = |start: u32, text: &str| {
            let mut line = Line::new(LineKind::Added, text);
            line.new_lineno = Some(start);
            Hunk {
                id: HunkId::for_lines(b"main.tf", std::slice::from_ref(&line)),
                kind: HunkKind::Text,
                old_start: start,
                old_lines: 0,
                new_start: start,
                new_lines: 1,
                title: String::new(),
                lines: vec![line],
            }
        };
        ChangeSet {
            source: SourceInfo::Patch {
                name: "-".into(),
                sha256: String::new(),
            },
            files: vec![FileChange {
                old_path: Some(b"main.tf".to_vec()),
                new_path: Some(b"main.tf".to_vec()),
                status: FileStatus::Modified,
                content: FileContent::Text,
                old_mode: None,
                new_mode: None,
                similarity: None,
                hunks: vec![hunk(1, "a = 1"), hunk(10, second_hunk_text)],
            }],
            plan: None,
            notes: Vec::new(),
            value_lines: Default::default(),
        }
    }

    fn state(second: &str) -> State {
        let options = Options {
            reviewer: "r".into(),
            source: "s".into(),
            min_justification: 1,
            ai_hunks: Vec::new(),
        };
        State::new(change(second), Vec::new(), options)
    }

    #[test]
    fn decisions_follow_ids_and_changed_hunks_are_superseded() {
        let mut old = state("b = 2");
        for a in [Action::Approve, Action::Approve] {
            update(&mut old, a, 5);
        }
        assert!(old.decisions.iter().all(Option::is_some));
        let same = carry(&old, state("b = 2"));
        assert_eq!(same.decisions, old.decisions);
        assert_eq!(same.decided(), 2);
        assert_eq!(same.undo.len(), 2);

        let moved = carry(&old, state("b = 3"));
        assert_eq!(moved.decisions[0], old.decisions[0]);
        assert_eq!(moved.decisions[1], None);
        assert_eq!(
            moved.superseded[1],
            Some(Decided {
                decision: Decision::Approved {
                    justification: None
                },
                at_ms: 5,
                dwell_ms: 0,
            })
        );
        assert_eq!(moved.cursor, 1, "back at the first hunk left to decide");
        assert!(moved.flash.unwrap().text.contains("1 hunks changed"));
        assert_eq!(
            moved.undo.len(),
            1,
            "the undo of a vanished hunk is dropped"
        );
    }
}
