//! Writes a synthetic Terraform change as a git repository in the directory given, for timing
//! whole commands against it: the 50 000-line change (`countersign::synth::lines_50k`), or with
//! `--files-200` the 200-file change `check` is measured on (`countersign::synth::files_200`):
//!
//! ```sh
//! cargo run --release --example synth_repo -- /tmp/bench50k
//! cargo run --release --example synth_repo -- /tmp/bench200 --files-200
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let usage = || {
        eprintln!("usage: synth_repo DIR [--files-200]   (DIR must not exist yet, or be empty)");
        ExitCode::from(2)
    };
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let (dir, spec) = match args.as_slice() {
        [dir] => (PathBuf::from(dir), countersign::synth::lines_50k()),
        [dir, flag] if flag == "--files-200" => {
            (PathBuf::from(dir), countersign::synth::files_200())
        }
        _ => return usage(),
    };
    match countersign::synth::write_repo(&spec, &dir) {
        Ok((base, head)) => {
            println!("{}: main {base}, feature {head}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {}", dir.display(), e.message());
            ExitCode::from(2)
        }
    }
}
