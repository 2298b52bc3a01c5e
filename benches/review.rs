//! The review screen's redraw after a key press (reducer `update` plus `view` drawn on
//! ratatui's TestBackend), on a 100 000-line change: scrolling, moving to the next hunk, and
//! scrolling inside a single 100 000-line hunk. SPEC §10 asks for under 5 ms.
//!
//! Run with `cargo bench --bench review` (`-- --quick` for a short run).

use std::hint::black_box;
use std::time::Duration;

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

/// About 100 000 lines of diff: twice [`synth::lines_50k`]'s files.
fn many_hunks() -> ChangeSet {
    let spec = TerraformChange {
        files: 240,
        ..synth::lines_50k()
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    synth::write_repo(&spec, dir.path()).expect("synthetic repository");
    let repo = git::open(dir.path()).expect("open");
    git::load(&repo, Some("main..feature"), 3).expect("load")
}

/// One added file of 100 000 lines of Terraform: a single hunk.
fn one_huge_hunk() -> ChangeSet {
    let lines: Vec<Line> = (0..100_000u32)
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
            new_lines: 100_000,
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

/// Times one key press: the action, then a full redraw.
fn press(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    change: ChangeSet,
    actions: &[Action],
) {
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
    let mut k = 0;
    c.bench_function(name, |b| {
        b.iter(|| {
            let action = actions[k % actions.len()];
            k += 1;
            update(&mut state, black_box(action), k as u64);
            terminal.draw(|f| draw(&state, &mut ui, f)).expect("draw");
        })
    });
}

fn review(c: &mut Criterion) {
    let mut group = c.benchmark_group("review_keypress_100k");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(4));
    let many = many_hunks();
    let lines: usize = many.hunks().map(|(_, h)| h.lines.len()).sum();
    eprintln!(
        "{} files, {} hunks, {lines} lines",
        many.files.len(),
        many.hunk_count()
    );
    let scroll = [Action::Scroll { rows: 1 }, Action::Scroll { rows: -1 }];
    press(&mut group, "scroll_line", many.clone(), &scroll);
    press(&mut group, "next_hunk", many, &[Action::NextHunk]);
    let huge = one_huge_hunk();
    press(
        &mut group,
        "scroll_in_one_100k_line_hunk",
        huge.clone(),
        &[Action::PageDown],
    );
    let sbs = [Action::ToggleSideBySide];
    press(&mut group, "toggle_side_by_side_100k_line_hunk", huge, &sbs);
    group.finish();
}

criterion_group!(benches, review);
criterion_main!(benches);
