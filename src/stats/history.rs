//! The history signals of SPEC §8, from git history alone: infrastructure changes per ISO week
//! by AI and human authors, the rollback rate of each (commits later reverted, or whose added
//! lines are removed again within a window), and the time to remediate. Pure: the commits
//! come from [`super::history_git`].

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::calendar::iso_week;
use super::file_kind::FileKind;
use super::review_stats::rate;
use super::spread::Spread;

/// One commit as the history signals need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryCommit {
    /// Its id (hex).
    pub id: String,
    /// When it was committed (seconds since the epoch).
    pub time: i64,
    /// A coding agent wrote it.
    pub ai: bool,
    /// The commit its message says it reverts (`This reverts commit <id>.`), as written.
    pub reverts: Option<String>,
    /// The files it changed.
    pub files: Vec<CommitFile>,
}

/// One file a commit changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitFile {
    /// Its path (the new one; the old one for a deletion).
    pub path: String,
    /// What kind of file it is.
    pub kind: FileKind,
    /// Hunks of the change.
    pub hunks: usize,
    /// Lines added and removed.
    pub lines: usize,
    /// Lines added, trimmed (infrastructure files only).
    pub added: Vec<String>,
    /// Lines removed, trimmed (infrastructure files only).
    pub removed: Vec<String>,
}

/// The commit a message reverts: the id after `This reverts commit ` (what `git revert`
/// writes), at least 7 hex digits.
pub fn reverted_commit(message: &str) -> Option<String> {
    let (_, rest) = message.split_once("This reverts commit ")?;
    let id: String = rest
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_lowercase();
    (id.len() >= 7).then_some(id)
}

/// Everything `countersign stats --history` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryStats {
    /// The history read (`HEAD`, `main..feature`).
    pub range: String,
    /// Added lines removed again within this many days roll a commit back.
    pub rollback_window_days: u32,
    /// Infrastructure changes by the ISO week of their commit, oldest first.
    pub weeks: Vec<WeekVolume>,
    /// Commits a coding agent wrote.
    pub ai: ClassHistory,
    /// Commits people wrote.
    pub human: ClassHistory,
    /// Every rolled-back infrastructure commit, oldest first.
    pub rollbacks: Vec<Rollback>,
}

/// The changes of one week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekVolume {
    /// `2026-W10`.
    pub week: String,
    /// By coding agents.
    pub ai: Volume,
    /// By people.
    pub human: Volume,
}

/// How much changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volume {
    /// Commits that change an infrastructure file.
    pub commits: usize,
    /// Hunks in infrastructure files.
    pub hunks: usize,
    /// Lines added and removed in infrastructure files.
    pub lines: usize,
    /// Hunks and lines by kind of file; `other` counts every other file, for scale.
    pub by_kind: BTreeMap<FileKind, KindVolume>,
}

/// Hunks and lines of one kind of file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindVolume {
    /// Hunks.
    pub hunks: usize,
    /// Lines added and removed.
    pub lines: usize,
}

/// The rollback signals of one class of commits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassHistory {
    /// Infrastructure changes in the whole history read.
    #[serde(flatten)]
    pub volume: Volume,
    /// Infrastructure commits rolled back (reverted, or their lines removed again).
    pub rolled_back: usize,
    /// Of them, reverted by a commit that says so.
    pub reverted: usize,
    /// rolled_back / commits; `None` without commits.
    pub rollback_rate: Option<f64>,
    /// Seconds from a rolled-back commit to the commit that reverted or removed it.
    pub time_to_remediate_s: Spread,
}

/// How a commit was rolled back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RollbackKind {
    /// A later commit says it reverts it.
    Revert,
    /// Later commits within the window removed at least half of its added lines.
    Removed,
}

/// One rolled-back commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollback {
    /// The commit rolled back.
    pub commit: String,
    /// Whether a coding agent wrote it.
    pub ai: bool,
    /// The commit that reverted it or completed the removal.
    pub by: String,
    /// How.
    pub kind: RollbackKind,
    /// Seconds between the two.
    pub after_s: i64,
}

impl Volume {
    fn empty() -> Volume {
        Volume {
            commits: 0,
            hunks: 0,
            lines: 0,
            by_kind: FileKind::ALL
                .into_iter()
                .map(|k| (k, KindVolume::default()))
                .collect(),
        }
    }

    fn add(&mut self, commit: &HistoryCommit) {
        let mut infra = false;
        for f in &commit.files {
            let kind = self.by_kind.entry(f.kind).or_default();
            kind.hunks += f.hunks;
            kind.lines += f.lines;
            if f.kind.is_infrastructure() {
                infra = true;
                self.hunks += f.hunks;
                self.lines += f.lines;
            }
        }
        self.commits += usize::from(infra);
    }
}

/// True for a commit that changes an infrastructure file.
fn is_infrastructure(commit: &HistoryCommit) -> bool {
    commit.files.iter().any(|f| f.kind.is_infrastructure())
}

/// True for a line worth tracking: one with a letter or digit (not `}` or an empty line).
fn significant(line: &str) -> bool {
    line.chars().any(char::is_alphanumeric)
}

/// How `commits[i]` was rolled back, if it was (`reverts`: every commit that reverts another,
/// by index, with the id it names): the earliest of a revert by a later commit,
/// and the later commit within `window_s` that brings the removals of its significant added
/// infrastructure lines (same file, same text) to at least half of them.
fn rollback_of(
    commits: &[HistoryCommit],
    reverts: &[(usize, &str)],
    i: usize,
    window_s: i64,
) -> Option<(usize, RollbackKind)> {
    let c = &commits[i];
    let later = || commits.iter().enumerate().skip(i + 1);
    let revert = reverts
        .iter()
        .find(|&&(j, id)| j > i && c.id.starts_with(id))
        .map(|&(j, _)| (j, RollbackKind::Revert));
    let mut left: HashMap<(&str, &str), usize> = HashMap::new();
    let mut total = 0;
    for f in c.files.iter().filter(|f| f.kind.is_infrastructure()) {
        for line in f.added.iter().filter(|l| significant(l)) {
            *left.entry((&f.path, line)).or_default() += 1;
            total += 1;
        }
    }
    let mut removed = 0;
    let removal = (total > 0)
        .then(|| {
            later()
                .take_while(|(_, d)| d.time - c.time <= window_s)
                .find(|(_, d)| {
                    for f in &d.files {
                        for line in &f.removed {
                            if let Some(n) = left.get_mut(&(f.path.as_str(), line.as_str()))
                                && *n > 0
                            {
                                *n -= 1;
                                removed += 1;
                            }
                        }
                    }
                    removed * 2 >= total
                })
                .map(|(j, _)| (j, RollbackKind::Removed))
        })
        .flatten();
    match (revert, removal) {
        (Some(r), Some(d)) => Some(if d.0 < r.0 { d } else { r }),
        (r, d) => r.or(d),
    }
}

/// The history signals of `commits` (oldest first, as read from `range`), with added lines
/// removed within `window_days` counting as a rollback.
pub fn history_stats(commits: &[HistoryCommit], range: &str, window_days: u32) -> HistoryStats {
    let window_s = i64::from(window_days) * 86_400;
    let mut weeks: BTreeMap<String, (Volume, Volume)> = BTreeMap::new();
    let mut totals = (Volume::empty(), Volume::empty());
    let mut rollbacks = Vec::new();
    let reverts: Vec<(usize, &str)> = commits
        .iter()
        .enumerate()
        .filter_map(|(j, r)| Some((j, r.reverts.as_deref()?)))
        .collect();
    for (i, c) in commits.iter().enumerate() {
        let week = weeks
            .entry(iso_week(c.time))
            .or_insert_with(|| (Volume::empty(), Volume::empty()));
        let (w, t) = if c.ai {
            (&mut week.0, &mut totals.0)
        } else {
            (&mut week.1, &mut totals.1)
        };
        w.add(c);
        t.add(c);
        if !is_infrastructure(c) {
            continue;
        }
        if let Some((j, kind)) = rollback_of(commits, &reverts, i, window_s) {
            rollbacks.push(Rollback {
                commit: c.id.clone(),
                ai: c.ai,
                by: commits[j].id.clone(),
                kind,
                after_s: commits[j].time - c.time,
            });
        }
    }
    let class = |ai: bool, volume: Volume| {
        let mine: Vec<&Rollback> = rollbacks.iter().filter(|r| r.ai == ai).collect();
        ClassHistory {
            rolled_back: mine.len(),
            reverted: mine
                .iter()
                .filter(|r| r.kind == RollbackKind::Revert)
                .count(),
            rollback_rate: rate(mine.len(), volume.commits),
            time_to_remediate_s: Spread::of(
                mine.iter()
                    .map(|r| r.after_s.max(0).unsigned_abs())
                    .collect(),
            ),
            volume,
        }
    };
    HistoryStats {
        range: range.to_string(),
        rollback_window_days: window_days,
        weeks: weeks
            .into_iter()
            .filter(|(_, (ai, human))| ai.commits + human.commits > 0)
            .map(|(week, (ai, human))| WeekVolume { week, ai, human })
            .collect(),
        ai: class(true, totals.0),
        human: class(false, totals.1),
        rollbacks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(
        id: &str,
        day: i64,
        ai: bool,
        reverts: Option<&str>,
        added: &[&str],
        removed: &[&str],
    ) -> HistoryCommit {
        let lines = |ls: &[&str]| ls.iter().map(|l| l.to_string()).collect();
        HistoryCommit {
            id: id.into(),
            time: 1_772_409_600 + day * 86_400,
            ai,
            reverts: reverts.map(str::to_string),
            files: vec![CommitFile {
                path: "main.tf".into(),
                kind: FileKind::Terraform,
                hunks: 1,
                lines: added.len() + removed.len(),
                added: lines(added),
                removed: lines(removed),
            }],
        }
    }

    #[test]
    fn reverts_are_read_from_git_revert_messages() {
        assert_eq!(
            reverted_commit(
                "Revert \"x\"\n\nThis reverts commit 0123456789ABCDEF0123456789abcdef01234567.\n"
            ),
            Some("0123456789abcdef0123456789abcdef01234567".into())
        );
        assert_eq!(reverted_commit("This reverts commit 12ab."), None);
        assert_eq!(reverted_commit("Revert a change"), None);
    }

    #[test]
    fn removals_within_the_window_roll_back_half_the_lines_or_more() {
        let a = ["a = 1", "b = 2", "c = 3", "}"];
        let commits = [
            commit("aaaa", 0, true, None, &a, &[]),
            // One of three significant lines removed on day 1, a second on day 3: rolled back.
            commit("bbbb", 1, false, None, &[], &["a = 1", "}"]),
            commit("cccc", 3, false, None, &["x = 1"], &["b = 2"]),
            // Removed only after the 14-day window: not a rollback.
            commit("dddd", 20, true, None, &[], &["x = 1"]),
        ];
        let s = history_stats(&commits, "HEAD", 14);
        assert_eq!(s.rollbacks.len(), 1);
        let r = &s.rollbacks[0];
        assert_eq!(
            (r.commit.as_str(), r.by.as_str(), r.kind, r.after_s),
            ("aaaa", "cccc", RollbackKind::Removed, 3 * 86_400)
        );
        assert_eq!(
            (s.ai.volume.commits, s.ai.rolled_back, s.ai.rollback_rate),
            (2, 1, Some(0.5))
        );
        assert_eq!((s.human.volume.commits, s.human.rolled_back), (2, 0));
        assert_eq!(s.ai.time_to_remediate_s.median, Some(3 * 86_400));
        assert_eq!(
            s.weeks.iter().map(|w| w.week.as_str()).collect::<Vec<_>>(),
            ["2026-W10", "2026-W12"]
        );
        assert_eq!(s.weeks[0].ai.lines, 4);
        assert_eq!(s.weeks[0].human.lines, 4);
    }

    #[test]
    fn a_revert_counts_whenever_it_comes() {
        let commits = [
            commit("abcdef1234", 0, false, None, &["a = 1"], &[]),
            commit("ffff", 40, true, Some("abcdef1"), &[], &["a = 1"]),
        ];
        let s = history_stats(&commits, "HEAD", 14);
        assert_eq!(s.human.rolled_back, 1);
        assert_eq!(s.human.reverted, 1);
        assert_eq!(s.rollbacks[0].after_s, 40 * 86_400);
        assert_eq!(s.ai.rollback_rate, Some(0.0));
    }
}
