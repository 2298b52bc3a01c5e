//! Session logs through the real binary: `replay --headless` prints a finished review's
//! transcript; a flipped byte is refused with its record number; a torn last line loads with a
//! warning; `sessions` lists what the store holds.

mod review_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use review_support::{demo_loaded, scripted_review, write_log};

fn countersign(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A store holding the scripted review of the demo; returns the log's path.
fn store_with_review(dir: &Path) -> PathBuf {
    let loaded = demo_loaded();
    let mut state = loaded.state.clone();
    let actions = scripted_review(&mut state, "infra/iam.tf");
    let store = dir.join("store");
    std::fs::create_dir_all(&store).unwrap();
    let path = store.join("20261124-101500-demo.jsonl");
    write_log(&path, &loaded, &actions);
    path
}

#[test]
fn headless_replay_prints_every_decision_with_its_justification() {
    let dir = tempfile::tempdir().unwrap();
    let log = store_with_review(dir.path());
    let out = countersign(&["replay", log.to_str().unwrap(), "--headless"], dir.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let transcript = text(&out.stdout);
    for needle in [
        "approved, justified: accepted for the migration, removed by CHG-42",
        "rejected: infra/iam.tf: scope it down first",
        "comment: who owns this README section?",
        "12 of 12 hunks decided · finished: changes requested",
    ] {
        assert!(
            transcript.contains(needle),
            "{needle:?} missing:\n{transcript}"
        );
    }
    insta::with_settings!({filters => vec![
        (r"sha256:[0-9a-f]{64}", "sha256:[policy bundle]"),
        (r"final hash [0-9a-f]{64}", "final hash [hash]"),
        (r"countersign \d+\.\d+\.\d+", "countersign [version]"),
    ]}, {
        insta::assert_snapshot!(transcript);
    });
    // By id from the store too.
    let out = countersign(
        &["--store", "store", "replay", "20261124", "--headless"],
        dir.path(),
    );
    assert_eq!(text(&out.stdout), transcript);
}

#[test]
fn a_flipped_byte_is_refused_with_its_record_number() {
    let dir = tempfile::tempdir().unwrap();
    let log = store_with_review(dir.path());
    let good = std::fs::read(&log).unwrap();
    let lines: Vec<usize> = good
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    // A byte inside record 6 ("ms" of an action), and one inside the first record's snapshot.
    for (at, record) in [(lines[4] + 30, 6), (lines[0] / 2, 1)] {
        let mut bad = good.clone();
        bad[at] ^= 0x01;
        std::fs::write(&log, &bad).unwrap();
        let out = countersign(&["replay", log.to_str().unwrap(), "--headless"], dir.path());
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("record {record}:")), "{err}");
        assert!(err.contains("altered"), "{err}");
        assert!(out.stdout.is_empty(), "nothing presented as genuine");
    }
}

#[test]
fn a_torn_last_line_loads_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let log = store_with_review(dir.path());
    let good = std::fs::read(&log).unwrap();
    std::fs::write(&log, &good[..good.len() - 40]).unwrap();
    let out = countersign(&["replay", log.to_str().unwrap(), "--headless"], dir.path());
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("was cut short") && err.contains("dropped"),
        "{err}"
    );
    let transcript = text(&out.stdout);
    assert!(
        transcript.contains("interrupted (no end record)"),
        "{transcript}"
    );
}

#[test]
fn sessions_lists_the_store_from_its_index_or_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    store_with_review(dir.path());
    // No index: the log is read in full.
    let out = countersign(
        &["--store", "store", "sessions", "--format", "json"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &rows[0];
    assert_eq!(row["id"], "20261124-101500-demo");
    assert_eq!(row["decided"], 12);
    assert_eq!(row["total"], 12);
    assert_eq!(row["status"], "changes requested");
    assert_eq!(row["source_key"], "git:main..feature");
    let out = countersign(&["--store", "store", "sessions"], dir.path());
    let table = text(&out.stdout);
    assert!(table.starts_with("ID "), "{table}");
    assert!(
        table.contains("20261124-101500-demo  2026-11-24 10:15"),
        "{table}"
    );
    assert!(
        table.contains("12/12") && table.contains("changes requested"),
        "{table}"
    );
    // An empty store says so.
    let out = countersign(&["--store", "empty", "sessions"], dir.path());
    assert!(text(&out.stdout).starts_with("no recorded reviews in"));
}

#[test]
fn headless_replay_as_json_lists_every_hunk_with_its_decision() {
    let dir = tempfile::tempdir().unwrap();
    let log = store_with_review(dir.path());
    let out = countersign(
        &[
            "replay",
            log.to_str().unwrap(),
            "--headless",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["session"], "20261124-101500-demo");
    assert_eq!(report["ending"], "finished");
    assert_eq!(report["verdict"], "changes_requested");
    assert_eq!(report["decided"], 12);
    let lines = std::fs::read_to_string(&log).unwrap();
    assert_eq!(report["records"], lines.lines().count());
    let last_hash = &lines.trim_end()[lines.trim_end().len() - 66..lines.trim_end().len() - 2];
    assert_eq!(report["final_hash"], last_hash);
    let hunks = report["hunks"].as_array().unwrap();
    assert_eq!(hunks.len(), 12);
    // The demo's commit carries an agent trailer: every hunk is the agent's.
    assert!(hunks.iter().all(|h| h["ai_authored"] == true));
    let rejected: Vec<&serde_json::Value> = hunks
        .iter()
        .filter(|h| h["decision"]["decision"]["decision"] == "rejected")
        .collect();
    assert_eq!(rejected.len(), 1, "{report:#}");
    assert!(
        rejected[0]["location"]
            .as_str()
            .unwrap()
            .starts_with("infra/iam.tf:")
    );
    assert_eq!(
        rejected[0]["decision"]["decision"]["reason"],
        "infra/iam.tf: scope it down first"
    );
    assert_eq!(
        rejected[0]["introduced_findings"][0]["severity"],
        "critical"
    );
    assert_eq!(hunks[0]["comments"][0], "who owns this README section?");
    assert!(
        hunks
            .iter()
            .all(|h| h["decision"]["dwell_ms"].as_u64().is_some())
    );
}
