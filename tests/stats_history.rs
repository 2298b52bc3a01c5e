//! `countersign stats --history` through the real binary, on a scripted history with explicit
//! commit times: agent commits (one reverted two days later, one whose lines are removed within
//! the window, one removed only after it) and people's commits (one reverted). The weekly
//! volume, rollback rates and times to remediate are recomputed here from the script.

mod common;

use std::collections::BTreeMap;

use common::Repo;
use serde_json::{Value, json};

/// 2026-03-02 09:00 UTC, a Monday (ISO week 2026-W10).
const T0: i64 = 1_772_442_000;
const DAY: i64 = 86_400;

#[derive(Clone, Copy, PartialEq)]
enum Who {
    /// A person.
    Human,
    /// An agent named in a trailer.
    Agent,
    /// A bot account.
    Bot,
}

/// One scripted commit: its day, author, message, what it does to the tree, its ISO week, and
/// the (kind, hunks, lines) it changes.
struct Step {
    day: i64,
    who: Who,
    message: String,
    week: &'static str,
    counts: Vec<(&'static str, usize, usize)>,
}

fn commit(r: &Repo, step: &Step) -> String {
    let (name, email, message) = match step.who {
        Who::Human => ("Ada", "ada@example.com", step.message.clone()),
        Who::Agent => (
            "Ada",
            "ada@example.com",
            format!(
                "{}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
                step.message
            ),
        ),
        Who::Bot => ("infra-agent[bot]", "bot@example.com", step.message.clone()),
    };
    r.commit_as(&message, name, email, T0 + step.day * DAY)
        .to_string()
}

fn revert_message(id: &str) -> String {
    format!("Revert \"…\"\n\nThis reverts commit {id}.")
}

const NET: &str = "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags = { Name = \"main\" }\n}\n";
const NET_MORE: &str = "resource \"aws_eip\" \"nat\" {\n  domain = \"vpc\"\n}\n";
const IAM: &str = "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = \"{}\"\n  path   = \"/\"\n}\n";
const DEPLOY: &str =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n";
const STACK: &str =
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";
const VARS: &str = "variable \"region\" {\n  type    = string\n  default = \"eu-west-1\"\n}\n";
const OUTPUTS: &str = "output \"a\" {\n  value = 1\n}\noutput \"b\" {\n  value = 2\n}\n";

/// Builds the history; returns its steps with their commit ids, and the ids of the rollbacks
/// expected: (rolled back, by, kind, after seconds).
#[allow(clippy::type_complexity)]
fn scripted_history(
    r: &Repo,
) -> (
    Vec<(Step, String)>,
    Vec<(String, String, &'static str, i64)>,
) {
    let mut done: Vec<(Step, String)> = Vec::new();
    let mut run = |r: &Repo, step: Step| -> String {
        let id = commit(r, &step);
        done.push((step, id.clone()));
        id
    };
    let step = |day, who, message: &str, week, counts: &[(&'static str, usize, usize)]| Step {
        day,
        who,
        message: message.into(),
        week,
        counts: counts.to_vec(),
    };
    r.write("infra/net.tf", NET);
    run(
        r,
        step(0, Who::Human, "vpc", "2026-W10", &[("terraform", 1, 4)]),
    );
    r.write("infra/iam.tf", IAM);
    let iam = run(
        r,
        step(
            1,
            Who::Agent,
            "iam policy",
            "2026-W10",
            &[("terraform", 1, 5)],
        ),
    );
    r.write("k8s/deploy.yaml", DEPLOY);
    run(
        r,
        step(
            2,
            Who::Bot,
            "deploy the api",
            "2026-W10",
            &[("kubernetes", 1, 6)],
        ),
    );
    r.remove("infra/iam.tf");
    let revert_iam = run(
        r,
        step(
            3,
            Who::Human,
            &revert_message(&iam),
            "2026-W10",
            &[("terraform", 1, 5)],
        ),
    );
    r.write("cfn/stack.yaml", STACK)
        .write("README.md", "# infra\nnotes\n");
    run(
        r,
        step(
            8,
            Who::Agent,
            "bucket stack",
            "2026-W11",
            &[("cloudformation", 1, 4), ("other", 1, 2)],
        ),
    );
    r.write("infra/net.tf", format!("{NET}{NET_MORE}"));
    let eip = run(
        r,
        step(
            9,
            Who::Human,
            "nat address",
            "2026-W11",
            &[("terraform", 1, 3)],
        ),
    );
    r.write("infra/net.tf", NET);
    let revert_eip = run(
        r,
        step(
            12,
            Who::Human,
            &revert_message(&eip),
            "2026-W11",
            &[("terraform", 1, 3)],
        ),
    );
    r.write("infra/variables.tf", VARS);
    run(
        r,
        step(
            15,
            Who::Agent,
            "region variable",
            "2026-W12",
            &[("terraform", 1, 4)],
        ),
    );
    r.write("infra/outputs.tf", OUTPUTS);
    let outputs = run(
        r,
        step(
            16,
            Who::Agent,
            "outputs",
            "2026-W12",
            &[("terraform", 1, 6)],
        ),
    );
    r.write(
        "infra/outputs.tf",
        &OUTPUTS[..OUTPUTS.find("output \"b\"").unwrap()],
    );
    let drop_b = run(
        r,
        step(
            20,
            Who::Human,
            "output b is unused",
            "2026-W12",
            &[("terraform", 1, 3)],
        ),
    );
    r.write("README.md", "# infra\nmore notes\n");
    run(
        r,
        step(21, Who::Human, "notes", "2026-W13", &[("other", 1, 2)]),
    );
    // The agent's variables go 25 days later: outside the 14-day window.
    r.remove("infra/variables.tf");
    run(
        r,
        step(
            40,
            Who::Human,
            "no region",
            "2026-W15",
            &[("terraform", 1, 4)],
        ),
    );
    let rollbacks = vec![
        (iam, revert_iam, "revert", 2 * DAY),
        (eip, revert_eip, "revert", 3 * DAY),
        (outputs, drop_b, "removed", 4 * DAY),
    ];
    (done, rollbacks)
}

fn nearest_rank(values: &[i64], p: usize) -> Value {
    let mut v = values.to_vec();
    v.sort();
    if v.is_empty() {
        return Value::Null;
    }
    v[(p * v.len()).div_ceil(100).max(1) - 1].into()
}

/// The volume of `steps` as the report writes it.
fn volume(steps: &[&Step]) -> Value {
    let infra = |k: &str| k != "other";
    let mut by_kind: BTreeMap<&str, (usize, usize)> =
        ["cloudformation", "kubernetes", "other", "terraform"]
            .map(|k| (k, (0, 0)))
            .into();
    let (mut commits, mut hunks, mut lines) = (0, 0, 0);
    for s in steps {
        commits += usize::from(s.counts.iter().any(|c| infra(c.0)));
        for &(kind, h, l) in &s.counts {
            let k = by_kind.get_mut(kind).unwrap();
            k.0 += h;
            k.1 += l;
            if infra(kind) {
                hunks += h;
                lines += l;
            }
        }
    }
    json!({
        "commits": commits,
        "hunks": hunks,
        "lines": lines,
        "by_kind": by_kind.iter().map(|(k, (h, l))| (k.to_string(), json!({"hunks": h, "lines": l}))).collect::<serde_json::Map<_, _>>(),
    })
}

#[test]
fn history_json_reports_volume_rollbacks_and_time_to_remediate() {
    let r = Repo::new();
    let (steps, rollbacks) = scripted_history(&r);
    let out = r.countersign(&["stats", "--history", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["range"], "HEAD");
    assert_eq!(report["rollback_window_days"], 14);

    let ai = |s: &Step| s.who != Who::Human;
    let is_infra = |s: &Step| s.counts.iter().any(|c| c.0 != "other");
    // Weeks with an infrastructure change, oldest first.
    let mut weeks: Vec<&str> = steps
        .iter()
        .filter(|(s, _)| is_infra(s))
        .map(|(s, _)| s.week)
        .collect();
    weeks.dedup();
    assert_eq!(weeks, ["2026-W10", "2026-W11", "2026-W12", "2026-W15"]);
    let expected_weeks: Vec<Value> = weeks
        .iter()
        .map(|w| {
            let of = |want_ai: bool| -> Vec<&Step> {
                steps
                    .iter()
                    .map(|(s, _)| s)
                    .filter(|s| s.week == *w && ai(s) == want_ai)
                    .collect()
            };
            json!({"week": w, "ai": volume(&of(true)), "human": volume(&of(false))})
        })
        .collect();
    assert_eq!(report["weeks"], Value::from(expected_weeks), "{report:#}");

    let ai_of = |id: &str| {
        steps
            .iter()
            .find(|(_, i)| i == id)
            .map(|(s, _)| ai(s))
            .unwrap()
    };
    let expected_rollbacks: Vec<Value> = rollbacks
        .iter()
        .map(|(c, by, kind, after)| json!({"commit": c, "ai": ai_of(c), "by": by, "kind": kind, "after_s": after}))
        .collect();
    assert_eq!(
        report["rollbacks"],
        Value::from(expected_rollbacks),
        "{report:#}"
    );
    for want_ai in [true, false] {
        let mine: Vec<&Step> = steps
            .iter()
            .map(|(s, _)| s)
            .filter(|s| ai(s) == want_ai)
            .collect();
        let mut class = volume(&mine);
        let commits = class["commits"].as_u64().unwrap() as usize;
        let rolled: Vec<_> = rollbacks
            .iter()
            .filter(|r| ai_of(&r.0) == want_ai)
            .collect();
        let times: Vec<i64> = rolled.iter().map(|r| r.3).collect();
        let extra = json!({
            "rolled_back": rolled.len(),
            "reverted": rolled.iter().filter(|r| r.2 == "revert").count(),
            "rollback_rate": rolled.len() as f64 / commits as f64,
            "time_to_remediate_s": {
                "count": rolled.len(),
                "median": nearest_rank(&times, 50),
                "p90": nearest_rank(&times, 90),
            },
        });
        class
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let key = if want_ai { "ai" } else { "human" };
        assert_eq!(report[key], class, "{key}: {report:#}");
    }
    // What the script adds up to, spelled out.
    assert_eq!(report["ai"]["commits"], 5);
    assert_eq!(report["ai"]["rollback_rate"], 0.4);
    assert_eq!(report["ai"]["time_to_remediate_s"]["median"], 2 * DAY);
    assert_eq!(report["ai"]["time_to_remediate_s"]["p90"], 4 * DAY);
    assert_eq!(report["human"]["commits"], 6);
    assert_eq!(report["human"]["time_to_remediate_s"]["median"], 3 * DAY);
}

#[test]
fn history_of_a_range_and_since_a_date_and_as_text() {
    let r = Repo::new();
    let (steps, _) = scripted_history(&r);
    // From the bucket stack on: the revert of the agent's IAM policy is not in the range.
    let from = &steps[3].1;
    let report: Value = serde_json::from_slice(
        &r.countersign(&[
            "stats",
            "--history",
            &format!("{from}..HEAD"),
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(report["range"], format!("{from}..HEAD"));
    assert_eq!(report["ai"]["commits"], 3);
    assert_eq!(report["ai"]["rolled_back"], 1);
    let report: Value = serde_json::from_slice(
        &r.countersign(&[
            "stats",
            "--history",
            "--since",
            "2026-03-09",
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(report["weeks"][0]["week"], "2026-W11");
    assert_eq!(report["human"]["commits"], 4);
    let out = r.countersign(&["stats", "--history"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "history of HEAD",
        "2026-W10",
        "rolled back",
        "2 (40.0%)",
        "reverted by",
        "lines removed by",
        "2d00h / 4d00h",
    ] {
        assert!(text.contains(needle), "{needle:?} missing:\n{text}");
    }
    // RANGE needs --history.
    let out = r.countersign(&["stats", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
}
