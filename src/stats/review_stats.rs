//! The review signals of SPEC §8 from recorded reviews: hunks reviewed per ISO week by AI and
//! human authors, the rejection rate of each, introduced findings per 100 hunks, time to
//! decision, rubber stamps per reviewer, and abandoned sessions. Pure.

use std::collections::BTreeMap;

use serde::Serialize;

use super::calendar::iso_week;
use super::reviewed::{HunkDecision, ReviewedHunk, ReviewedSession};
use super::spread::Spread;

/// Everything `countersign stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewStats {
    /// How many sessions, and how they ended.
    pub sessions: SessionCounts,
    /// An approval after less time on the hunk than this is a rubber stamp.
    pub min_dwell_ms: u64,
    /// Decided hunks by the ISO week of their decision, oldest first.
    pub weeks: Vec<WeekReviews>,
    /// Hunks a coding agent wrote.
    pub ai: ClassReviews,
    /// Hunks people wrote (and every hunk of a patch or plan).
    pub human: ClassReviews,
    /// Every hunk.
    pub all: ClassReviews,
    /// Rubber stamps by reviewer, in name order.
    pub reviewers: Vec<ReviewerStamps>,
}

/// Sessions counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SessionCounts {
    /// Every session.
    pub total: usize,
    /// Finished with a verdict.
    pub finished: usize,
    /// Left or interrupted before finishing.
    pub abandoned: usize,
}

/// Decisions of one week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekReviews {
    /// `2026-W48`.
    pub week: String,
    /// On hunks a coding agent wrote.
    pub ai: Tally,
    /// On hunks people wrote.
    pub human: Tally,
}

/// Decisions counted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tally {
    /// Hunks decided.
    pub reviewed: usize,
    /// Of them approved (one by one or with their file).
    pub approved: usize,
    /// Of them rejected.
    pub rejected: usize,
    /// rejected / reviewed; `None` when nothing was reviewed.
    pub rejection_rate: Option<f64>,
}

/// The signals of one class of hunks (AI, human, or all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassReviews {
    /// Decisions.
    #[serde(flatten)]
    pub tally: Tally,
    /// Introduced findings on the decided hunks, per 100 decided hunks (a finding on two
    /// hunks counts on each).
    pub findings_per_100_hunks: FindingRates,
    /// Time on the hunk when it was decided, in milliseconds.
    pub time_to_decision_ms: Spread,
    /// Approvals one by one after less than the minimum dwell.
    pub rubber_stamps: usize,
}

/// Findings per 100 hunks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRates {
    /// By severity (`critical` … `info`); severities never seen are left out.
    pub by_severity: BTreeMap<&'static str, f64>,
    /// By rule id.
    pub by_rule: BTreeMap<String, f64>,
}

/// One reviewer's approvals and rubber stamps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewerStamps {
    /// `Name <email>`.
    pub reviewer: String,
    /// Hunks approved one by one (approvals of a whole file are deliberate, with a reason,
    /// and not counted).
    pub approvals: usize,
    /// Of them, approved after less than the minimum dwell.
    pub rubber_stamps: usize,
    /// rubber_stamps / approvals; `None` without approvals.
    pub rubber_stamp_rate: Option<f64>,
}

/// `part / whole`, `None` when `whole` is zero.
pub fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// True for an approval one by one given after less than `min_dwell_ms` on the hunk.
fn is_rubber_stamp(d: &HunkDecision, min_dwell_ms: u64) -> bool {
    d.approved && !d.in_bulk && d.dwell_ms < min_dwell_ms
}

impl Tally {
    fn of<'a>(decisions: impl Iterator<Item = &'a HunkDecision>) -> Tally {
        let (mut reviewed, mut approved) = (0, 0);
        for d in decisions {
            reviewed += 1;
            approved += usize::from(d.approved);
        }
        Tally {
            reviewed,
            approved,
            rejected: reviewed - approved,
            rejection_rate: rate(reviewed - approved, reviewed),
        }
    }
}

impl ClassReviews {
    fn of(hunks: &[(&ReviewedHunk, &HunkDecision)], min_dwell_ms: u64) -> ClassReviews {
        let n = hunks.len();
        let per_100 = |count: usize| count as f64 * 100.0 / n as f64;
        let mut by_severity: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
        for (h, _) in hunks {
            for (rule, severity) in &h.findings {
                *by_severity.entry(severity.word()).or_default() += 1;
                *by_rule.entry(rule.clone()).or_default() += 1;
            }
        }
        ClassReviews {
            tally: Tally::of(hunks.iter().map(|(_, d)| *d)),
            findings_per_100_hunks: FindingRates {
                by_severity: by_severity
                    .into_iter()
                    .map(|(k, c)| (k, per_100(c)))
                    .collect(),
                by_rule: by_rule.into_iter().map(|(k, c)| (k, per_100(c))).collect(),
            },
            time_to_decision_ms: Spread::of(hunks.iter().map(|(_, d)| d.dwell_ms).collect()),
            rubber_stamps: hunks
                .iter()
                .filter(|(_, d)| is_rubber_stamp(d, min_dwell_ms))
                .count(),
        }
    }
}

/// The signals of `sessions`, with approvals faster than `min_dwell_ms` counted as rubber
/// stamps.
pub fn review_stats(sessions: &[ReviewedSession], min_dwell_ms: u64) -> ReviewStats {
    let decided: Vec<(&ReviewedSession, &ReviewedHunk, &HunkDecision)> = sessions
        .iter()
        .flat_map(|s| {
            s.hunks
                .iter()
                .filter_map(move |h| h.decision.as_ref().map(|d| (s, h, d)))
        })
        .collect();
    let class = |ai: Option<bool>| {
        let hunks: Vec<_> = decided
            .iter()
            .filter(|(_, h, _)| ai.is_none_or(|ai| h.ai == ai))
            .map(|&(_, h, d)| (h, d))
            .collect();
        ClassReviews::of(&hunks, min_dwell_ms)
    };
    let mut weeks: BTreeMap<String, (Vec<&HunkDecision>, Vec<&HunkDecision>)> = BTreeMap::new();
    for &(_, h, d) in &decided {
        let week = weeks.entry(iso_week(d.at_ms.div_euclid(1000))).or_default();
        if h.ai { &mut week.0 } else { &mut week.1 }.push(d);
    }
    let mut reviewers: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for &(s, _, d) in &decided {
        if d.approved && !d.in_bulk {
            let r = reviewers.entry(&s.reviewer).or_default();
            r.0 += 1;
            r.1 += usize::from(is_rubber_stamp(d, min_dwell_ms));
        }
    }
    let finished = sessions.iter().filter(|s| s.finished).count();
    ReviewStats {
        sessions: SessionCounts {
            total: sessions.len(),
            finished,
            abandoned: sessions.len() - finished,
        },
        min_dwell_ms,
        weeks: weeks
            .into_iter()
            .map(|(week, (ai, human))| WeekReviews {
                week,
                ai: Tally::of(ai.into_iter()),
                human: Tally::of(human.into_iter()),
            })
            .collect(),
        ai: class(Some(true)),
        human: class(Some(false)),
        all: class(None),
        reviewers: reviewers
            .into_iter()
            .map(|(reviewer, (approvals, stamps))| ReviewerStamps {
                reviewer: reviewer.to_string(),
                approvals,
                rubber_stamps: stamps,
                rubber_stamp_rate: rate(stamps, approvals),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::finding::Severity;

    fn hunk(ai: bool, decision: Option<(bool, bool, i64, u64)>, rules: &[&str]) -> ReviewedHunk {
        ReviewedHunk {
            ai,
            decision: decision.map(|(approved, in_bulk, at_ms, dwell_ms)| HunkDecision {
                approved,
                in_bulk,
                at_ms,
                dwell_ms,
            }),
            findings: rules
                .iter()
                .map(|r| (r.to_string(), Severity::High))
                .collect(),
        }
    }

    #[test]
    fn counts_split_by_author_week_and_reviewer() {
        // 2026-11-23 (Monday of W48) and 2026-11-22 (Sunday of W47), in ms.
        let (w48, w47) = (1_795_392_000_000, 1_795_305_600_000);
        let sessions = vec![
            ReviewedSession {
                id: "a".into(),
                reviewer: "Ada".into(),
                started_ms: w47,
                finished: true,
                hunks: vec![
                    hunk(true, Some((true, false, w47, 2_000)), &["r1"]),
                    hunk(true, Some((false, false, w48, 30_000)), &["r1", "r2"]),
                    hunk(false, Some((true, true, w48, 0)), &[]),
                ],
            },
            ReviewedSession {
                id: "b".into(),
                reviewer: "Bob".into(),
                started_ms: w48,
                finished: false,
                hunks: vec![
                    hunk(false, Some((true, false, w48, 12_000)), &[]),
                    hunk(true, None, &["r3"]),
                ],
            },
        ];
        let s = review_stats(&sessions, 10_000);
        assert_eq!(
            (s.sessions.total, s.sessions.finished, s.sessions.abandoned),
            (2, 1, 1)
        );
        assert_eq!(s.weeks.len(), 2);
        assert_eq!(
            (s.weeks[0].week.as_str(), s.weeks[0].ai.reviewed),
            ("2026-W47", 1)
        );
        assert_eq!((s.weeks[1].ai.rejected, s.weeks[1].human.reviewed), (1, 2));
        assert_eq!(s.ai.tally.rejection_rate, Some(0.5));
        assert_eq!(s.human.tally.rejection_rate, Some(0.0));
        assert_eq!(s.ai.findings_per_100_hunks.by_rule["r1"], 100.0);
        assert_eq!(s.ai.findings_per_100_hunks.by_severity["high"], 150.0);
        assert!(!s.ai.findings_per_100_hunks.by_rule.contains_key("r3"));
        assert_eq!(s.all.time_to_decision_ms.count, 4);
        assert_eq!(s.all.time_to_decision_ms.median, Some(2_000));
        assert_eq!(s.all.time_to_decision_ms.p90, Some(30_000));
        // The bulk approval after 0 ms is no rubber stamp; Ada's 2 s approval is.
        assert_eq!(s.all.rubber_stamps, 1);
        assert_eq!(s.reviewers[0].reviewer, "Ada");
        assert_eq!(
            (s.reviewers[0].approvals, s.reviewers[0].rubber_stamps),
            (1, 1)
        );
        assert_eq!(s.reviewers[1].rubber_stamp_rate, Some(0.0));
    }

    #[test]
    fn nothing_reviewed_has_no_rates() {
        let s = review_stats(&[], 10_000);
        assert_eq!(s.all.tally.rejection_rate, None);
        assert_eq!(s.all.time_to_decision_ms.median, None);
        assert!(s.weeks.is_empty() && s.reviewers.is_empty());
    }
}
