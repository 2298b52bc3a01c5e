//! AI authorship through the real binary: in a branch mixing commits with agent trailers, a
//! bot author's commits and people's commits, `check --format json` marks exactly the hunks
//! whose added lines an agent wrote last (git blame limited to the range), and the findings
//! on them.

mod common;

use std::collections::BTreeSet;

use common::Repo;
use serde_json::Value;

/// 2026-03-02 09:00 UTC; each commit an hour after the one before.
const T0: i64 = 1_772_442_000;

/// A Terraform file of separate variable blocks `(name, type)`, 12 lines apart, so edits to
/// different blocks make separate hunks.
fn blocks(vars: &[(&str, &str)]) -> String {
    vars.iter()
        .enumerate()
        .map(|(i, (name, ty))| {
            let spacer: String = ('a'..='g')
                .map(|c| format!("# ---- spacer {i} {c}\n"))
                .collect();
            format!("variable \"{name}\" {{\n  type = {ty}\n}}\n\n{spacer}\n")
        })
        .collect()
}

fn repo_with_mixed_authors() -> Repo {
    let r = Repo::new();
    let mut vars = [
        ("v0", "string"),
        ("v1", "string"),
        ("v2", "string"),
        ("v3", "string"),
        ("v4", "string"),
        ("v5", "string"),
    ];
    r.write("vars.tf", blocks(&vars))
        .write("old.tf", "variable \"legacy\" {}\n")
        .write(
            "k8s/app.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: safe\n",
        );
    r.commit_as("base", "Maintainer", "maint@example.com", T0);
    r.branch("feature");
    let ada = ("Ada Lovelace", "ada@example.com");
    let claude = "\n\nCo-authored-by: Claude <noreply@anthropic.com>\n";
    // 1. A person edits blocks 0 and 4.
    vars[0].0 = "human0";
    vars[4].0 = "human4";
    r.write("vars.tf", blocks(&vars));
    r.commit_as("rename v0 and v4", ada.0, ada.1, T0 + 3600);
    // 2. An agent (by trailer) edits blocks 1, 2 and 3.
    vars[1].0 = "agent1";
    vars[2].0 = "agent2";
    vars[3].0 = "agent3";
    r.write("vars.tf", blocks(&vars));
    r.commit_as(&format!("rename v1 to v3{claude}"), ada.0, ada.1, T0 + 7200);
    // 3. A bot account edits the Kubernetes file and deletes old.tf (a hunk without added
    //    lines).
    r.write(
        "k8s/app.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: bot\n",
    )
    .remove("old.tf");
    r.commit_as(
        "bot: mode",
        "copilot-swe-agent[bot]",
        "198982749+Copilot@users.noreply.github.com",
        T0 + 10_800,
    );
    // 4. A person rewrites the agent's block 2, and adds a line next to the agent's in
    //    block 3: a person touched both hunks last.
    vars[2].0 = "human2";
    vars[3].1 = "number";
    r.write("vars.tf", blocks(&vars));
    r.commit_as("take v2 and v3 back", ada.0, ada.1, T0 + 14_400);
    // 5. An agent (by a Generated-by trailer) opens a security group in a new file, and
    //    changes the type next to the person's line in block 4: the agent touched it last.
    let sg = "resource \"aws_security_group\" \"ssh\" {\n  name = \"ssh\"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n";
    vars[4].1 = "bool";
    r.write("net.tf", sg).write("vars.tf", blocks(&vars));
    r.commit_as(
        "open ssh\n\nGenerated-by: Cursor Agent",
        ada.0,
        ada.1,
        T0 + 18_000,
    );
    // 6. A colleague called Devin is no agent.
    vars[5].0 = "human5";
    r.write("vars.tf", blocks(&vars));
    r.commit_as(
        "rename v5\n\nCo-authored-by: Devin Smith <devin@example.com>",
        ada.0,
        ada.1,
        T0 + 21_600,
    );
    r
}

/// Hunks by file and first new line.
type Hunks = BTreeSet<(String, u64)>;

/// (file, first new line) of every hunk, and of those marked AI-authored.
fn hunks(report: &Value) -> (Hunks, Hunks) {
    let mut all = BTreeSet::new();
    let mut ai = BTreeSet::new();
    for h in report["hunks"].as_array().unwrap() {
        let key = (
            h["file"].as_str().unwrap().to_string(),
            h["new_start"].as_u64().unwrap(),
        );
        if h["ai_authored"] == true {
            ai.insert(key.clone());
        }
        all.insert(key);
    }
    (all, ai)
}

#[test]
fn check_json_marks_exactly_the_hunks_an_agent_wrote() {
    let r = repo_with_mixed_authors();
    let out = r.countersign(&["check", "main..feature", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (all, ai) = hunks(&report);
    let key = |f: &str, n: u64| (f.to_string(), n);
    // vars.tf: blocks are 12 lines apart; an edit at line 12·i+1 makes a hunk from line
    // 12·i−2 (3 lines of context), or from 1 for the first block.
    let expected_all: BTreeSet<_> = [
        key("vars.tf", 1),
        key("vars.tf", 10),
        key("vars.tf", 22),
        key("vars.tf", 34),
        key("vars.tf", 46),
        key("vars.tf", 58),
        key("k8s/app.yaml", 3),
        key("old.tf", 0),
        key("net.tf", 1),
    ]
    .into();
    assert_eq!(all, expected_all, "{report:#}");
    let expected_ai: BTreeSet<_> = [
        key("vars.tf", 10),     // block 1: the agent's (Co-authored-by: Claude)
        key("vars.tf", 46),     // block 4: a person's name, then the agent's type
        key("k8s/app.yaml", 3), // the bot account's
        key("old.tf", 0),       // deleted in the bot's commit: no added lines to blame
        key("net.tf", 1),       // Generated-by: Cursor Agent
    ]
    .into();
    assert_eq!(ai, expected_ai, "{report:#}");
    assert_eq!(report["summary"]["ai_hunks"], 5);
    // The open security group is flagged, and the finding carries the hunk's authorship.
    let findings = report["findings"].as_array().unwrap();
    let sg = findings
        .iter()
        .find(|f| f["rule"] == "aws-sg-public-admin-port")
        .expect("the open SSH port is found");
    assert_eq!(sg["ai_authored"], true);
    assert!(
        findings
            .iter()
            .all(|f| f["ai_authored"] == (f["file"] == "net.tf")),
        "{report:#}"
    );
}

#[test]
fn the_agent_list_and_bot_patterns_come_from_the_config() {
    let r = repo_with_mixed_authors();
    // Only Cursor is an agent, and no author is a bot.
    r.write(
        ".countersign.toml",
        "[authorship]\nagents = [\"cursor\"]\nbot_authors = []\n",
    );
    let out = r.countersign(&["check", "main..feature", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (_, ai) = hunks(&report);
    let cursor = [("net.tf".to_string(), 1), ("vars.tf".to_string(), 46)];
    assert_eq!(ai, cursor.into(), "{report:#}");
    // An unknown key stops check with the file and line.
    r.write(
        ".countersign.toml",
        "[authorship]\nagents = []\nbots = [\"x\"]\n",
    );
    let out = r.countersign(&["check", "main..feature", "--format", "json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(".countersign.toml:3") && err.contains("unknown field `bots`"),
        "{err}"
    );
}

#[test]
fn a_range_of_one_kind_of_author_is_all_or_nothing() {
    let r = Repo::new();
    r.write("a.tf", "variable \"a\" {}\n");
    r.commit_as("base", "M", "m@example.com", T0);
    r.branch("feature")
        .write("a.tf", "variable \"b\" {}\n")
        .write("b.tf", "variable \"c\" {}\n");
    r.commit_as(
        "agent work\n\nAssisted-by: Aider",
        "Ada",
        "ada@example.com",
        T0 + 60,
    );
    let report: Value = serde_json::from_slice(
        &r.countersign(&["check", "main..feature", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(report["summary"]["ai_hunks"], 2, "{report:#}");
    r.checkout("main")
        .branch("human")
        .write("c.tf", "variable \"d\" {}\n");
    r.commit_as("by hand", "Ada", "ada@example.com", T0 + 120);
    let report: Value = serde_json::from_slice(
        &r.countersign(&["check", "main..human", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(report["summary"]["ai_hunks"], 0, "{report:#}");
    assert_eq!(report["hunks"].as_array().unwrap().len(), 1);
    // A patch carries no authorship, even inside a repository of agent commits.
    r.write(
        "agent.diff",
        "diff --git a/x.tf b/x.tf\nnew file mode 100644\n--- /dev/null\n+++ b/x.tf\n@@ -0,0 +1 @@\n+variable \"x\" {}\n",
    );
    let report: Value = serde_json::from_slice(
        &r.countersign(&["check", "--patch", "agent.diff", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(report["hunks"].as_array().unwrap().len(), 1, "{report:#}");
    assert_eq!(report["hunks"][0]["ai_authored"], false);
}
