//! `countersign show` on a synthetic 50 000-line Terraform change ([`synth::lines_50k`]):
//! loading it from git, rendering it as plain text, and rendering it with colours.
//!
//! Run with `cargo bench --bench show` (`-- --quick` for a short run).

use std::hint::black_box;
use std::io;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use countersign::render::highlight::{DEFAULT_THEME, load_theme};
use countersign::render::text::{Colors, write_change};
use countersign::source::git;
use countersign::synth;

/// The allocator the binary uses (`src/main.rs`), so the numbers are the shipped program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RANGE: &str = "main..feature";

fn show(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    synth::write_repo(&synth::lines_50k(), dir.path()).expect("synthetic repository");
    let repo = git::open(dir.path()).expect("open repository");
    let cs = git::load(&repo, Some(RANGE), 3).expect("load change");
    let theme = load_theme(DEFAULT_THEME).expect("default theme");
    let colors = Colors::for_theme(&theme);

    let mut group = c.benchmark_group("show_50k");
    // Ten samples of the slowest case (colour, ~0.3 s each) fit in 7 s; the whole bench
    // takes under a minute.
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(7));
    group.bench_function("load", |b| {
        b.iter(|| {
            let repo = git::open(dir.path()).expect("open repository");
            black_box(git::load(&repo, Some(RANGE), 3).expect("load change"))
        })
    });
    group.bench_function("render_plain", |b| {
        b.iter(|| write_change(black_box(&cs), &[], None, &mut io::sink()).expect("render"))
    });
    group.bench_function("render_color", |b| {
        b.iter(|| {
            write_change(black_box(&cs), &[], Some(&colors), &mut io::sink()).expect("render")
        })
    });
    group.finish();
}

criterion_group!(benches, show);
criterion_main!(benches);
