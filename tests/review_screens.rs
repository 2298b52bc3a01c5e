//! Snapshots of the review screen (ratatui TestBackend): the demo's first screen, a risky hunk
//! with its annotations, the justification prompt, the help overlay, side by side, 80×24.
//! Accept changes with `cargo insta review`.

mod review_support;

use countersign::review::Action;
use review_support::{demo_state, drive, hunk_of, read_through, screen};

#[test]
fn first_screen_of_the_demo() {
    let state = demo_state(120, 36);
    insta::assert_snapshot!("demo_first_screen", screen(&state));
}

#[test]
fn a_risky_hunk_with_its_annotations() {
    let mut state = demo_state(120, 36);
    drive(&mut state, &[Action::NextRisky]);
    assert!(state.hunks[state.cursor].risky);
    // Scroll until the critical annotation is on screen.
    read_through(&mut state);
    let text = screen(&state);
    assert!(text.contains("└─ critical"), "{text}");
    insta::assert_snapshot!("risky_hunk", text);
}

#[test]
fn the_justification_prompt() {
    let mut state = demo_state(120, 36);
    state.cursor = hunk_of(&state, "infra/iam.tf");
    drive(&mut state, &[Action::Top]);
    read_through(&mut state);
    drive(&mut state, &[Action::Approve]);
    review_support::type_text(&mut state, "short");
    drive(&mut state, &[Action::Submit]);
    let text = screen(&state);
    assert!(
        text.contains("at least 20 characters, please (5 so far)"),
        "{text}"
    );
    insta::assert_snapshot!("justification_prompt", text);
}

#[test]
fn the_help_overlay() {
    let mut state = demo_state(120, 36);
    drive(&mut state, &[Action::ToggleHelp]);
    insta::assert_snapshot!("help_overlay", screen(&state));
}

#[test]
fn side_by_side() {
    let mut state = demo_state(140, 36);
    state.cursor = hunk_of(&state, "infra/storage.tf");
    drive(&mut state, &[Action::Top, Action::ToggleSideBySide]);
    let text = screen(&state);
    assert!(text.contains("│ 38 "), "{text}");
    insta::assert_snapshot!("side_by_side", text);
}

#[test]
fn an_80_by_24_terminal() {
    let mut state = demo_state(80, 24);
    drive(&mut state, &[Action::NextRisky]);
    let text = screen(&state);
    // Every row fits: nothing is drawn past the 80th column, long lines wrap with ↪.
    assert!(text.lines().all(|l| l.chars().count() <= 82), "{text}");
    insta::assert_snapshot!("terminal_80x24", text);
}
