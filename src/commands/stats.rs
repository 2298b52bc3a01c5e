//! `countersign stats`: AI-change signals from the recorded reviews of the session store, or
//! with `--history` from git history alone.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::authorship::Classifier;
use crate::cli::{Cli, ListFormat, StatsArgs};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::render::json::write_ascii;
use crate::session::store::{Store, read_log};
use crate::source::git;
use crate::stats::calendar::rfc3339_ms;
use crate::stats::history::history_stats;
use crate::stats::history_git::read_history;
use crate::stats::review_stats::review_stats;
use crate::stats::reviewed::ReviewedSession;
use crate::stats::text;

use super::review::repo_root;

/// Runs `stats`.
pub fn run(args: &StatsArgs, cli: &Cli) -> Result<bool> {
    let config = Config::load(cli.config.as_deref(), &repo_root(Path::new(".")))?;
    let since = args.since.as_deref().map(since_secs).transpose()?;
    if args.history {
        let repo = git::open(Path::new("."))?;
        let classifier = Classifier::new(&config.authorship);
        let commits = read_history(&repo, args.range.as_deref(), since, &classifier)?;
        let range = args.range.as_deref().unwrap_or("HEAD");
        let stats = history_stats(&commits, range, config.stats.rollback_window_days);
        return print(args.format, &stats, || text::history(&stats));
    }
    let store = Store::locate(cli.store.as_deref(), Path::new("."))?;
    let mut sessions = Vec::new();
    for entry in store.list()? {
        match read_log(&store.log_path(&entry.id)) {
            Ok(log) => {
                let session = ReviewedSession::from_log(&log);
                if since.is_none_or(|t| session.started_ms >= t.saturating_mul(1000)) {
                    sessions.push(session);
                }
            }
            Err(e) => eprintln!("countersign: warning: left out of the statistics: {e}"),
        }
    }
    let min_dwell = u64::try_from(config.stats.min_dwell.as_millis()).unwrap_or(u64::MAX);
    let stats = review_stats(&sessions, min_dwell);
    print(args.format, &stats, || text::reviews(&stats))
}

/// Prints `value` as JSON, or the text `text` makes.
fn print<T: Serialize>(format: ListFormat, value: &T, text: impl Fn() -> String) -> Result<bool> {
    let mut out = std::io::stdout().lock();
    let written = match format {
        ListFormat::Json => {
            let json = serde_json::to_value(value).map_err(|e| Error::Internal(e.to_string()))?;
            write_ascii(&json, &mut out)
        }
        ListFormat::Text => out.write_all(text().as_bytes()),
    };
    match written {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Internal(format!("writing output: {e}")))
        }
        _ => Ok(true),
    }
}

/// `--since`: an age (`30d`, `12w`, `36h`) back from now, or a date (`2026-01-31`, from its
/// start, UTC), as seconds since the epoch.
fn since_secs(text: &str) -> Result<i64> {
    if let Some(ms) = rfc3339_ms(&format!("{text}T00:00:00Z")) {
        return Ok(ms / 1000);
    }
    let age = humantime::parse_duration(text).map_err(|_| {
        Error::Usage(format!(
            "--since {text}: give an age such as 30d or 12w, or a date such as 2026-01-31"
        ))
    })?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| Error::Internal(format!("the clock is before 1970: {e}")))?;
    Ok(now.saturating_sub(age).as_secs() as i64)
}
