//! `countersign sessions`: the recorded reviews in the store, from its index.

use std::path::Path;

use crate::cli::{Cli, ListFormat, SessionsArgs};
use crate::error::{Error, Result};
use crate::render::sanitize::sanitize_str;
use crate::session::store::{Entry, Store};

/// Runs `sessions`.
pub fn run(args: &SessionsArgs, cli: &Cli) -> Result<bool> {
    let store = Store::locate(cli.store.as_deref(), Path::new("."))?;
    let entries = store.list()?;
    match args.format {
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = entries.iter().map(json_row).collect();
            let text =
                serde_json::to_string_pretty(&rows).map_err(|e| Error::Internal(e.to_string()))?;
            println!("{text}");
        }
        ListFormat::Text if entries.is_empty() => {
            println!("no recorded reviews in {}", store.dir().display());
        }
        ListFormat::Text => print!("{}", table(&entries)),
    }
    Ok(true)
}

/// An entry for scripts: the index fields plus its status in words.
fn json_row(e: &Entry) -> serde_json::Value {
    let mut row = serde_json::to_value(e).unwrap_or_default();
    row["status"] = e.status().into();
    row
}

/// The entries as an aligned table, newest last.
fn table(entries: &[Entry]) -> String {
    let header = [
        "ID", "STARTED", "SOURCE", "REVIEWER", "DECIDED", "STATUS", "DURATION",
    ];
    let rows: Vec<[String; 7]> = entries
        .iter()
        .map(|e| {
            [
                e.id.clone(),
                e.started
                    .chars()
                    .take(16)
                    .collect::<String>()
                    .replace('T', " "),
                sanitize_str(&e.source),
                sanitize_str(&e.reviewer),
                format!("{}/{}", e.decided, e.total),
                e.status().to_string(),
                duration(e.duration_ms),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    };
    line(&header);
    for row in &rows {
        line(&row.each_ref().map(String::as_str));
    }
    out
}

/// Milliseconds as `1h02m`, `5m12s` or `12s`.
fn duration(ms: u64) -> String {
    let s = ms / 1000;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, min, sec) => format!("{min}m{sec:02}s"),
        (h, min, _) => format!("{h}h{min:02}m"),
    }
}
