//! `replay --headless`: a session as text for audits and CI logs — who reviewed what with
//! which policies, then one line per action (time, action, hunk, and any decision with its
//! justification), then the outcome.

use std::fmt::Write;

use super::chain::Log;
use super::record::{Body, Record};
use super::replay::{Replay, start_of};
use crate::render::sanitize::sanitize_str;
use crate::review::state::{Decided, PromptKind};
use crate::review::{Action, State};

/// The transcript of a checked log.
pub fn transcript(log: &Log) -> String {
    let start = start_of(log);
    let mut out = String::new();
    let mut replay = Replay::new(log);
    let _ = writeln!(out, "session   {} ({})", start.session, start.tool);
    let _ = writeln!(out, "source    {}", sanitize_str(&start.options.source));
    let _ = writeln!(out, "reviewer  {}", sanitize_str(&start.reviewer));
    let _ = writeln!(out, "policies  sha256:{}", start.policy_bundle);
    let _ = writeln!(out, "started   {}", start.wall);
    let _ = writeln!(
        out,
        "change    {} hunks in {} files",
        replay.state.hunks.len(),
        replay.state.files.len()
    );
    let _ = writeln!(
        out,
        "log       {} records, hash chain intact, final hash {}",
        log.records.len(),
        log.final_hash().unwrap_or_default()
    );
    for w in &log.warnings {
        let _ = writeln!(out, "warning   {w}");
    }
    out.push('\n');
    // A run of the same line (scrolling through a hunk) is printed once, with its count.
    let mut run: Option<(u64, String, usize)> = None;
    let flush = |out: &mut String, run: &mut Option<(u64, String, usize)>| {
        if let Some((ms, line, n)) = run.take() {
            let times = if n > 1 {
                format!(" ×{n}")
            } else {
                String::new()
            };
            let _ = writeln!(out, "{:>10}  {line}{times}", clock(ms));
        }
    };
    loop {
        let before = Before {
            decisions: replay.state.decisions.clone(),
            comments: replay.state.comments.iter().map(Vec::len).collect(),
            prompt: replay.state.prompt.is_some(),
        };
        let Some((record, _)) = replay.step() else {
            break;
        };
        for line in describe(record, &before, &replay.state) {
            match &mut run {
                Some((_, same, n)) if *same == line => *n += 1,
                _ => {
                    flush(&mut out, &mut run);
                    run = Some((record.ms(), line, 1));
                }
            }
        }
    }
    flush(&mut out, &mut run);
    let state = &replay.state;
    let _ = writeln!(
        out,
        "\n{} of {} hunks decided · {}",
        state.decided(),
        state.hunks.len(),
        match log.records.last().map(|r| &r.body) {
            Some(Body::End {
                ending: super::record::Ending::Finished,
                ..
            }) => format!("finished: {}", state.summary().describe(state.hunks.len())),
            Some(Body::End { .. }) => "left unfinished".to_string(),
            _ => "interrupted (no end record)".to_string(),
        }
    );
    out
}

/// What a record's lines compare the review after it with.
struct Before {
    decisions: Vec<Option<Decided>>,
    comments: Vec<usize>,
    prompt: bool,
}

/// The transcript lines of one record, given the decisions before and the review after it.
fn describe(record: &Record, before: &Before, after: &State) -> Vec<String> {
    let action = match &record.body {
        Body::Action { action, .. } => *action,
        Body::Resume(r) => {
            let what = if r.snapshot.is_some() {
                "on the change as it is now"
            } else {
                "on the same change"
            };
            let flash = after.flash.as_ref().map(|f| f.text.as_str()).unwrap_or("");
            return vec![format!("{:<18}{flash} ({what})", "resume")];
        }
        Body::End { ending, .. } => {
            return vec![format!("end: {}", format!("{ending:?}").to_lowercase())];
        }
        Body::Findings(_) => {
            let flash = after.flash.as_ref().map(|f| f.text.as_str()).unwrap_or("");
            return vec![format!("{:<18}{flash}", "findings")];
        }
        Body::Start(_) => return Vec::new(),
    };
    if matches!(action, Action::Type { .. } | Action::Backspace) {
        return Vec::new();
    }
    let name = action_name(action);
    let mut lines = Vec::new();
    for i in 0..after.hunks.len().min(before.decisions.len()) {
        if after.decisions[i] != before.decisions[i] {
            let what = match &after.decisions[i] {
                Some(d) => d.decision.describe(),
                None => "decision undone".into(),
            };
            lines.push(format!("{:<38}{what}", after.location(i)));
        }
        if after.comments[i].len() > before.comments[i] {
            let text = after.comments[i].last().map(String::as_str).unwrap_or("");
            lines.push(format!(
                "{:<38}comment: {}",
                after.location(i),
                sanitize_str(text)
            ));
        }
    }
    if lines.is_empty() {
        let here = if after.hunks.is_empty() {
            String::new()
        } else {
            after.location(after.cursor)
        };
        let note = match (&after.flash, &after.prompt) {
            (Some(f), _) if f.warn => format!("refused: {}", f.text),
            (_, Some(p)) if !before.prompt => asks(p.kind).to_string(),
            _ => String::new(),
        };
        lines.push(format!("{here:<38}{note}").trim_end().to_string());
    }
    lines[0] = format!("{name:<18}{}", lines[0]);
    for l in &mut lines[1..] {
        *l = format!("{:<18}{l}", "");
    }
    lines
}

/// What an opened prompt asks for.
fn asks(kind: PromptKind) -> &'static str {
    match kind {
        PromptKind::Reject => "asks why it is rejected",
        PromptKind::Comment => "asks for a comment",
        PromptKind::Justify => "risky: asks for a justification",
        PromptKind::ApproveFile => "asks why the whole file needs no line-by-line review",
        PromptKind::Search => "asks what to search for",
    }
}

/// An action in a word or two: `next_hunk`, `resize 120×40`, `scroll +3`.
fn action_name(action: Action) -> String {
    match action {
        Action::Resize { width, height } => format!("resize {width}×{height}"),
        Action::Scroll { rows } => format!("scroll {rows:+}"),
        Action::Click { column, row } => format!("click {column},{row}"),
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v.get("action")?.as_str().map(str::to_string))
            .unwrap_or_default(),
    }
}

/// Milliseconds as `m:ss.mmm` (or `h:mm:ss.mmm`).
pub fn clock(ms: u64) -> String {
    let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{milli:03}")
    } else {
        format!("{m}:{s:02}.{milli:03}")
    }
}
