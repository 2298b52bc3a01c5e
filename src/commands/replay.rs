//! `countersign replay ID|FILE`: a recorded review played back on the terminal, or printed as a
//! transcript with `--headless` (as JSON with `--format json`). A log whose hash chain does
//! not check is refused (exit 1).

use std::path::Path;

use crate::cli::{Cli, ListFormat, ReplayArgs};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::render::json::write_ascii;
use crate::session::report::report;
use crate::session::store::{Store, read_log};
use crate::session::transcript::transcript;
use crate::tui::player;

/// Runs `replay`.
pub fn run(args: &ReplayArgs, cli: &Cli) -> Result<bool> {
    if !(args.speed.is_finite() && args.speed > 0.0) {
        return Err(Error::Usage(format!(
            "--speed {}: give a positive number (2 plays twice as fast)",
            args.speed
        )));
    }
    let store = Store::locate(cli.store.as_deref(), Path::new("."))?;
    let path = store.find(&args.session)?;
    let log = read_log(&path)?;
    for w in &log.warnings {
        eprintln!("countersign: warning: {}: {w}", path.display());
    }
    if args.headless && args.format == ListFormat::Json {
        write_ascii(&report(&log), &mut std::io::stdout().lock())
            .map_err(|e| Error::Internal(format!("writing output: {e}")))?;
        return Ok(true);
    }
    if args.headless {
        print!("{}", transcript(&log));
        return Ok(true);
    }
    let root = super::review::repo_root(Path::new("."));
    let config = Config::load(cli.config.as_deref(), &root)?;
    let ui = super::review::screen_for(cli, &config)?;
    player::run(&log, ui, args.speed)?;
    Ok(true)
}
