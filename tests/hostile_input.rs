//! Hostile, malformed and huge input (SPEC §10): binary files, files over the size limit,
//! very long lines, deeply nested and UTF-16 plans, CRLF files, an empty change and a change
//! of 10 000 files, each through the real binary on a real repository. None may panic or
//! hang; each gives a clear error naming the file, or a visible rendering.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::{Repo, countersign_in, hunks_of, json_of};
use countersign::model::sha256_hex;
use countersign::render::long_line::MAX_SHOWN_BYTES;
use countersign::source::MAX_FILE_BYTES;
use serde_json::Value;

/// Everything the run printed, stdout then stderr.
fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The run ended by itself with one of `codes`, not by a panic (exit 101) or a signal.
fn assert_exit(out: &Output, codes: &[i32]) {
    let text = said(out);
    assert!(
        out.status.code().is_some_and(|c| codes.contains(&c)),
        "exit {:?}, expected one of {codes:?}:\n{text}",
        out.status.code()
    );
    assert!(!text.contains("panicked"), "{text}");
}

/// `show RANGE --no-pager --color never` in `repo`, which must succeed.
fn show_text(repo: &Repo, range: &str) -> String {
    let out = repo.countersign(&["show", range, "--no-pager", "--color", "never"]);
    assert_exit(&out, &[0]);
    String::from_utf8(out.stdout).unwrap()
}

/// A repository whose `feature` branch changes `path` from `base` to `head`.
fn repo_changing(path: &str, base: &[u8], head: &[u8]) -> Repo {
    let repo = Repo::new();
    repo.write(path, base);
    repo.commit("base");
    repo.branch("feature").write(path, head);
    repo.commit("change");
    repo
}

#[test]
fn binary_files_are_one_summary_hunk() {
    let repo = repo_changing(
        "logo.png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00first",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00second\xff\xfe",
    );
    let doc = repo.show_json(&["main..feature"]);
    let hunks = hunks_of(&doc, "logo.png");
    assert_eq!(hunks.len(), 1, "{doc:#}");
    assert_eq!(hunks[0]["kind"]["type"], "binary");
    assert!(show_text(&repo, "main..feature").contains("logo.png (binary)"));
    assert_exit(&repo.countersign(&["check", "main..feature"]), &[0]);
}

/// The text of a file a little over the size limit: many short lines, one of them `marker`.
fn oversized_text(marker: &str) -> Vec<u8> {
    let mut text = Vec::with_capacity(MAX_FILE_BYTES as usize + 4096);
    let mut i = 0;
    while text.len() as u64 <= MAX_FILE_BYTES {
        text.extend_from_slice(format!("row {i} = \"{}\"\n", i * 7).as_bytes());
        i += 1;
    }
    text.extend_from_slice(marker.as_bytes());
    text
}

#[test]
fn files_over_the_size_limit_are_one_summary_hunk_with_size_and_sha256() {
    let (base, head) = (oversized_text("end = 1\n"), oversized_text("end = 2\n"));
    let repo = repo_changing("data/huge.tfvars", &base, &head);
    let doc = repo.show_json(&["main..feature"]);
    let file = &doc["files"][0];
    assert_eq!(file["content"], "too_large", "{file:#}");
    let hunks = hunks_of(&doc, "data/huge.tfvars");
    assert_eq!(hunks.len(), 1);
    assert_eq!(hunks[0]["kind"]["type"], "too_large");
    let lines: Vec<&str> = hunks[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    let side = |bytes: &[u8]| {
        format!(
            "file of {} bytes, sha256 {}",
            bytes.len(),
            sha256_hex(bytes)
        )
    };
    assert_eq!(lines, [side(&base), side(&head)]);

    let text = show_text(&repo, "main..feature");
    assert!(
        text.contains("data/huge.tfvars (too large to show)"),
        "{text}"
    );
    assert!(
        text.contains("@@ too large to show @@ over the 5 MiB limit"),
        "{text}"
    );
    assert!(
        text.len() < 4096,
        "the summary is short, got {} bytes",
        text.len()
    );
    // The hunk is still decided by content: another last byte is another hunk.
    let other = repo_changing("data/huge.tfvars", &base, &oversized_text("end = 3\n"));
    let other_doc = other.show_json(&["main..feature"]);
    assert_ne!(
        hunks[0]["id"],
        hunks_of(&other_doc, "data/huge.tfvars")[0]["id"]
    );
    assert_exit(&repo.countersign(&["check", "main..feature"]), &[0]);

    // A patch carrying a file that large is summarised the same way.
    let patch = repo.path().join("huge.diff");
    let mut diff =
        b"diff --git a/big.txt b/big.txt\nnew file mode 100644\n--- /dev/null\n+++ b/big.txt\n"
            .to_vec();
    let rows: Vec<&[u8]> = head
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    diff.extend_from_slice(format!("@@ -0,0 +1,{} @@\n", rows.len()).as_bytes());
    for row in &rows {
        diff.push(b'+');
        diff.extend_from_slice(row);
        diff.push(b'\n');
    }
    std::fs::write(&patch, diff).unwrap();
    let out = repo.countersign(&[
        "show",
        "--patch",
        patch.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let doc = json_of(&out);
    let hunks = hunks_of(&doc, "big.txt");
    assert_eq!(hunks.len(), 1);
    assert_eq!(hunks[0]["kind"]["type"], "too_large");
    let added = hunks[0]["lines"][0]["text"].as_str().unwrap();
    assert_eq!(
        added,
        format!(
            "hunk lines of {} bytes, sha256 {}",
            head.len(),
            sha256_hex(&head)
        )
    );
}

#[test]
fn long_lines_are_cut_on_screen_but_whole_in_the_hunk() {
    let line = |last: char| format!("policy = \"{}{last}\"\n", "A".repeat(100_000));
    let repo = repo_changing("main.tf", b"a = 1\n", line('x').as_bytes());
    let text = show_text(&repo, "main..feature");
    let longest = text.lines().map(str::len).max().unwrap();
    assert!(
        longest < MAX_SHOWN_BYTES + 200,
        "a line of {longest} bytes was printed"
    );
    let hidden = 100_000 + "policy = \"x\"".len() - MAX_SHOWN_BYTES;
    assert!(
        text.contains(&format!("⟪… {hidden} more bytes not shown⟫")),
        "no cut marker in:\n{}",
        &text[..text.len().min(600)]
    );
    // The model keeps every byte, so the id covers the part not shown.
    let doc = repo.show_json(&["main..feature"]);
    let hunk = &hunks_of(&doc, "main.tf")[0];
    let added = hunk["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "added")
        .unwrap();
    assert_eq!(
        added["text"].as_str().unwrap().len(),
        100_000 + "policy = \"x\"".len()
    );
    let other = repo_changing("main.tf", b"a = 1\n", line('y').as_bytes());
    let other_doc = other.show_json(&["main..feature"]);
    assert_ne!(hunk["id"], hunks_of(&other_doc, "main.tf")[0]["id"]);
    assert_exit(
        &repo.countersign(&["check", "main..feature", "--format", "json"]),
        &[0, 1],
    );
}

/// A plan whose `resource_changes` is `depth` arrays nested in each other.
fn nested_plan(depth: usize) -> String {
    format!(
        "{{\"format_version\":\"1.2\",\"resource_changes\":{}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

#[test]
fn deeply_nested_plans_are_an_input_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("deep.json");
    std::fs::write(&plan, nested_plan(100_000)).unwrap();
    for command in ["show", "check"] {
        let out = countersign_in(dir.path(), &[command, "--plan", plan.to_str().unwrap()]);
        assert_exit(&out, &[2]);
        let text = said(&out);
        assert!(
            text.contains("deep.json:1: invalid plan JSON: recursion limit exceeded"),
            "{text}"
        );
    }
}

/// A value nested as deep as the JSON parser allows inside a resource, a JSON document nested
/// as deep inside one of its strings, and a sensitivity mask as deep: every walker over plan
/// values (rendering, masking, ids, policies) must cope without overflowing its stack.
#[test]
fn values_nested_to_the_parser_limit_render_and_evaluate() {
    let deep = |depth: usize, leaf: &str| {
        format!("{}{leaf}{}", "{\"a\":[".repeat(depth), "]}".repeat(depth))
    };
    let inner = deep(63, "1");
    let plan = format!(
        r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_s3_bucket.b","type":"aws_s3_bucket","name":"b","change":{{"actions":["create"],"before":null,"after":{{"deep":{},"doc":{}}},"after_unknown":{{}},"before_sensitive":false,"after_sensitive":{{"deep":{}}}}}}}]}}"#,
        deep(60, "\"x\""),
        serde_json::to_string(&inner).unwrap(),
        deep(60, "true"),
    );
    serde_json::from_str::<Value>(&plan).expect("the test plan is valid JSON");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested.json");
    std::fs::write(&path, &plan).unwrap();
    let path = path.to_str().unwrap();
    let out = countersign_in(
        dir.path(),
        &["show", "--plan", path, "--no-pager", "--color", "always"],
    );
    assert_exit(&out, &[0]);
    assert!(said(&out).contains("aws_s3_bucket.b"));
    for format in ["text", "json", "sarif"] {
        let out = countersign_in(dir.path(), &["check", "--plan", path, "--format", format]);
        assert_exit(&out, &[0, 1]);
    }
}

/// The sample plan encoded as UTF-16 with a byte-order mark.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut bytes = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    bytes
}

#[test]
fn utf16_plans_with_a_bom_read_like_utf8_and_bad_ones_name_the_file() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample-plan.json");
    let text = std::fs::read_to_string(&sample).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let hunk_ids = |name: &str, bytes: Vec<u8>| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let doc = json_of(&countersign_in(
            dir.path(),
            &["show", "--plan", path.to_str().unwrap(), "--format", "json"],
        ));
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| {
                f["hunks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h["id"].clone())
            })
            .collect::<Vec<_>>()
    };
    let utf8 = hunk_ids("utf8.json", text.clone().into_bytes());
    assert!(!utf8.is_empty());
    assert_eq!(hunk_ids("le.json", utf16(&text, true)), utf8);
    assert_eq!(hunk_ids("be.json", utf16(&text, false)), utf8);

    // A lone surrogate is not text: a clear error naming the file.
    let mut broken = utf16(&text, true);
    broken.extend([0x00, 0xD8, b'}', 0x00]);
    let path = dir.path().join("broken16.json");
    std::fs::write(&path, broken).unwrap();
    let out = countersign_in(dir.path(), &["check", "--plan", path.to_str().unwrap()]);
    assert_exit(&out, &[2]);
    assert!(
        said(&out).contains("broken16.json: not valid UTF-8 or UTF-16 text"),
        "{}",
        said(&out)
    );
}

const OPEN_SG: &str = "resource \"aws_security_group\" \"db\" {\n  name = \"db\"\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";

#[test]
fn crlf_files_load_and_findings_land_on_their_lines() {
    let crlf = OPEN_SG.replace('\n', "\r\n");
    let repo = repo_changing(
        "sg.tf",
        b"# security groups\r\n",
        format!("# security groups\r\n{crlf}").as_bytes(),
    );
    let text = show_text(&repo, "main..feature");
    assert!(text.contains("cidr_blocks"), "{text}");
    let out = repo.countersign(&["check", "main..feature", "--format", "json"]);
    assert_exit(&out, &[1]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let public = findings
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .is_some_and(|m| m.contains("0.0.0.0/0"))
        })
        .unwrap_or_else(|| panic!("no public-ingress finding in {doc:#}"));
    assert_eq!(public["file"], "sg.tf");
    let start = public["lines"]["start"].as_u64().unwrap();
    assert!((2..=10).contains(&start), "{public:#}");

    // The same change as a CRLF patch.
    let patch = repo.path().join("crlf.diff");
    let mut diff = String::from(
        "diff --git a/sg.tf b/sg.tf\r\nnew file mode 100644\r\n--- /dev/null\r\n+++ b/sg.tf\r\n@@ -0,0 +1,9 @@\r\n",
    );
    for line in OPEN_SG.lines() {
        diff.push_str(&format!("+{line}\r\n"));
    }
    std::fs::write(&patch, diff).unwrap();
    let doc = json_of(&repo.countersign(&[
        "show",
        "--patch",
        patch.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(hunks_of(&doc, "sg.tf")[0]["new_lines"], 9, "{doc:#}");
}

#[test]
fn an_empty_change_shows_nothing_and_passes() {
    let repo = Repo::new();
    repo.write("main.tf", "a = 1\n");
    repo.commit("base");
    repo.branch("feature");
    repo.commit("nothing changed");
    assert!(show_text(&repo, "main..feature").contains("no changes"));
    let doc = repo.show_json(&["main..feature"]);
    assert_eq!(doc["files"], serde_json::json!([]));
    assert_exit(&repo.countersign(&["check", "main..feature"]), &[0]);

    let empty = repo.path().join("empty.diff");
    std::fs::write(&empty, "").unwrap();
    let out = repo.countersign(&["show", "--patch", empty.to_str().unwrap(), "--no-pager"]);
    assert_exit(&out, &[0]);
    assert!(said(&out).contains("no changes"));
}

#[test]
fn a_change_of_ten_thousand_files_loads_in_reasonable_time() {
    const FILES: usize = 10_000;
    let repo = Repo::new();
    repo.write("README.md", "many files\n");
    repo.commit("base");
    repo.branch("feature");
    for i in 0..FILES {
        repo.write(
            &format!("gen/{:02}/file{i}.txt", i % 100),
            format!("generated {i}\n"),
        );
    }
    repo.commit("generate");
    let started = Instant::now();
    let doc = repo.show_json(&["main..feature"]);
    assert_eq!(doc["summary"]["files"], FILES);
    assert_eq!(doc["summary"]["hunks"], FILES);
    let text = show_text(&repo, "main..feature");
    assert!(text.contains(&format!("{FILES} files, {FILES} hunks")));
    assert_exit(&repo.countersign(&["check", "main..feature"]), &[0]);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(60),
        "show and check took {took:?}"
    );
}

/// Inputs that once crashed the binary (found while writing the fuzz targets): each is now a
/// clear error naming the file and line, or the record.
#[test]
fn inputs_that_once_crashed_are_named_errors() {
    let dir = tempfile::tempdir().unwrap();
    let patch = dir.path().join("overflow.diff");
    std::fs::write(
        &patch,
        "--- a/x\n+++ b/x\n@@ -4294967295,2 +4294967295,2 @@\n a\n b\n",
    )
    .unwrap();
    let out = countersign_in(dir.path(), &["show", "--patch", patch.to_str().unwrap()]);
    assert_exit(&out, &[2]);
    assert!(
        said(&out).contains("overflow.diff:3: hunk header line numbers out of range"),
        "{}",
        said(&out)
    );

    let log = dir.path().join("cut.jsonl");
    std::fs::write(
        &log,
        format!("{{\"seq\":1}},\"hash\":\"{}€\n", "a".repeat(63)),
    )
    .unwrap();
    let out = countersign_in(dir.path(), &["replay", log.to_str().unwrap(), "--headless"]);
    assert_exit(&out, &[1, 2]);
    assert!(
        said(&out).contains("record 1: it does not end with its hash"),
        "{}",
        said(&out)
    );
}
