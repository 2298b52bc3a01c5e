//! `countersign stats` through the real binary, on a store of scripted reviews written through
//! the library (several reviewers, rejections, fast approvals, a bulk approval, an abandoned
//! and an interrupted session): every count, rate and percentile it reports is recomputed
//! here from the same reviews' final states.

mod review_support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use countersign::policy::finding::Origin;
use countersign::review::state::Decision;
use countersign::review::{Action, Options, State, update};
use countersign::session::record::Ending;
use review_support::{demo_loaded, say, write_session};
use serde_json::Value;

/// The rubber-stamp threshold the test's config sets.
const MIN_DWELL_MS: u64 = 5_000;

/// Actions of a review taken `step` ms apart: every hunk read to its end, then approved
/// (justified when it asks), rejected when its index is in `reject`, the first file approved
/// in bulk when `bulk`; stops after `decide` decisions, and finishes when all are decided.
fn drive(
    state: &mut State,
    step: u64,
    reject: &[usize],
    bulk: bool,
    decide: usize,
) -> Vec<(u64, Action)> {
    let mut out = Vec::new();
    let mut act = |state: &mut State, action: Action| {
        let ms = state.now_ms + step;
        update(state, action, ms);
        out.push((ms, action));
    };
    act(
        state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    if bulk {
        act(state, Action::ApproveFile);
        say(state, "generated table of contents, no code", &mut act);
    }
    let mut decided = state.decisions.iter().filter(|d| d.is_some()).count();
    while let Some(i) = state.decisions.iter().position(Option::is_none) {
        if decided >= decide {
            return out;
        }
        if state.cursor != i {
            act(state, Action::NextHunk);
            continue;
        }
        for _ in 0..state.layout.rows.len() {
            act(state, Action::Scroll { rows: 1 });
        }
        if reject.contains(&i) {
            act(state, Action::Reject);
            say(state, "scope it down", &mut act);
        } else {
            act(state, Action::Approve);
            if state.prompt.is_some() {
                say(
                    state,
                    "accepted for the migration, removed by CHG-42",
                    &mut act,
                );
            }
        }
        decided += 1;
    }
    act(state, Action::Finish);
    act(state, Action::Submit);
    out
}

/// A reviewed session as the test knows it.
struct Known {
    reviewer: &'static str,
    week: &'static str,
    finished: bool,
    state: State,
}

/// One decided hunk.
struct Decided {
    reviewer: &'static str,
    week: &'static str,
    ai: bool,
    approved: bool,
    in_bulk: bool,
    dwell: u64,
    findings: Vec<(String, &'static str)>,
}

fn nearest_rank(values: &[u64], p: usize) -> Value {
    let mut v = values.to_vec();
    v.sort();
    if v.is_empty() {
        return Value::Null;
    }
    let rank = (p * v.len()).div_ceil(100).max(1);
    v[rank - 1].into()
}

fn rate(part: usize, whole: usize) -> Value {
    if whole == 0 {
        Value::Null
    } else {
        (part as f64 / whole as f64).into()
    }
}

/// Writes four sessions into `store`; returns what they are, the October one last.
fn write_store(store: &Path) -> Vec<Known> {
    let loaded = demo_loaded();
    let all_ids: Vec<_> = loaded
        .state
        .change
        .hunks()
        .map(|(_, h)| h.id.clone())
        .collect();
    assert!(all_ids.len() >= 10);
    assert_eq!(
        loaded.state.options.ai_hunks.len(),
        all_ids.len(),
        "the demo commit is an agent's"
    );
    let fresh = |reviewer: &str, ai: Vec<_>| {
        State::new(
            loaded.state.change.clone(),
            loaded.state.findings.clone(),
            Options {
                reviewer: reviewer.into(),
                ai_hunks: ai,
                ..loaded.state.options.clone()
            },
        )
    };
    let sessions = [
        // (id, reviewer, start ms, week, AI hunks, step, rejected, bulk, decisions, ending)
        (
            "s1-ada",
            "Ada <ada@example.com>",
            1_794_823_200_000,
            "2026-W47",
            all_ids.clone(),
            700,
            vec![2],
            false,
            99,
            Some(Ending::Finished),
        ),
        (
            "s2-bob",
            "Bob <bob@example.com>",
            1_795_424_400_000,
            "2026-W48",
            all_ids[..6].to_vec(),
            150,
            vec![3, 7],
            true,
            99,
            Some(Ending::Finished),
        ),
        (
            "s3-cleo",
            "Cleo <cleo@example.com>",
            1_795_615_200_000,
            "2026-W48",
            Vec::new(),
            2_000,
            vec![],
            false,
            3,
            Some(Ending::Quit),
        ),
        (
            "s4-dan",
            "Dan <dan@example.com>",
            1_791_194_400_000,
            "2026-W41",
            all_ids.clone(),
            1_000,
            vec![0],
            false,
            2,
            None,
        ),
    ];
    let mut known = Vec::new();
    for (id, reviewer, start, week, ai, step, reject, bulk, decide, ending) in sessions {
        let initial = fresh(reviewer, ai);
        let mut state = initial.clone();
        let actions = drive(&mut state, step, &reject, bulk, decide);
        assert_eq!(state.decided(), decide.min(all_ids.len()), "{id}");
        write_session(
            &store.join(format!("{id}.jsonl")),
            id,
            start,
            &initial,
            &loaded.policy_bundle,
            &actions,
            ending,
        );
        known.push(Known {
            reviewer,
            week,
            finished: ending == Some(Ending::Finished),
            state,
        });
    }
    known
}

fn decided_hunks(sessions: &[Known]) -> Vec<Decided> {
    let mut out = Vec::new();
    for s in sessions {
        for (i, d) in s.state.decisions.iter().enumerate() {
            let Some(d) = d else { continue };
            let h = &s.state.hunks[i];
            out.push(Decided {
                reviewer: s.reviewer,
                week: s.week,
                ai: h.ai,
                approved: d.decision.is_approval(),
                in_bulk: matches!(d.decision, Decision::ApprovedInBulk { .. }),
                dwell: d.dwell_ms,
                findings: h
                    .findings
                    .iter()
                    .map(|&f| &s.state.findings[f])
                    .filter(|f| f.origin == Origin::Introduced)
                    .map(|f| (f.rule.clone(), f.severity.word()))
                    .collect(),
            });
        }
    }
    out
}

fn class_json(hunks: &[&Decided]) -> Value {
    let n = hunks.len();
    let rejected = hunks.iter().filter(|h| !h.approved).count();
    let mut by_severity: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for h in hunks {
        for (rule, sev) in &h.findings {
            *by_severity.entry(sev).or_default() += 1;
            *by_rule.entry(rule.clone()).or_default() += 1;
        }
    }
    let per_100 = |c: &usize| Value::from(*c as f64 * 100.0 / n as f64);
    let dwell: Vec<u64> = hunks.iter().map(|h| h.dwell).collect();
    serde_json::json!({
        "reviewed": n,
        "approved": n - rejected,
        "rejected": rejected,
        "rejection_rate": rate(rejected, n),
        "findings_per_100_hunks": {
            "by_severity": by_severity.iter().map(|(k, c)| (k.to_string(), per_100(c))).collect::<serde_json::Map<_, _>>(),
            "by_rule": by_rule.iter().map(|(k, c)| (k.clone(), per_100(c))).collect::<serde_json::Map<_, _>>(),
        },
        "time_to_decision_ms": {
            "count": n,
            "median": nearest_rank(&dwell, 50),
            "p90": nearest_rank(&dwell, 90),
        },
        "rubber_stamps": hunks.iter().filter(|h| h.approved && !h.in_bulk && h.dwell < MIN_DWELL_MS).count(),
    })
}

fn tally(hunks: &[&Decided]) -> Value {
    let n = hunks.len();
    let rejected = hunks.iter().filter(|h| !h.approved).count();
    serde_json::json!({"reviewed": n, "approved": n - rejected, "rejected": rejected, "rejection_rate": rate(rejected, n)})
}

fn stats(dir: &Path, extra: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args([
            "--store", "store", "--config", "cs.toml", "stats", "--format", "json",
        ])
        .args(extra)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn stats_json_reports_what_the_reviews_add_up_to() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("store")).unwrap();
    std::fs::write(dir.path().join("cs.toml"), "[stats]\nmin_dwell = \"5s\"\n").unwrap();
    let mut known = write_store(&dir.path().join("store"));
    let report = stats(dir.path(), &["--since", "2026-11-01"]);
    known.pop(); // Dan's October session is before --since.
    let hunks = decided_hunks(&known);
    let select = |f: &dyn Fn(&Decided) -> bool| hunks.iter().filter(|h| f(h)).collect::<Vec<_>>();
    // The scripts must exercise what is measured.
    let ai = select(&|h| h.ai);
    let human = select(&|h| !h.ai);
    assert!(!ai.is_empty() && !human.is_empty());
    assert!(ai.iter().any(|h| !h.approved) && human.iter().any(|h| !h.approved));
    assert!(hunks.iter().any(|h| h.in_bulk));
    assert!(
        hunks
            .iter()
            .any(|h| h.approved && !h.in_bulk && h.dwell < MIN_DWELL_MS)
    );
    assert!(hunks.iter().any(|h| h.approved && h.dwell >= MIN_DWELL_MS));
    assert!(hunks.iter().any(|h| !h.findings.is_empty()));

    let finished = known.iter().filter(|s| s.finished).count();
    assert_eq!(
        report["sessions"],
        serde_json::json!({"total": 3, "finished": finished, "abandoned": 3 - finished})
    );
    assert_eq!(finished, 2);
    assert_eq!(report["min_dwell_ms"], MIN_DWELL_MS);
    let weeks: Vec<Value> = ["2026-W47", "2026-W48"]
        .iter()
        .map(|w| {
            serde_json::json!({
                "week": w,
                "ai": tally(&select(&|h| h.week == *w && h.ai)),
                "human": tally(&select(&|h| h.week == *w && !h.ai)),
            })
        })
        .collect();
    assert_eq!(report["weeks"], Value::from(weeks));
    assert_eq!(report["ai"], class_json(&ai));
    assert_eq!(report["human"], class_json(&human));
    assert_eq!(report["all"], class_json(&hunks.iter().collect::<Vec<_>>()));
    let reviewers: Vec<Value> = [
        "Ada <ada@example.com>",
        "Bob <bob@example.com>",
        "Cleo <cleo@example.com>",
    ]
    .iter()
    .map(|r| {
        let approvals = select(&|h| h.reviewer == *r && h.approved && !h.in_bulk);
        let stamps = approvals.iter().filter(|h| h.dwell < MIN_DWELL_MS).count();
        serde_json::json!({
            "reviewer": r,
            "approvals": approvals.len(),
            "rubber_stamps": stamps,
            "rubber_stamp_rate": rate(stamps, approvals.len()),
        })
    })
    .collect();
    assert_eq!(report["reviewers"], Value::from(reviewers));

    // Without --since the interrupted October session counts too, as abandoned.
    let everything = stats(dir.path(), &[]);
    assert_eq!(everything["sessions"]["total"], 4);
    assert_eq!(everything["sessions"]["abandoned"], 2);
    assert_eq!(everything["weeks"][0]["week"], "2026-W41");
    assert_eq!(
        everything["all"]["reviewed"],
        report["all"]["reviewed"].as_u64().unwrap() + 2
    );
}

#[test]
fn stats_text_draws_the_weeks_and_reviewers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("store")).unwrap();
    std::fs::write(dir.path().join("cs.toml"), "[stats]\nmin_dwell = \"5s\"\n").unwrap();
    write_store(&dir.path().join("store"));
    let out = Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args(["--store", "store", "--config", "cs.toml", "stats"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "4 sessions: 2 finished, 2 abandoned",
        "less than 5s on the hunk",
        "2026-W41",
        "2026-W48",
        "time to decision (median / p90)",
        "Bob <bob@example.com>",
        "█",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
}
