//! Inputs the fuzzers found crashing (or hanging) countersign, replayed through the same code
//! the fuzz targets run (`fuzz/src/lib.rs`), so a plain `cargo test` keeps each fix fixed.
//! Each input is a file under `tests/fuzz_regressions/<target>/`.

#[path = "../fuzz/src/lib.rs"]
mod fuzz_entries;

use std::path::Path;
use std::time::{Duration, Instant};

/// Runs every saved input of `target` through `entry`; returns how many there were.
fn replay(target: &str, entry: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut count = 0;
    for file in entries {
        let path = file.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let started = Instant::now();
        entry_with_name(&path, || entry(&data));
        // A hang the fuzzer reported must stay fixed too (debug builds are slow: be generous).
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(10),
            "{} took {took:?}",
            path.display()
        );
        count += 1;
    }
    count
}

/// Runs `f`, naming the input in the panic message if it panics.
fn entry_with_name(path: &Path, f: impl FnOnce() + std::panic::UnwindSafe) {
    if let Err(panic) = std::panic::catch_unwind(f) {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        panic!("{} panics again: {message}", path.display());
    }
}

#[test]
fn every_saved_fuzz_input_runs_without_panicking() {
    let replayed = [
        replay("patch", fuzz_entries::patch),
        replay("plan", fuzz_entries::plan),
        replay("hcl", fuzz_entries::hcl),
        replay("yaml", fuzz_entries::yaml),
        replay("attestation", fuzz_entries::attestation),
        replay("session_log", fuzz_entries::session_log),
    ];
    assert!(
        replayed.iter().sum::<usize>() > 0,
        "no saved inputs under tests/fuzz_regressions/"
    );
}
