//! `countersign check`'s policy work on synthetic changes: building the engine for the
//! built-in pack, evaluating it on a 5 000-resource Terraform plan ([`synth::plan_5k`]), and
//! evaluating it on a 200-file git change ([`synth::files_200`]) and on the 50 000-line change
//! ([`synth::lines_50k`]) at head and base; and
//! loading and evaluating plans of 5 000 and 50 000 resource changes (`plan/…`).
//!
//! Run with `cargo bench --bench check` (`-- --quick` for a short run).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use countersign::policy::bundle::Bundle;
use countersign::policy::engine::{DEFAULT_TIME_LIMIT, Engine, Namespaces};
use countersign::policy::evaluate::{evaluate_files, evaluate_plan};
use countersign::source::{Source, plan};
use countersign::synth;

/// The allocator the binary uses (`src/main.rs`), so the numbers are the shipped program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn builtin_engine() -> Engine {
    Engine::new(
        &Bundle::builtin(),
        &Namespaces::default(),
        DEFAULT_TIME_LIMIT,
    )
    .expect("the built-in pack loads")
}

/// The plan of `resources` resource changes as file bytes.
fn plan_bytes(resources: usize) -> Vec<u8> {
    let spec = synth::TerraformPlan {
        resources,
        ..synth::plan_5k()
    };
    serde_json::to_vec(&synth::plan_json(&spec)).expect("plan JSON")
}

/// Loading (parsing and rendering) and evaluating plans of 5 000 and 50 000 resource changes.
fn plans(c: &mut Criterion) {
    let engine = builtin_engine();
    let mut group = c.benchmark_group("plan");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    for (name, resources) in [("5k", 5_000), ("50k", 50_000)] {
        let bytes = plan_bytes(resources);
        group.bench_function(format!("load_{name}"), |b| {
            b.iter(|| black_box(plan::read(&bytes, "plan.json").expect("plan")))
        });
        let (change, value) = plan::read(&bytes, "plan.json").expect("plan");
        if resources > 5_000 {
            // About 3.2 s an evaluation: ten of them.
            group.measurement_time(Duration::from_secs(35));
        }
        group.bench_function(format!("evaluate_{name}"), |b| {
            b.iter(|| black_box(evaluate_plan(&engine, &change, &value, "plan.json")))
        });
    }
    group.finish();
}

/// A synthetic git change written to a temporary repository: the range, and the directory
/// (which must outlive it).
fn synthetic_range(spec: &synth::TerraformChange) -> (Source, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary directory");
    synth::write_repo(spec, dir.path()).expect("synthetic repository");
    let source = Source::GitRange {
        repo: dir.path().to_path_buf(),
        range: Some("main..feature".to_string()),
        context: 3,
    };
    (source, dir)
}

fn check(c: &mut Criterion) {
    let (source, _dir) = synthetic_range(&synth::files_200());
    let loaded = source.load_for_policies().expect("load change");
    let (git_change, versions) = (loaded.change, loaded.versions);
    let engine = builtin_engine();
    let (lines_50k, _dir_50k) = synthetic_range(&synth::lines_50k());
    let loaded_50k = lines_50k.load_for_policies().expect("load change");
    let (change_50k, versions_50k) = (loaded_50k.change, loaded_50k.versions);

    let mut group = c.benchmark_group("check");
    // Ten samples of each (criterion's minimum). The bench's time is the pack's: with the
    // network and stateful-plan rules alone a plan evaluation took about 1 s and the whole
    // bench 45 s; every rule added to the pack adds to both evaluations.
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .warm_up_time(Duration::from_secs(1));
    group.bench_function("engine_builtin", |b| b.iter(|| black_box(builtin_engine())));
    group.bench_function("load_200", |b| {
        b.iter(|| black_box(source.load_for_policies().expect("load change")))
    });
    group.bench_function("evaluate_files_200", |b| {
        b.iter(|| black_box(evaluate_files(&engine, &git_change, &versions)))
    });
    // About 0.7 s an evaluation: ten of them.
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("evaluate_lines_50k", |b| {
        b.iter(|| black_box(evaluate_files(&engine, &change_50k, &versions_50k)))
    });
    group.finish();
}

criterion_group!(benches, check, plans);
criterion_main!(benches);
