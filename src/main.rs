//! The `countersign` binary: parse arguments, run the command, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use countersign::cli::{Cli, Command};
use countersign::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // A bug must not show a raw panic: report it as an internal error (exit 3).
    std::panic::set_hook(Box::new(|info| {
        eprintln!("countersign: internal error (a bug, please report it): {info}");
    }));
    let result = std::panic::catch_unwind(|| match &cli.command {
        Command::Show(args) => commands::show::run(args, cli.color, cli.theme.as_deref()),
    });
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("countersign: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
        Err(_) => ExitCode::from(3),
    }
}
