//! When a review's first frame was drawn and its findings arrived, for benchmarks: with
//! `COUNTERSIGN_TIMINGS=FILE` in the environment, the review appends `first_frame_ms N` and
//! `findings_ms N` to FILE, counted from the start of the program.

use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static START: OnceLock<Instant> = OnceLock::new();

/// Marks the start of the program (called first thing in `main`).
pub fn start() {
    START.get_or_init(Instant::now);
}

/// The first frame has been drawn (later frames are not recorded).
pub fn first_frame() {
    static DONE: AtomicBool = AtomicBool::new(false);
    if !DONE.swap(true, Ordering::SeqCst) {
        record("first_frame_ms");
    }
}

/// The policies' findings have arrived and been added to the review.
pub fn findings() {
    record("findings_ms");
}

fn record(what: &str) {
    let (Some(path), Some(start)) = (std::env::var_os("COUNTERSIGN_TIMINGS"), START.get()) else {
        return;
    };
    let line = format!("{what} {}\n", start.elapsed().as_millis());
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        eprintln!(
            "countersign: COUNTERSIGN_TIMINGS {}: {e}",
            std::path::Path::new(&path).display()
        );
    }
}
