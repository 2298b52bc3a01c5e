//! The `countersign` binary: parse arguments, run the command, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;
use countersign::cli::{Cli, Command, PolicyCommand};
use countersign::commands;
use countersign::commands::check::Verdict;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    countersign::tui::timings::start();
    let cli = Cli::parse();
    // A bug must not show a raw panic: report it as an internal error (exit 3).
    std::panic::set_hook(Box::new(|info| {
        eprintln!("countersign: internal error (a bug, please report it): {info}");
    }));
    // Ok(true): success; Ok(false): the check failed (exit 1).
    let result = std::panic::catch_unwind(|| match &cli.command {
        Command::Show(args) => {
            commands::show::run(args, cli.color, cli.theme.as_deref()).map(|()| true)
        }
        Command::Policy(PolicyCommand::Test(args)) => commands::policy_test::run(args),
        Command::Review(args) => commands::review::run(args, &cli),
        Command::Demo(args) => commands::demo::run(args, &cli),
        Command::Replay(args) => commands::replay::run(args, &cli),
        Command::Sessions(args) => commands::sessions::run(args, &cli),
        Command::Verify(args) => commands::verify::run(args, &cli),
        Command::Attest(args) => commands::attest::run(args, &cli).map(|_| true),
        Command::Keygen(args) => commands::keygen::run(args, &cli).map(|()| true),
        Command::Stats(args) => commands::stats::run(args, &cli),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man(args) => commands::man::run(args),
        Command::Check(args) => commands::check::run(args, cli.color, cli.config.as_deref())
            .and_then(|v| match v {
                Verdict::Clean => Ok(true),
                Verdict::Failed => Ok(false),
                Verdict::Errors => Err(countersign::Error::Usage(
                    "policy or input errors (listed above)".into(),
                )),
            }),
    });
    match result {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => ExitCode::from(1),
        Ok(Err(e)) => {
            eprintln!("countersign: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
        Err(_) => ExitCode::from(3),
    }
}
