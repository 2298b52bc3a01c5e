//! The git range source through the real binary, on real repositories: statuses, hunk counts
//! and line counts agree with git itself; hunk ids behave as SPEC §3 says.

mod common;

use std::collections::BTreeMap;

use common::{Repo, every_kind_of_change, git, git_cli, hunks_of};
use serde_json::Value;

fn by_path(doc: &Value) -> BTreeMap<String, &Value> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f))
        .collect()
}

fn text_hunks(file: &Value) -> usize {
    file["hunks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"]["type"] == "text")
        .count()
}

/// Every file gets the right status and content kind.
#[test]
fn statuses_of_every_kind_of_change() {
    let r = every_kind_of_change();
    let doc = r.show_json(&["main..feature"]);
    let files = by_path(&doc);
    let status = |p: &str| {
        (
            files[p]["status"].as_str().unwrap(),
            files[p]["content"].as_str().unwrap(),
        )
    };
    assert_eq!(status("edit.tf"), ("modified", "text"));
    assert_eq!(status("new.tf"), ("added", "text"));
    assert_eq!(status("delete.tf"), ("deleted", "text"));
    assert_eq!(status("moved/same.tf"), ("renamed", "text"));
    assert_eq!(status("moved/edited.tf"), ("renamed", "text"));
    assert_eq!(status("run.sh"), ("mode_changed", "text"));
    assert_eq!(status("image.bin"), ("added", "binary"));
    assert_eq!(status("latin1.tf"), ("added", "text"));
    assert_eq!(files["moved/edited.tf"]["old_path"], "edited.tf");
    assert_eq!(files["run.sh"]["new_mode"], "100755");
    // A pure rename and a mode change are decided as metadata hunks of their own.
    assert_eq!(files["moved/same.tf"]["hunks"][0]["kind"]["type"], "meta");
    assert_eq!(
        files["run.sh"]["hunks"][0]["lines"][1]["text"],
        "new mode 100755"
    );
    assert_eq!(files["image.bin"]["hunks"][0]["kind"]["type"], "binary");
    // Invalid UTF-8 is kept: lossy text for display, the exact bytes in hex.
    let line = &files["latin1.tf"]["hunks"][0]["lines"][0];
    assert_eq!(line["text_hex"], "2320636166e9203d2022ff22");
}

/// Statuses, line counts and hunk counts agree with `git diff` of the same range.
#[test]
fn agrees_with_git_diff() {
    if git_cli().is_none() {
        return;
    }
    let r = every_kind_of_change();
    let doc = r.show_json(&["main..feature"]);
    let files = by_path(&doc);
    let range = ["-M", "-C", "main...feature"];
    let name_status = String::from_utf8(git(
        r.path(),
        &[&["diff", "--name-status"][..], &range].concat(),
    ))
    .unwrap();
    let numstat = String::from_utf8(git(
        r.path(),
        &[&["diff", "--numstat"][..], &range].concat(),
    ))
    .unwrap();
    let patch =
        String::from_utf8_lossy(&git(r.path(), &[&["diff"][..], &range].concat())).into_owned();
    assert_eq!(name_status.lines().count(), files.len(), "{name_status}");
    for line in name_status.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let path = parts.last().unwrap();
        let ours = files[*path]["status"].as_str().unwrap();
        let letter = match ours {
            "modified" | "mode_changed" => "M",
            "added" => "A",
            "deleted" => "D",
            "renamed" => "R",
            "copied" => "C",
            other => panic!("{other}"),
        };
        assert!(
            parts[0].starts_with(letter),
            "{path}: git {} vs ours {ours}",
            parts[0]
        );
    }
    for line in numstat.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let path = parts[2]
            .rsplit(" => ")
            .next()
            .unwrap()
            .trim_end_matches('}');
        let path = if parts[2].contains('{') {
            // `moved/{ => }` style is not used for top-level renames; keep git's target.
            parts[2]
                .replace("{", "")
                .replace("}", "")
                .rsplit(" => ")
                .next()
                .unwrap()
                .to_string()
        } else {
            path.to_string()
        };
        let f = files[path.as_str()];
        if parts[0] == "-" {
            assert_eq!(f["content"], "binary", "{path}");
        } else {
            assert_eq!(
                f["additions"].as_u64().unwrap().to_string(),
                parts[0],
                "{path} additions"
            );
            assert_eq!(
                f["deletions"].as_u64().unwrap().to_string(),
                parts[1],
                "{path} deletions"
            );
        }
    }
    // Hunk counts per file, from the `@@` headers of git's own patch.
    let mut git_hunks: BTreeMap<String, usize> = BTreeMap::new();
    let mut current = String::new();
    for line in patch.lines() {
        if let Some(rest) = line.strip_prefix("diff --git ") {
            current = rest.rsplit(" b/").next().unwrap().to_string();
            git_hunks.entry(current.clone()).or_default();
        } else if line.starts_with("@@ ") {
            *git_hunks.get_mut(&current).unwrap() += 1;
        }
    }
    for (path, count) in git_hunks {
        assert_eq!(text_hunks(files[path.as_str()]), count, "{path} hunk count");
    }
}

fn ids_of(doc: &Value, path: &str) -> Vec<String> {
    hunks_of(doc, path)
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

const BLOCK: &str = "resource \"aws_security_group\" \"web\" {\n  name = \"web\"\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    cidr_blocks = [\"10.0.0.0/8\"]\n  }\n}\n";

/// A repo whose feature branch edits one line of BLOCK, with `prefix` above it on both sides.
fn edited_block(prefix: &str, context_edit: bool, added_edit: bool) -> Vec<String> {
    let r = Repo::new();
    // `from_port` is within the three lines of context above the edited line.
    let base = if context_edit {
        BLOCK.replace("from_port   = 443", "from_port   = 8443")
    } else {
        BLOCK.to_string()
    };
    r.write("sg.tf", format!("{prefix}{base}"));
    r.commit("base");
    let open = if added_edit {
        "[\"0.0.0.0/0\", \"::/0\"]"
    } else {
        "[\"0.0.0.0/0\"]"
    };
    r.branch("feature").write(
        "sg.tf",
        format!("{prefix}{}", base.replace("[\"10.0.0.0/8\"]", open)),
    );
    r.commit("open it");
    ids_of(&r.show_json(&["main..feature"]), "sg.tf")
}

/// Lines inserted above a hunk (on both sides) keep its id; editing any line of the hunk or
/// of its context changes it.
#[test]
fn hunk_ids_survive_shifts_and_change_with_content() {
    let original = edited_block("", false, false);
    assert_eq!(original.len(), 1);
    let shifted = edited_block(&"# a comment line\n".repeat(30), false, false);
    assert_eq!(shifted, original, "shifting the hunk down must keep its id");
    let context_changed = edited_block("", true, false);
    assert_ne!(context_changed, original, "a context line changed");
    let added_changed = edited_block("", false, true);
    assert_ne!(added_changed, original, "an added line changed");
}

/// Two hunks with the same content in one file get different ids.
#[test]
fn identical_hunks_get_distinct_ids() {
    let r = Repo::new();
    let filler = "# filler\n".repeat(10);
    r.write("sg.tf", format!("{BLOCK}{filler}{BLOCK}{filler}"));
    r.commit("base");
    let open = BLOCK.replace("[\"10.0.0.0/8\"]", "[\"0.0.0.0/0\"]");
    r.branch("feature")
        .write("sg.tf", format!("{open}{filler}{open}{filler}"));
    r.commit("open both");
    let doc = r.show_json(&["main..feature"]);
    let hunks = hunks_of(&doc, "sg.tf");
    assert_eq!(hunks.len(), 2);
    let text = |h: &Value| {
        h["lines"]
            .to_string()
            .replace(|c: char| c.is_ascii_digit(), "")
    };
    assert_eq!(
        text(&hunks[0]),
        text(&hunks[1]),
        "the two hunks have the same content"
    );
    assert_ne!(hunks[0]["id"], hunks[1]["id"]);
}

/// With no range, the change is HEAD against its merge-base with the default branch, and
/// `origin/HEAD` wins over a local `main`.
#[test]
fn default_range_follows_the_default_branch() {
    let r = Repo::new();
    r.write("a.tf", "a = 1\n");
    r.commit("base");
    r.branch("feature").write("a.tf", "a = 2\n");
    r.commit("feature");
    let default = r.show_json(&[]);
    assert_eq!(default["files"][0]["path"], "a.tf");
    assert_eq!(default["source"]["spec"], "main...HEAD");
    // origin/HEAD -> origin/trunk, where trunk is the feature commit: nothing to review.
    let head = r.repo.head().unwrap().target().unwrap();
    r.repo
        .reference("refs/remotes/origin/trunk", head, true, "test")
        .unwrap();
    r.repo
        .reference_symbolic(
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/trunk",
            true,
            "test",
        )
        .unwrap();
    let doc = r.show_json(&[]);
    assert_eq!(doc["source"]["spec"], "origin/trunk...HEAD");
    assert_eq!(doc["summary"]["hunks"], 0);
}

/// `A...B` and `A..B` both review what B adds since the merge-base, even when A moved on.
#[test]
fn ranges_use_the_merge_base() {
    let r = Repo::new();
    r.write("a.tf", "a = 1\n");
    r.commit("base");
    r.branch("feature").write("b.tf", "b = 1\n");
    r.commit("feature");
    r.checkout("main").write("c.tf", "c = 1\n");
    r.commit("main moved on");
    for range in ["main..feature", "main...feature"] {
        let doc = r.show_json(&[range]);
        let paths: Vec<&str> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["b.tf"], "{range}");
    }
}

/// Not a repository, an unknown revision: one line on stderr naming it, exit 2.
#[test]
fn input_errors_exit_2_with_a_named_cause() {
    let empty = tempfile::tempdir().unwrap();
    let out = common::countersign_in(empty.path(), &["show", "main..feature"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a git repository"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let r = Repo::new();
    r.write("a.tf", "a = 1\n");
    r.commit("base");
    let out = r.countersign(&["show", "main..nope"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("revision nope"), "{err}");
}

/// Hostile characters in a file never reach the terminal raw.
#[test]
fn show_escapes_hostile_characters() {
    let r = Repo::new();
    r.write("iam.tf", "x = 1\n");
    r.commit("base");
    r.branch("feature").write(
        "iam.tf",
        "x = 1\n  Action = \"*\"\x1b[2K\r  Resource = \"s3\" # \u{202E}txet\n",
    );
    r.commit("hide it");
    for color in ["never", "always"] {
        let out = r.countersign(&["show", "main..feature", "--no-pager", "--color", color]);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        // The only ESC bytes allowed are our own SGR colour sequences (`ESC [ digits ; … m`).
        let mut parts = text.split('\x1b');
        let mut plain = parts.next().unwrap().to_string();
        assert!(
            color == "always" || text == plain,
            "no colour asked, yet ESC: {text:?}"
        );
        for part in parts {
            let params = part
                .strip_prefix('[')
                .unwrap_or_else(|| panic!("raw ESC: {part:?}"));
            let end = params
                .find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .unwrap();
            assert_eq!(&params[end..=end], "m", "not an SGR sequence: {part:?}");
            plain.push_str(&params[end + 1..]);
        }
        assert!(
            !plain.contains('\r') && !plain.contains('\u{202E}'),
            "{color}: {plain:?}"
        );
        assert!(
            plain.contains("␛[2K") && plain.contains("␍") && plain.contains("⟨U+202E⟩"),
            "{color}: {plain}"
        );
    }
}

/// Sets a gitlink (submodule pointer) at `path` in the index and commits it.
fn commit_gitlink(r: &Repo, path: &str, target: &str, message: &str) {
    let mut index = r.repo.index().unwrap();
    let mut entry = index.get_path(std::path::Path::new("a.tf"), 0).unwrap();
    entry.path = path.as_bytes().to_vec();
    entry.mode = 0o160000;
    entry.id = git2::Oid::from_str(target).unwrap();
    entry.file_size = 0;
    index.add(&entry).unwrap();
    let tree = r.repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Test", "test@example.com").unwrap();
    let parent = r.repo.head().unwrap().peel_to_commit().unwrap();
    r.repo
        .commit(Some("HEAD"), &sig, &sig, message, &tree, &[&parent])
        .unwrap();
}

/// A submodule pointer move is one decidable hunk naming both commits.
#[test]
fn submodule_pointer_moves_are_shown() {
    let r = Repo::new();
    r.write("a.tf", "a = 1\n");
    r.commit("base");
    commit_gitlink(
        &r,
        "vendor/modules",
        "1111111111111111111111111111111111111111",
        "add submodule",
    );
    r.branch("feature");
    commit_gitlink(
        &r,
        "vendor/modules",
        "2222222222222222222222222222222222222222",
        "bump submodule",
    );
    let doc = r.show_json(&["main..feature"]);
    let file = &doc["files"][0];
    assert_eq!(file["path"], "vendor/modules");
    assert_eq!(file["content"], "submodule");
    let hunk = &file["hunks"][0];
    assert_eq!(hunk["kind"]["type"], "submodule");
    let texts: Vec<&str> = hunk["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Subproject commit 1111111111111111111111111111111111111111",
            "Subproject commit 2222222222222222222222222222222222222222"
        ]
    );
}

/// `.gitattributes` marking a text file binary (or `-diff`) is honoured.
#[test]
fn gitattributes_binary_is_honoured() {
    let r = Repo::new();
    r.write(".gitattributes", "*.lock binary\nsecrets.tfvars -diff\n")
        .write("deps.lock", "a = 1\n")
        .write("secrets.tfvars", "token = \"x\"\n");
    r.commit("base");
    r.branch("feature")
        .write("deps.lock", "a = 2\n")
        .write("secrets.tfvars", "token = \"y\"\n");
    r.commit("bump");
    let doc = r.show_json(&["main..feature"]);
    for path in ["deps.lock", "secrets.tfvars"] {
        let hunks = hunks_of(&doc, path);
        assert_eq!(hunks.len(), 1, "{path}");
        assert_eq!(hunks[0]["kind"]["type"], "binary", "{path}");
    }
}

/// `-U N` sets the context around changes, like git's.
#[test]
fn unified_context_option() {
    let r = Repo::new();
    let body: String = (1..=30).map(|i| format!("line{i} = {i}\n")).collect();
    r.write("a.tf", &body);
    r.commit("base");
    r.branch("feature")
        .write("a.tf", body.replace("line15 = 15", "line15 = 0"));
    r.commit("edit");
    let lines = |u: &str| {
        hunks_of(&r.show_json(&["main..feature", "-U", u]), "a.tf")[0]["lines"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(lines("3"), 8);
    assert_eq!(lines("0"), 2);
    assert_eq!(lines("10"), 22);
}
