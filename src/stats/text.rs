//! The signals as text: aligned tables with small unicode bar charts. Names read from logs
//! and commits are sanitized.

use unicode_width::UnicodeWidthStr;

use super::history::{HistoryStats, RollbackKind, Volume};
use super::review_stats::{ReviewStats, Tally};
use super::spread::Spread;
use crate::render::sanitize::sanitize_str;

/// Columns a full bar takes.
const BAR_WIDTH: usize = 16;

/// A bar of `value` out of `max` followed by the value, or the value alone when the bar is
/// empty.
fn counted(value: usize, max: usize) -> String {
    format!("{} {value}", bar(value, max))
        .trim_start()
        .to_string()
}

/// A bar of `value` out of `max`, in eighths of a column.
pub fn bar(value: usize, max: usize) -> String {
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    if max == 0 {
        return String::new();
    }
    let eighths = (value * BAR_WIDTH * 8).div_ceil(max);
    let mut out = "█".repeat(eighths / 8);
    out.push_str(PARTS[eighths % 8]);
    out
}

/// Milliseconds in words: `850ms`, `4.2s`, `3m10s`, `2h05m`, `3d04h`.
pub fn duration_ms(ms: u64) -> String {
    let s = ms / 1000;
    match (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60) {
        _ if ms < 1000 => format!("{ms}ms"),
        (0, 0, 0, sec) if ms.is_multiple_of(1000) => format!("{sec}s"),
        (0, 0, 0, _) => format!("{:.1}s", ms as f64 / 1000.0),
        (0, 0, m, sec) => format!("{m}m{sec:02}s"),
        (0, h, m, _) => format!("{h}h{m:02}m"),
        (d, h, _, _) => format!("{d}d{h:02}h"),
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "–".into(), |r| format!("{:.1}%", r * 100.0))
}

fn spread(s: &Spread, scale_ms: u64) -> String {
    match (s.median, s.p90) {
        (Some(m), Some(p)) => format!(
            "{} / {}",
            duration_ms(m * scale_ms),
            duration_ms(p * scale_ms)
        ),
        _ => "–".into(),
    }
}

/// Rows of cells, aligned in columns two spaces apart.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (cell, w) in row.iter().zip(&widths) {
            line.push_str(cell);
            line.push_str(&" ".repeat(w - cell.width() + 2));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn cells<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

fn tally_cell(t: &Tally, max: usize) -> String {
    format!(
        "{} · {} rejected",
        counted(t.reviewed, max),
        percent(t.rejection_rate)
    )
}

/// The review signals as text.
pub fn reviews(s: &ReviewStats) -> String {
    let mut out = format!(
        "{} sessions: {} finished, {} abandoned · a rubber stamp is an approval after less than {} on the hunk\n\n",
        s.sessions.total,
        s.sessions.finished,
        s.sessions.abandoned,
        duration_ms(s.min_dwell_ms)
    );
    if s.all.tally.reviewed == 0 {
        out.push_str("no hunks reviewed\n");
        return out;
    }
    let max = s
        .weeks
        .iter()
        .map(|w| w.ai.reviewed.max(w.human.reviewed))
        .max()
        .unwrap_or(0);
    let mut rows = vec![cells(["hunks reviewed", "AI", "human"])];
    for w in &s.weeks {
        rows.push(vec![
            format!("  {}", w.week),
            tally_cell(&w.ai, max),
            tally_cell(&w.human, max),
        ]);
    }
    out.push_str(&table(&rows));
    out.push('\n');
    let classes = [&s.ai, &s.human, &s.all];
    let mut rows = vec![cells(["", "AI", "human", "all"])];
    let mut row = |name: &str, f: &dyn Fn(&super::review_stats::ClassReviews) -> String| {
        let mut r = vec![name.to_string()];
        r.extend(classes.iter().map(|c| f(c)));
        rows.push(r);
    };
    row("hunks reviewed", &|c| c.tally.reviewed.to_string());
    row("rejected", &|c| {
        format!("{} ({})", c.tally.rejected, percent(c.tally.rejection_rate))
    });
    row("time to decision (median / p90)", &|c| {
        spread(&c.time_to_decision_ms, 1)
    });
    row("rubber stamps", &|c| c.rubber_stamps.to_string());
    let mut severities: Vec<&str> = classes
        .iter()
        .flat_map(|c| c.findings_per_100_hunks.by_severity.keys().copied())
        .collect();
    severities.sort_by_key(|w| crate::policy::finding::Severity::parse(w).map(std::cmp::Reverse));
    severities.dedup();
    let mut rules: Vec<&String> = classes
        .iter()
        .flat_map(|c| c.findings_per_100_hunks.by_rule.keys())
        .collect();
    rules.sort();
    rules.dedup();
    if !severities.is_empty() {
        row("introduced findings per 100 hunks", &|_| String::new());
    }
    for sev in severities {
        row(&format!("  {sev}"), &|c| {
            format!(
                "{:.1}",
                c.findings_per_100_hunks
                    .by_severity
                    .get(sev)
                    .unwrap_or(&0.0)
            )
        });
    }
    for rule in rules {
        row(&format!("  {}", sanitize_str(rule)), &|c| {
            format!(
                "{:.1}",
                c.findings_per_100_hunks.by_rule.get(rule).unwrap_or(&0.0)
            )
        });
    }
    out.push_str(&table(&rows));
    if !s.reviewers.is_empty() {
        out.push('\n');
        let max = s.reviewers.iter().map(|r| r.approvals).max().unwrap_or(0);
        let mut rows = vec![cells(["rubber stamps by reviewer", "", ""])];
        for r in &s.reviewers {
            rows.push(vec![
                format!("  {}", sanitize_str(&r.reviewer)),
                counted(r.rubber_stamps, max),
                format!(
                    "of {} approvals ({})",
                    r.approvals,
                    percent(r.rubber_stamp_rate)
                ),
            ]);
        }
        out.push_str(&table(&rows));
    }
    out
}

fn volume_cell(v: &Volume, max: usize) -> String {
    format!(
        "{} commits · {} hunks · {} lines",
        counted(v.commits, max),
        v.hunks,
        v.lines
    )
}

/// The history signals as text.
pub fn history(s: &HistoryStats) -> String {
    let mut out = format!(
        "history of {} · a commit whose added lines are removed within {} days is rolled back\n\n",
        sanitize_str(&s.range),
        s.rollback_window_days
    );
    if s.ai.volume.commits + s.human.volume.commits == 0 {
        out.push_str("no infrastructure changes\n");
        return out;
    }
    let max = s
        .weeks
        .iter()
        .map(|w| w.ai.commits.max(w.human.commits))
        .max()
        .unwrap_or(0);
    let mut rows = vec![cells(["infrastructure changes", "AI", "human"])];
    for w in &s.weeks {
        rows.push(vec![
            format!("  {}", w.week),
            volume_cell(&w.ai, max),
            volume_cell(&w.human, max),
        ]);
    }
    out.push_str(&table(&rows));
    out.push('\n');
    let classes = [&s.ai, &s.human];
    let mut rows = vec![cells(["", "AI", "human"])];
    let mut row = |name: &str, f: &dyn Fn(&super::history::ClassHistory) -> String| {
        let mut r = vec![name.to_string()];
        r.extend(classes.iter().map(|c| f(c)));
        rows.push(r);
    };
    row("commits", &|c| c.volume.commits.to_string());
    for kind in super::file_kind::FileKind::ALL {
        row(&format!("  {} hunks / lines", kind.name()), &|c| {
            let k = c.volume.by_kind.get(&kind).copied().unwrap_or_default();
            format!("{} / {}", k.hunks, k.lines)
        });
    }
    row("rolled back", &|c| {
        format!("{} ({})", c.rolled_back, percent(c.rollback_rate))
    });
    row("  of them reverted", &|c| c.reverted.to_string());
    row("time to remediate (median / p90)", &|c| {
        spread(&c.time_to_remediate_s, 1000)
    });
    out.push_str(&table(&rows));
    if !s.rollbacks.is_empty() {
        out.push_str("\nrollbacks\n");
        for r in &s.rollbacks {
            let how = match r.kind {
                RollbackKind::Revert => "reverted by",
                RollbackKind::Removed => "lines removed by",
            };
            out.push_str(&format!(
                "  {} ({}) {how} {} after {}\n",
                &r.commit[..r.commit.len().min(10)],
                if r.ai { "AI" } else { "human" },
                &r.by[..r.by.len().min(10)],
                duration_ms(r.after_s.max(0).unsigned_abs() * 1000)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_grow_in_eighths_up_to_the_full_width() {
        assert_eq!(bar(0, 10), "");
        assert_eq!(bar(10, 10), "█".repeat(BAR_WIDTH));
        assert_eq!(bar(1, 16), "█");
        assert_eq!(bar(1, 128), "▏");
        assert_eq!(bar(5, 0), "");
    }

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration_ms(850), "850ms");
        assert_eq!(duration_ms(4_200), "4.2s");
        assert_eq!(duration_ms(10_000), "10s");
        assert_eq!(duration_ms(190_000), "3m10s");
        assert_eq!(duration_ms(7_500_000), "2h05m");
        assert_eq!(duration_ms(2 * 86_400_000 + 3_600_000), "2d01h");
    }
}
