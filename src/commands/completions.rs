//! `countersign completions SHELL`: a completion script generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;

/// Writes the completion script for `args.shell` to standard output.
pub fn run(args: &CompletionsArgs) -> Result<bool> {
    let mut command = Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "countersign",
        &mut std::io::stdout().lock(),
    );
    Ok(true)
}
