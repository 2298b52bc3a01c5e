//! The review screen's redraw after a key press (reducer `update` plus `view` drawn on
//! ratatui's TestBackend at 200×50), on changes of 1 000, 10 000 and 100 000 lines: scrolling
//! a line and moving to the next hunk in a change of many hunks, and paging down and
//! switching to side by side inside a single hunk of that many lines. SPEC §10 asks for
//! under 5 ms at p99, at every size. Criterion reports the typical time; before it, each case
//! is pressed a few hundred times and its p50, p99 and worst time printed.
//!
//! Run with `cargo bench --bench review` (`-- --quick` for a short run).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use countersign::config::Config;
use countersign::model::{
    ChangeSet, FileChange, FileContent, FileStatus, Hunk, HunkId, HunkKind, Line, LineKind,
    SourceInfo,
};
use countersign::render::highlight::{DEFAULT_THEME, load_theme};
use countersign::review::{Action, Options, State, update};
use countersign::source::git;
use countersign::synth::{self, TerraformChange};
use countersign::tui::highlight_cache::HighlightCache;
use countersign::tui::keymap::Keymap;
use countersign::tui::theme::UiTheme;
use countersign::tui::view::{Ui, draw};

/// The allocator the binary uses (`src/main.rs`), so the numbers are the shipped program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;

fn options() -> Options {
    Options {
        reviewer: "bench <bench@example.com>".into(),
        source: "bench".into(),
        min_justification: 20,
        ai_hunks: Vec::new(),
    }
}

fn ui() -> Ui {
    let theme = load_theme(DEFAULT_THEME).expect("theme");
    Ui {
        theme: UiTheme::new(&theme),
        highlights: HighlightCache::new(theme),
        keymap: Keymap::new(&Config::default()).expect("keymap"),
    }
}

/// About `lines` lines of diff in many hunks: [`synth::lines_50k`]'s files, scaled (it has
/// 120 files for about 50 000 lines).
fn many_hunks(lines: usize) -> ChangeSet {
    let spec = TerraformChange {
        files: (lines * 120 / 50_000).max(1),
        ..synth::lines_50k()
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    synth::write_repo(&spec, dir.path()).expect("synthetic repository");
    let repo = git::open(dir.path()).expect("open");
    git::load(&repo, Some("main..feature"), 3).expect("load")
}

/// One added file of `n` lines of Terraform: a single hunk.
fn one_hunk(n: u32) -> ChangeSet {
    let lines: Vec<Line> = (0..n)
        .map(|i| {
            let text = match i % 4 {
                0 => format!("resource \"aws_instance\" \"i{i}\" {{"),
                1 => format!(
                    "  instance_type = \"t3.{}\"",
                    ["micro", "small", "large"][i as usize % 3]
                ),
                2 => format!("  tags = {{ Name = \"node-{i}\", Team = \"platform\" }}"),
                _ => "}".to_string(),
            };
            let mut line = Line::new(LineKind::Added, text);
            line.new_lineno = Some(i + 1);
            line
        })
        .collect();
    let mut file = FileChange {
        old_path: None,
        new_path: Some(b"generated/nodes.tf".to_vec()),
        status: FileStatus::Added,
        content: FileContent::Text,
        old_mode: None,
        new_mode: Some(0o100644),
        similarity: None,
        hunks: vec![Hunk {
            id: HunkId::for_lines(b"generated/nodes.tf", &lines),
            kind: HunkKind::Text,
            old_start: 0,
            old_lines: 0,
            new_start: 1,
            new_lines: n,
            title: String::new(),
            lines,
        }],
    };
    file.finish();
    ChangeSet {
        source: SourceInfo::Patch {
            name: "bench.diff".into(),
            sha256: String::new(),
        },
        files: vec![file],
        plan: None,
        notes: Vec::new(),
        value_lines: Default::default(),
    }
}

/// A review of `change` on the bench's screen, drawn once.
fn opened(change: ChangeSet) -> (State, Ui, Terminal<TestBackend>) {
    let mut state = State::new(change, Vec::new(), options());
    update(
        &mut state,
        Action::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
        0,
    );
    let mut ui = ui();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    terminal.draw(|f| draw(&state, &mut ui, f)).expect("draw");
    (state, ui, terminal)
}

/// Times one key press (the action, then a full redraw), cycling through `actions`: first
/// `presses` times by hand, printing p50, p99 and the worst, then with criterion.
fn press(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    change: ChangeSet,
    actions: &[Action],
    presses: usize,
) {
    let (mut state, mut ui, mut terminal) = opened(change);
    let mut k = 0u64;
    let mut step = |state: &mut State, ui: &mut Ui, terminal: &mut Terminal<TestBackend>| {
        let action = actions[k as usize % actions.len()];
        k += 1;
        update(state, black_box(action), k);
        terminal.draw(|f| draw(state, ui, f)).expect("draw");
    };
    let mut times: Vec<Duration> = (0..presses)
        .map(|_| {
            let start = Instant::now();
            step(&mut state, &mut ui, &mut terminal);
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    eprintln!(
        "{name:<44} p50 {:>9.3?}  p99 {:>9.3?}  worst {:>9.3?}  ({presses} presses)",
        at(0.5),
        at(0.99),
        at(1.0)
    );
    c.bench_function(name, |b| {
        b.iter(|| step(&mut state, &mut ui, &mut terminal))
    });
}

fn review(c: &mut Criterion) {
    for (size, lines) in [("1k", 1_000u32), ("10k", 10_000), ("100k", 100_000)] {
        let mut group = c.benchmark_group(format!("review_keypress_{size}"));
        group
            .sample_size(30)
            .measurement_time(Duration::from_secs(3));
        let many = many_hunks(lines as usize);
        let count: usize = many.hunks().map(|(_, h)| h.lines.len()).sum();
        eprintln!(
            "{size}: {} files, {} hunks, {count} lines; one hunk of {lines} lines",
            many.files.len(),
            many.hunk_count()
        );
        let scroll = [Action::Scroll { rows: 1 }, Action::Scroll { rows: -1 }];
        press(&mut group, "scroll_line", many.clone(), &scroll, 1000);
        press(&mut group, "next_hunk", many, &[Action::NextHunk], 1000);
        let one = one_hunk(lines);
        // Paging from the top to the end of the hunk: the hand-timed presses are one pass,
        // every page new code to highlight; criterion's then go round again (cached).
        let pages_to_end = lines as usize / usize::from(HEIGHT - 6) + 1;
        let pages = std::iter::repeat_n(Action::PageDown, pages_to_end)
            .chain([Action::Top])
            .collect::<Vec<_>>();
        let name = "page_down_in_one_hunk";
        press(&mut group, name, one.clone(), &pages, pages_to_end);
        let sbs = [Action::ToggleSideBySide];
        press(&mut group, "toggle_side_by_side_one_hunk", one, &sbs, 100);
        group.finish();
    }
}

criterion_group!(benches, review);
criterion_main!(benches);
