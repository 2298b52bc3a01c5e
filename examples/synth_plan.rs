//! Writes a synthetic Terraform plan (`countersign::synth::plan_json`) as `terraform show
//! -json` would print it, for timing whole commands against it: 5 000 resource changes
//! (`countersign::synth::plan_5k`) unless a count is given.
//!
//! ```sh
//! cargo run --release --example synth_plan -- /tmp/plan5k.json
//! cargo run --release --example synth_plan -- /tmp/plan500.json 500
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use countersign::synth::{TerraformPlan, plan_5k, plan_json};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let usage = || {
        eprintln!("usage: synth_plan OUT.json [RESOURCES]   (default 5000 resources)");
        ExitCode::from(2)
    };
    let Some(out) = args.next().map(PathBuf::from) else {
        return usage();
    };
    let spec = match args.next().map(|n| n.to_string_lossy().parse::<usize>()) {
        None => plan_5k(),
        Some(Ok(resources)) => TerraformPlan {
            resources,
            ..plan_5k()
        },
        Some(Err(_)) => return usage(),
    };
    if args.next().is_some() {
        return usage();
    }
    let bytes = serde_json::to_vec(&plan_json(&spec)).expect("a JSON value serialises");
    match std::fs::write(&out, &bytes) {
        Ok(()) => {
            println!(
                "{}: {} resource changes, {} bytes",
                out.display(),
                spec.resources,
                bytes.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}
