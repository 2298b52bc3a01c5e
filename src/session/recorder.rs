//! Recording a live review: every action is appended to the log before the reducer sees it,
//! and a change of decisions is fsynced before the screen shows it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use super::chain::{Log, seal};
use super::record::{Arrival, Body, Ending, Record, Resume, Start};
use super::replay::apply;
use super::store::{Entry, Store};
use crate::error::{Error, Result};
use crate::policy::finding::Finding;
use crate::review::{Action, Effect, State, update};

/// An open session log being appended to.
pub struct Recorder {
    file: File,
    path: PathBuf,
    store: Store,
    entry: Entry,
    next_seq: u64,
    prev: Option<String>,
    clock: Instant,
    clock_offset_ms: u64,
}

/// Wall-clock time now, RFC 3339 UTC with milliseconds.
pub fn wall_now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// A new session id: the UTC start time and four hex digits (`20261124-191506-3fa2`).
pub fn new_id() -> String {
    let now = SystemTime::now();
    let stamp: String = humantime::format_rfc3339_seconds(now)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let nanos = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let salt = crate::model::sha256_hex(format!("{nanos}/{}", std::process::id()).as_bytes());
    format!("{}-{}-{}", &stamp[..8], &stamp[8..14], &salt[..4])
}

/// Decisions and comments so far, as a mark that changes whenever either does.
fn decision_mark(state: &State) -> (usize, usize) {
    (state.undo.len(), state.comments.iter().map(Vec::len).sum())
}

impl Recorder {
    /// Starts the log of a new session in `store` with its `start` record; `state` is the
    /// review `start` describes.
    pub fn start(store: Store, start: Start, state: &State) -> Result<Recorder> {
        store.create()?;
        let path = store.log_path(&start.session);
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&path)
            .map_err(|e| io(&path, e))?;
        let entry = Entry::of(&start.session, &start.wall, &start.source_key, state);
        let mut recorder = Recorder {
            file,
            path,
            store,
            entry,
            next_seq: 1,
            prev: None,
            clock: Instant::now(),
            clock_offset_ms: 0,
        };
        recorder.append(Body::Start(Box::new(start)), true)?;
        recorder.store.record(&recorder.entry)?;
        Ok(recorder)
    }

    /// Continues the checked `log` at `path`: drops a torn last record, appends `resume`, and
    /// applies it to `state` (the log replayed), as a replay will.
    pub fn resume(
        store: Store,
        path: &Path,
        log: &Log,
        resume: Resume,
        state: &mut State,
    ) -> Result<Recorder> {
        let file = OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|e| io(path, e))?;
        file.set_len(log.valid_len as u64)
            .map_err(|e| io(path, e))?;
        let start = super::replay::start_of(log);
        let entry = Entry::of(&start.session, &start.wall, &start.source_key, state);
        let mut recorder = Recorder {
            file,
            path: path.to_path_buf(),
            store,
            entry,
            next_seq: log.records.len() as u64 + 1,
            prev: log.final_hash().map(str::to_string),
            clock: Instant::now(),
            clock_offset_ms: resume.ms,
        };
        let record = recorder.append(Body::Resume(Box::new(resume)), true)?;
        apply(state, &record);
        recorder.update_index(state)?;
        Ok(recorder)
    }

    /// The session id.
    pub fn id(&self) -> &str {
        &self.entry.id
    }

    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Milliseconds on the review's clock.
    pub fn now_ms(&self) -> u64 {
        self.clock_offset_ms + self.clock.elapsed().as_millis() as u64
    }

    /// Records `action`, then applies it; when it changed a decision or a comment, the log is
    /// on disk (fsynced) before this returns, so before the screen shows it.
    pub fn apply(&mut self, state: &mut State, action: Action) -> Result<Option<Effect>> {
        let ms = self.now_ms();
        let before = decision_mark(state);
        self.append(
            Body::Action {
                ms,
                wall: wall_now(),
                action,
            },
            false,
        )?;
        let effect = update(state, action, ms);
        if decision_mark(state) != before {
            self.file.sync_data().map_err(|e| io(&self.path, e))?;
            self.update_index(state)?;
        }
        Ok(effect)
    }

    /// Records the policies' `findings` (and the number of `policy_errors`) arriving, then
    /// adds them to the review; the log is on disk before the screen shows them.
    pub fn receive_findings(
        &mut self,
        state: &mut State,
        findings: Vec<Finding>,
        policy_errors: usize,
    ) -> Result<()> {
        let arrival = Arrival {
            ms: self.now_ms(),
            wall: wall_now(),
            findings,
            policy_errors,
        };
        let record = self.append(Body::Findings(Box::new(arrival)), true)?;
        apply(state, &record);
        Ok(())
    }

    /// Records how the review was left.
    pub fn end(&mut self, state: &State, ending: Ending) -> Result<()> {
        let verdict = (ending == Ending::Finished).then(|| state.summary().verdict);
        self.append(
            Body::End {
                ms: self.now_ms(),
                wall: wall_now(),
                ending,
                verdict,
            },
            true,
        )?;
        self.entry.ending = Some(ending);
        self.entry.verdict = verdict;
        self.update_index(state)
    }

    fn update_index(&mut self, state: &State) -> Result<()> {
        self.entry.decided = state.decided();
        self.entry.total = state.hunks.len();
        self.entry.duration_ms = state.now_ms;
        self.store.record(&self.entry)
    }

    /// Appends one record as one write; `sync` forces it to disk.
    fn append(&mut self, body: Body, sync: bool) -> Result<Record> {
        let record = Record {
            seq: self.next_seq,
            body,
            prev: self.prev.take(),
        };
        let (mut line, hash) = seal(&record);
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| if sync { self.file.sync_data() } else { Ok(()) })
            .map_err(|e| io(&self.path, e))?;
        self.next_seq += 1;
        self.prev = Some(hash);
        Ok(record)
    }
}

/// An I/O error on the log.
fn io(path: &Path, e: std::io::Error) -> Error {
    Error::input(path.display().to_string(), format!("session log: {e}"))
}
