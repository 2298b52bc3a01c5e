//! Writes the synthetic 50 000-line Terraform change (`countersign::synth::lines_50k`) as a
//! git repository in the directory given, for timing whole commands against it:
//!
//! ```sh
//! cargo run --release --example synth_repo -- /tmp/bench50k
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: synth_repo DIR   (DIR must not exist yet, or be empty)");
        return ExitCode::from(2);
    };
    match countersign::synth::write_repo(&countersign::synth::lines_50k(), &dir) {
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
