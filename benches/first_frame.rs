//! Time to the first frame of `review`, in process: everything the binary does before its
//! first draw (load the change, parse the policies, mark the agent's hunks, build the review
//! and draw it at 200×50 on ratatui's TestBackend), on the 50 000-line change
//! ([`synth::lines_50k`]) and the 5 000-resource plan ([`synth::plan_5k`]). The policies are
//! evaluated after the first frame, on a background thread: `cargo bench --bench check`
//! times that evaluation. SPEC §10 asks for the first frame in under 500 ms.
//!
//! Run with `cargo bench --bench first_frame` (`-- --quick` for a short run).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use countersign::cli::PolicyArgs;
use countersign::commands::review::open;
use countersign::config::{AuthorshipConfig, Config};
use countersign::render::highlight::{DEFAULT_THEME, load_theme};
use countersign::review::{Action, State, update};
use countersign::source::Source;
use countersign::synth;
use countersign::tui::highlight_cache::HighlightCache;
use countersign::tui::keymap::Keymap;
use countersign::tui::theme::UiTheme;
use countersign::tui::view::{Ui, draw};

/// The allocator the binary uses (`src/main.rs`), so the numbers are the shipped program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;

/// Everything before the first draw, then the draw.
fn first_frame(source: &Source) -> State {
    let theme = load_theme(DEFAULT_THEME).expect("theme");
    let mut ui = Ui {
        theme: UiTheme::new(&theme),
        highlights: HighlightCache::new(theme),
        keymap: Keymap::new(&Config::default()).expect("keymap"),
    };
    let opened = open(
        source,
        &PolicyArgs::builtin(),
        "bench <bench@example.com>".into(),
        20,
        &AuthorshipConfig::default(),
    )
    .expect("open");
    let mut state = State::awaiting_findings(opened.change, opened.options);
    let resize = Action::Resize {
        width: WIDTH,
        height: HEIGHT,
    };
    update(&mut state, resize, 0);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    terminal.draw(|f| draw(&state, &mut ui, f)).expect("draw");
    state
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    synth::write_repo(&synth::lines_50k(), dir.path()).expect("synthetic repository");
    let range = Source::GitRange {
        repo: dir.path().to_path_buf(),
        range: Some("main..feature".to_string()),
        context: 3,
    };
    let plan_path = dir.path().join("plan.json");
    let bytes = serde_json::to_vec(&synth::plan_json(&synth::plan_5k())).expect("plan JSON");
    std::fs::write(&plan_path, bytes).expect("write plan");
    let plan = Source::Plan(plan_path);

    let mut group = c.benchmark_group("first_frame");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    group.bench_function("lines_50k", |b| b.iter(|| black_box(first_frame(&range))));
    group.bench_function("plan_5k", |b| b.iter(|| black_box(first_frame(&plan))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
