//! The review reducer driven like a reviewer would, with no terminal: what is refused, what
//! needs a typed reason, undo, bulk approval, finishing and its verdict, time on each hunk.

mod review_support;

use countersign::review::state::{Decision, Overlay, PromptKind, Verdict};
use countersign::review::{Action, Effect};
use review_support::{demo_state, drive, hunk_of, read_through, type_text};

#[test]
fn approval_is_refused_until_the_whole_hunk_was_on_screen() {
    let mut state = demo_state(80, 24);
    state.cursor = hunk_of(&state, "infra/iam.tf");
    drive(&mut state, &[Action::Top, Action::Approve]);
    assert!(state.decisions[state.cursor].is_none());
    let flash = state.flash.clone().unwrap();
    assert!(
        flash.warn && flash.text.contains("not yet on screen"),
        "{flash:?}"
    );
    // Jumping to the bottom skips the middle: still refused.
    drive(&mut state, &[Action::Bottom, Action::Approve]);
    assert!(state.decisions[state.cursor].is_none());
    assert!(state.prompt.is_none());
    drive(&mut state, &[Action::Top]);
    read_through(&mut state);
    drive(&mut state, &[Action::Approve]);
    // The hunk is risky: it asks for a justification instead of approving.
    assert_eq!(state.prompt.as_ref().unwrap().kind, PromptKind::Justify);
}

#[test]
fn risky_approval_needs_a_long_enough_justification_and_can_be_undone() {
    let mut state = demo_state(120, 40);
    let iam = hunk_of(&state, "infra/iam.tf");
    state.cursor = iam;
    drive(&mut state, &[Action::Top]);
    read_through(&mut state);
    drive(&mut state, &[Action::Approve]);
    type_text(&mut state, "too short");
    drive(&mut state, &[Action::Submit]);
    assert!(state.decisions[iam].is_none());
    assert!(state.prompt.as_ref().unwrap().error.is_some());
    type_text(
        &mut state,
        " but now it explains the scoped break-glass use",
    );
    drive(&mut state, &[Action::Submit]);
    match &state.decisions[iam].as_ref().unwrap().decision {
        Decision::Approved {
            justification: Some(j),
        } => assert!(j.starts_with("too short but now")),
        other => panic!("{other:?}"),
    }
    // Time on the hunk was measured, and the review moved on.
    assert!(state.decisions[iam].as_ref().unwrap().dwell_ms > 0);
    assert_ne!(state.cursor, iam);
    drive(&mut state, &[Action::Undo]);
    assert!(state.decisions[iam].is_none());
    assert_eq!(state.cursor, iam);
}

#[test]
fn reject_needs_a_reason_and_finishing_needs_every_hunk() {
    let mut state = demo_state(120, 40);
    drive(&mut state, &[Action::Reject, Action::Submit]);
    assert!(state.prompt.as_ref().unwrap().error.is_some());
    type_text(&mut state, "the README should say who owns exports");
    drive(&mut state, &[Action::Submit]);
    assert!(matches!(
        state.decisions[0].as_ref().unwrap().decision,
        Decision::Rejected { .. }
    ));
    assert_eq!(drive(&mut state, &[Action::Finish]), None);
    assert!(
        state
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("11 hunks undecided")
    );

    // Decide the rest: risky hunks with a justification, the others plainly.
    while let Some(i) = state.decisions.iter().position(Option::is_none) {
        state.cursor = i;
        drive(&mut state, &[Action::Top]);
        read_through(&mut state);
        drive(&mut state, &[Action::Approve]);
        if state.prompt.is_some() {
            type_text(&mut state, "accepted for the pilot, ticket SEC-123");
            drive(&mut state, &[Action::Submit]);
        }
    }
    drive(&mut state, &[Action::Finish]);
    assert_eq!(state.overlay, Some(Overlay::Summary));
    let summary = state.summary();
    assert_eq!(summary.rejected, 1);
    assert_eq!(summary.justified, 3);
    assert_eq!(summary.verdict, Verdict::ChangesRequested);
    assert_eq!(drive(&mut state, &[Action::Submit]), Some(Effect::Finish));
}

#[test]
fn a_file_is_approved_in_bulk_only_when_it_has_no_risky_hunk() {
    let mut state = demo_state(120, 40);
    state.cursor = hunk_of(&state, "infra/network.tf");
    drive(&mut state, &[Action::ApproveFile]);
    assert!(state.prompt.is_none());
    assert!(state.flash.as_ref().unwrap().text.contains("risky"));

    let deployment = hunk_of(&state, "k8s/api-deployment.yaml");
    state.cursor = deployment;
    drive(&mut state, &[Action::Top, Action::ApproveFile]);
    type_text(&mut state, "routine scaling and image bump");
    drive(&mut state, &[Action::Submit]);
    let file = state
        .files
        .iter()
        .find(|f| f.path == "k8s/api-deployment.yaml")
        .unwrap();
    assert_eq!(file.decided, 3);
    // One undo takes back the whole bulk decision.
    drive(&mut state, &[Action::Undo]);
    assert!(
        state.decisions[deployment..deployment + 3]
            .iter()
            .all(Option::is_none)
    );
}

#[test]
fn search_jumps_through_matches_and_quit_asks_when_decisions_would_be_lost() {
    let mut state = demo_state(120, 40);
    drive(&mut state, &[Action::Search]);
    type_text(&mut state, "0.0.0.0/0");
    drive(&mut state, &[Action::Submit]);
    let search = state.search.clone().unwrap();
    assert!(!search.matches.is_empty());
    assert_eq!(state.cursor, search.matches[0].0);
    assert_eq!(
        state.files[state.hunks[state.cursor].file].path,
        "infra/network.tf"
    );

    // Decisions are in the session log, so quitting never asks.
    drive(&mut state, &[Action::Reject]);
    type_text(&mut state, "no");
    drive(&mut state, &[Action::Submit]);
    assert_eq!(drive(&mut state, &[Action::Quit]), Some(Effect::Quit));
}

#[test]
fn actions_round_trip_through_json_for_session_logs() {
    let actions = [
        Action::Resize {
            width: 80,
            height: 24,
        },
        Action::Scroll { rows: -3 },
        Action::Type { ch: 'é' },
        Action::Approve,
    ];
    for a in actions {
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), a, "{json}");
    }
}

#[test]
fn nothing_is_approved_before_the_findings_arrive_and_nothing_done_is_lost() {
    let loaded = review_support::demo_loaded();
    let findings = loaded.state.findings.clone();
    assert!(!findings.is_empty());
    let (change, options) = (loaded.state.change.clone(), loaded.state.options.clone());
    let mut state = countersign::review::State::awaiting_findings(change, options);
    drive(
        &mut state,
        &[Action::Resize {
            width: 100,
            height: 30,
        }],
    );
    assert!(
        state.header.ends_with("evaluating policies…"),
        "{}",
        state.header
    );
    // A hunk read to its end still cannot be approved, nor the review finished.
    let read = (0..state.hunks.len())
        .find(|&i| loaded.state.hunks[i].risky)
        .unwrap();
    state.cursor = read;
    drive(&mut state, &[Action::Top]);
    read_through(&mut state);
    assert!(state.progress[read].is_complete());
    drive(&mut state, &[Action::Approve]);
    assert!(state.decisions.iter().all(Option::is_none));
    assert!(state.prompt.is_none());
    let flash = state.flash.clone().unwrap();
    assert!(
        flash.warn && flash.text.contains("still being evaluated"),
        "{flash:?}"
    );
    drive(&mut state, &[Action::Finish]);
    assert!(state.overlay.is_none());
    // A rejection and a comment are taken.
    drive(&mut state, &[Action::Reject]);
    type_text(&mut state, "open to the world");
    drive(&mut state, &[Action::Submit]);
    let rejected = state.decisions.iter().position(Option::is_some).unwrap();
    let cursor = state.cursor;
    state.receive_findings(findings.clone(), 0);
    assert!(!state.findings_pending);
    assert_eq!(state.cursor, cursor);
    assert!(state.decisions[rejected].is_some());
    assert_eq!(state.decisions.iter().filter(|d| d.is_some()).count(), 1);
    // The same review as if loaded with its findings: hunks, risk, notes and header.
    let direct = loaded.state;
    assert_eq!(state.findings, direct.findings);
    assert_eq!(state.hunks, direct.hunks);
    assert_eq!(state.header, direct.header);
    // A risky hunk read before its findings arrived must be read again where they are.
    assert!(state.hunks[read].risky);
    assert!(!state.progress[read].is_complete());
}
