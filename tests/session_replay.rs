//! Acceptance: for any sequence of actions, the session log replayed through the reducer gives
//! the same final state, and the same screen, as the live run that recorded it — also when
//! the review was left and resumed in the middle, and when its findings arrived during it.

mod review_support;

use std::sync::OnceLock;

use countersign::commands::review::Loaded;
use countersign::review::{Action, State};
use countersign::session::record::{Ending, Reopen, Resume, Snapshot, Start};
use countersign::session::recorder::{Recorder, wall_now};
use countersign::session::replay::Replay;
use countersign::session::store::{Store, read_log};
use proptest::prelude::*;
use review_support::{demo_loaded, screen};

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(demo_loaded)
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (1i32..8).prop_map(|rows| Action::Scroll { rows }),
        1 => (-8i32..0).prop_map(|rows| Action::Scroll { rows }),
        2 => Just(Action::NextHunk),
        1 => Just(Action::PrevHunk),
        2 => Just(Action::PageDown),
        1 => Just(Action::Bottom),
        1 => Just(Action::Top),
        1 => Just(Action::NextRisky),
        1 => Just(Action::NextFile),
        3 => Just(Action::Approve),
        1 => Just(Action::ApproveFile),
        1 => Just(Action::Reject),
        1 => Just(Action::Comment),
        1 => Just(Action::Undo),
        1 => Just(Action::Search),
        1 => Just(Action::SearchNext),
        1 => Just(Action::ToggleSideBySide),
        1 => Just(Action::ToggleHelp),
        1 => Just(Action::Finish),
        1 => Just(Action::Cancel),
        2 => Just(Action::Submit),
        1 => Just(Action::Backspace),
        4 => proptest::char::range('a', 'z').prop_map(|ch| Action::Type { ch }),
        1 => Just(Action::Type { ch: ' ' }),
        1 => ((0u16..60), (0u16..40)).prop_map(|(column, row)| Action::Click { column, row }),
        1 => ((40u16..200), (12u16..60)).prop_map(|(width, height)| Action::Resize { width, height }),
    ]
}

fn start(state: &State, id: &str) -> Start {
    Start::for_review(
        id.into(),
        wall_now(),
        state,
        Reopen::Stdin,
        "test".into(),
        loaded().policy_bundle.clone(),
        (120, 40),
    )
}

/// The live run: every action through the recorder (as the review screen does); when `leave`
/// is given, the review is quit after that many actions and resumed from its log. When
/// `arrive` is given, the review opens before its findings, which arrive after that many
/// actions (or with the resumption, as a resumed review evaluates them again).
fn live(
    actions: &[Action],
    leave: Option<usize>,
    arrive: Option<usize>,
    store: &Store,
    id: &str,
) -> State {
    let loaded = loaded();
    let mut state = match arrive {
        Some(_) => {
            State::awaiting_findings(loaded.state.change.clone(), loaded.state.options.clone())
        }
        None => loaded.state.clone(),
    };
    let mut recorder = Recorder::start(store.clone(), start(&state, id), &state).unwrap();
    recorder
        .apply(
            &mut state,
            Action::Resize {
                width: 120,
                height: 40,
            },
        )
        .unwrap();
    for (i, &a) in actions.iter().enumerate() {
        if arrive == Some(i) && state.findings_pending {
            let findings = loaded.state.findings.clone();
            recorder.receive_findings(&mut state, findings, 0).unwrap();
        }
        if leave == Some(i) {
            recorder.end(&state, Ending::Quit).unwrap();
            let path = store.log_path(id);
            let log = read_log(&path).unwrap();
            let mut resumed = Replay::new(&log).finish();
            let resume = Resume {
                ms: log.last_ms(),
                wall: wall_now(),
                policy_bundle: loaded.policy_bundle.clone(),
                snapshot: resumed.findings_pending.then(|| Snapshot {
                    options: loaded.state.options.clone(),
                    change: loaded.state.change.clone(),
                    findings: loaded.state.findings.clone(),
                }),
            };
            recorder = Recorder::resume(store.clone(), &path, &log, resume, &mut resumed).unwrap();
            state = resumed;
        }
        recorder.apply(&mut state, a).unwrap();
    }
    state
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn replaying_the_log_reproduces_the_live_review(
        actions in proptest::collection::vec(action(), 1..120),
        leave in proptest::option::of(0usize..120),
        arrive in proptest::option::of(0usize..130),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::locate(Some(dir.path()), dir.path()).unwrap();
        let leave = leave.filter(|&l| l < actions.len());
        let live = live(&actions, leave, arrive, &store, "s");
        let log = read_log(&store.log_path("s")).unwrap();
        let replayed = Replay::new(&log).finish();
        prop_assert_eq!(format!("{replayed:?}"), format!("{live:?}"));
        prop_assert_eq!(screen(&replayed), screen(&live));
    }
}
