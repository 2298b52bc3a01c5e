//! Where session logs live: `.git/countersign/sessions/` inside a repository (so they never
//! show up in a diff), the user data directory otherwise, or `--store DIR`. An index
//! (`index.jsonl`, one line per update, the last line of a session wins) lists sessions
//! without reading their logs.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::chain::{self, Log};
use super::record::Ending;
use super::replay::{Replay, start_of};
use crate::error::{Error, Result};
use crate::review::State;
use crate::review::state::Verdict;

/// A directory of session logs and their index.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// What the index knows of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The session id (its log is `<id>.jsonl`).
    pub id: String,
    /// When it started (RFC 3339 UTC).
    pub started: String,
    /// What is reviewed, as the review's header names it.
    pub source: String,
    /// The key of the source (same key: same thing under review).
    pub source_key: String,
    /// Who reviews.
    pub reviewer: String,
    /// Hunks decided.
    pub decided: usize,
    /// Hunks in the change.
    pub total: usize,
    /// The verdict, once finished.
    pub verdict: Option<Verdict>,
    /// How it was left; `None` while running or after a crash.
    pub ending: Option<Ending>,
    /// Milliseconds of review so far.
    pub duration_ms: u64,
}

impl Entry {
    /// The entry for the session `id` as of `state`.
    pub fn of(id: &str, started: &str, source_key: &str, state: &State) -> Entry {
        Entry {
            id: id.to_string(),
            started: started.to_string(),
            source: state.options.source.clone(),
            source_key: source_key.to_string(),
            reviewer: state.options.reviewer.clone(),
            decided: state.decided(),
            total: state.hunks.len(),
            verdict: None,
            ending: None,
            duration_ms: state.now_ms,
        }
    }

    /// True when `review --resume` can continue it.
    pub fn resumable(&self) -> bool {
        self.ending != Some(Ending::Finished)
    }

    /// Its status in words: the verdict, `left` (quit), or `interrupted`.
    pub fn status(&self) -> &'static str {
        match (self.ending, self.verdict) {
            (Some(Ending::Finished), Some(Verdict::ChangesRequested)) => "changes requested",
            (Some(Ending::Finished), _) => "approved",
            (Some(Ending::Quit), _) => "left",
            (None, _) => "interrupted",
        }
    }
}

impl Store {
    /// The store `explicit` names, else the one for the repository around `dir`, else the
    /// user data directory (`$XDG_DATA_HOME/countersign/sessions`).
    pub fn locate(explicit: Option<&Path>, dir: &Path) -> Result<Store> {
        let dir = match explicit {
            Some(d) => d.to_path_buf(),
            None => match git2::Repository::discover(dir) {
                Ok(repo) => repo.commondir().join("countersign").join("sessions"),
                Err(_) => data_dir()?.join("countersign").join("sessions"),
            },
        };
        Ok(Store { dir })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The log file of session `id`.
    pub fn log_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.jsonl"))
    }

    /// Creates the directory when missing.
    pub fn create(&self) -> Result<()> {
        fs::create_dir_all(&self.dir).map_err(|e| io(&self.dir, e))
    }

    /// The log `what` names: a file path, or a session id (or its unique prefix) in the store.
    pub fn find(&self, what: &str) -> Result<PathBuf> {
        let as_path = Path::new(what);
        if as_path.is_file() {
            return Ok(as_path.to_path_buf());
        }
        let ids: Vec<String> = self
            .list()?
            .into_iter()
            .map(|e| e.id)
            .filter(|id| id.starts_with(what))
            .collect();
        match ids.as_slice() {
            [id] => Ok(self.log_path(id)),
            [] => Err(Error::input(
                what,
                format!(
                    "no such session log or session id in {} (countersign sessions lists them)",
                    self.dir.display()
                ),
            )),
            _ => Err(Error::input(
                what,
                format!("names {} sessions: {}", ids.len(), ids.join(", ")),
            )),
        }
    }

    /// Adds the latest state of a session to the index.
    pub fn record(&self, entry: &Entry) -> Result<()> {
        let path = self.dir.join("index.jsonl");
        let mut line = serde_json::to_string(entry).map_err(|e| Error::Internal(e.to_string()))?;
        line.push('\n');
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .map_err(|e| io(&path, e))
    }

    /// Every session, oldest first: from the index, plus any log the index does not name
    /// (read in full).
    pub fn list(&self) -> Result<Vec<Entry>> {
        let mut by_id: BTreeMap<String, Entry> = BTreeMap::new();
        let index = self.dir.join("index.jsonl");
        if let Ok(text) = fs::read_to_string(&index) {
            // A line that does not parse (a write cut short) is skipped: the logs are the
            // record, the index only a shortcut.
            for entry in text
                .lines()
                .filter_map(|l| serde_json::from_str::<Entry>(l).ok())
            {
                by_id.insert(entry.id.clone(), entry);
            }
        }
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Ok(by_id.into_values().collect());
        };
        for file in dir.flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".jsonl") else {
                continue;
            };
            if id == "index" || by_id.contains_key(id) {
                continue;
            }
            if let Ok(log) = read_log(&file.path()) {
                by_id.insert(id.to_string(), entry_of_log(&log));
            }
        }
        let mut all: Vec<Entry> = by_id.into_values().collect();
        all.sort_by(|a, b| (&a.started, &a.id).cmp(&(&b.started, &b.id)));
        Ok(all)
    }

    /// The newest session that can be resumed, of `source_key` when given.
    pub fn resumable(&self, source_key: Option<&str>) -> Result<Option<Entry>> {
        Ok(self
            .list()?
            .into_iter()
            .rev()
            .find(|e| e.resumable() && source_key.is_none_or(|k| e.source_key == k)))
    }
}

/// Reads and checks the log at `path`.
pub fn read_log(path: &Path) -> Result<Log> {
    let bytes = fs::read(path).map_err(|e| Error::unreadable(path, e))?;
    chain::read(&bytes).map_err(|e| match e {
        chain::ChainError::Tampered { .. } => Error::Failed(format!("{}: {e}", path.display())),
        chain::ChainError::Empty => Error::input(path.display().to_string(), e.to_string()),
    })
}

/// The index entry a whole log adds up to.
pub fn entry_of_log(log: &Log) -> Entry {
    let start = start_of(log);
    let state = Replay::new(log).finish();
    let mut entry = Entry::of(&start.session, &start.wall, &start.source_key, &state);
    if let Some(super::record::Body::End {
        ending, verdict, ..
    }) = log.records.last().map(|r| &r.body)
    {
        entry.ending = Some(*ending);
        entry.verdict = *verdict;
    }
    entry
}

/// The user data directory: `$XDG_DATA_HOME`, else `~/.local/share`.
fn data_dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".local").join("share"))
        .ok_or_else(|| {
            Error::Usage(
                "no place for session logs: set XDG_DATA_HOME or HOME, or pass --store DIR".into(),
            )
        })
}

/// An I/O error on a store file.
fn io(path: &Path, e: std::io::Error) -> Error {
    Error::input(path.display().to_string(), format!("session store: {e}"))
}
