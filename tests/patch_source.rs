//! The patch source through the real binary: `git diff` and `git format-patch` output of
//! real repositories loads into exactly the model the repository itself gives (same files,
//! statuses, hunks, lines and hunk ids), and malformed patches are rejected with their line.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{Repo, every_kind_of_change, git, git_cli};
use serde_json::Value;

/// The parts of a `show --format json` document that describe the change itself.
fn model(doc: &Value) -> Vec<Value> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut f = f.clone();
            // git2 cannot report the similarity of an edited rename; git's patch can.
            f.as_object_mut().unwrap().remove("similarity");
            // A patch does not carry blob sizes, which the repository shows in binary titles.
            if f["content"] == "binary" {
                f["hunks"][0].as_object_mut().unwrap().remove("title");
            }
            f
        })
        .collect()
}

/// A repository with every kind of change plus paths git must quote.
fn scenario() -> Repo {
    let r = every_kind_of_change();
    r.write("dir with space/\u{e4}.tf", "name = \"quoted path\"\n")
        .write("edit.tf", "# edited twice\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"logs\"\n  acl    = \"public-read\"\n}\n");
    r.commit("second commit");
    r
}

fn write_patch(r: &Repo, name: &str, bytes: &[u8]) -> String {
    std::fs::write(r.path().join(name), bytes).unwrap();
    name.to_string()
}

/// `git diff` output (with full blob ids, so binary hunks match too) parses into the same
/// model as the range, hunk ids included.
#[test]
fn git_diff_round_trips_to_the_same_model() {
    if git_cli().is_none() {
        return;
    }
    let r = scenario();
    let from_repo = model(&r.show_json(&["main..feature"]));
    for (name, args) in [
        (
            "full.diff",
            &["diff", "--full-index", "-M", "-C", "main...feature"][..],
        ),
        ("plain.diff", &["diff", "-M", "-C", "main...feature"][..]),
    ] {
        let patch = write_patch(&r, name, &git(r.path(), args));
        let from_patch = model(&r.show_json(&["--patch", &patch]));
        assert_eq!(from_patch.len(), from_repo.len(), "{name}");
        for (p, g) in from_patch.iter().zip(&from_repo) {
            let mut p = p.clone();
            // A pure rename's patch has no `index` line, so its modes are unknown (null).
            for mode in ["old_mode", "new_mode"] {
                if p[mode].is_null() {
                    p[mode] = g[mode].clone();
                }
            }
            if name == "plain.diff" && g["content"] == "binary" {
                // Abbreviated blob ids in `index` lines name the blob differently.
                assert_eq!(p["path"], g["path"]);
                continue;
            }
            assert_eq!(&p, g, "{name}: {}", g["path"]);
        }
    }
}

/// `git format-patch` of a single commit, and a patch from standard input, load the same.
#[test]
fn format_patch_and_stdin() {
    if git_cli().is_none() {
        return;
    }
    let r = Repo::new();
    r.write("main.tf", "a = 1\nb = 2\n");
    r.commit("base");
    r.branch("feature").write("main.tf", "a = 1\nb = 3\n");
    r.commit("change b");
    let from_repo = model(&r.show_json(&["main..feature"]));
    let mbox = git(r.path(), &["format-patch", "--stdout", "main..feature"]);
    let patch = write_patch(&r, "0001.patch", &mbox);
    assert_eq!(model(&r.show_json(&["--patch", &patch])), from_repo);

    let mut child = Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args(["show", "--format", "json", "--patch", "-"])
        .current_dir(r.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&mbox).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(model(&common::json_of(&out)), from_repo);
}

/// A series of several commits keeps each commit's hunks.
#[test]
fn format_patch_series() {
    if git_cli().is_none() {
        return;
    }
    let r = scenario();
    let mbox = git(
        r.path(),
        &["format-patch", "--stdout", "-M", "-C", "main..feature"],
    );
    let patch = write_patch(&r, "series.patch", &mbox);
    let doc = r.show_json(&["--patch", &patch]);
    let files = doc["files"].as_array().unwrap();
    let edit_tf = files.iter().filter(|f| f["path"] == "edit.tf").count();
    assert_eq!(
        edit_tf, 2,
        "edit.tf is changed by both commits of the series"
    );
}

fn expect_error(r: &Repo, name: &str, bytes: &[u8], needle: &str) {
    let patch = write_patch(r, name, bytes);
    let out = r.countersign(&["show", "--patch", &patch]);
    assert_eq!(out.status.code(), Some(2), "{name}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(needle), "{name}: expected {needle:?} in {err}");
    assert!(
        out.stdout.is_empty(),
        "{name}: nothing may be shown from a malformed patch"
    );
}

/// Truncated hunks, broken headers and counts that do not match are errors naming the line.
#[test]
fn malformed_patches_are_rejected_with_their_line() {
    if git_cli().is_none() {
        return;
    }
    let r = Repo::new();
    r.write("main.tf", "a = 1\nb = 2\nc = 3\n");
    r.commit("base");
    r.branch("feature")
        .write("main.tf", "a = 1\nb = 20\nc = 3\n");
    r.commit("edit");
    let good = String::from_utf8(git(r.path(), &["diff", "main...feature"])).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    let header_line = lines.iter().position(|l| l.starts_with("@@")).unwrap() + 1;

    let truncated = lines[..lines.len() - 1].join("\n") + "\n";
    expect_error(
        &r,
        "truncated.diff",
        truncated.as_bytes(),
        &format!("truncated.diff:{}: truncated hunk", lines.len()),
    );

    let bad_header = good.replace("@@ -1,3 +1,3 @@", "@@ -1,3 +1,three @@");
    expect_error(
        &r,
        "header.diff",
        bad_header.as_bytes(),
        &format!("header.diff:{header_line}: malformed hunk header"),
    );

    let bad_count = good.replace("@@ -1,3 +1,3 @@", "@@ -1,2 +1,3 @@");
    expect_error(&r, "count.diff", bad_count.as_bytes(), "count.diff:");

    let no_plus = good.replace("+++ b/main.tf\n", "");
    expect_error(&r, "noplus.diff", no_plus.as_bytes(), "expected `+++ `");

    let missing = r.countersign(&["show", "--patch", "does-not-exist.diff"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does-not-exist.diff: cannot read"));
}
