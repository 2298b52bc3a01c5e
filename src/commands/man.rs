//! `countersign man`: man pages generated from the clap definitions — countersign(1) and one
//! page per subcommand (countersign-stats(1), countersign-policy-test(1), …), as the main
//! page's SUBCOMMANDS section refers to them.

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::error::{Error, Result};

/// Prints the page `args` names, or writes every page into `--dir`.
pub fn run(args: &ManArgs) -> Result<bool> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::unreadable(dir, e))?;
        clap_mangen::generate_to(command, dir).map_err(|e| Error::unreadable(dir, e))?;
        println!("man pages written to {}", dir.display());
        return Ok(true);
    }
    for name in &args.subcommand {
        command = command
            .find_subcommand(name)
            .cloned()
            .ok_or_else(|| Error::Usage(format!("man {name}: no such subcommand")))?;
    }
    let mut out = std::io::stdout().lock();
    match clap_mangen::Man::new(command).render(&mut out) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Internal(format!("writing the man page: {e}")))
        }
        _ => Ok(true),
    }
}
