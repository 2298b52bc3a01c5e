//! Replaying a log: the recorded actions fed through the same reducer as the live review, so
//! every state (and screen) the reviewer had is reproduced exactly.

use super::chain::Log;
use super::record::{Body, Record, Start};
use crate::review::carry::carry;
use crate::review::{Effect, State, update};

/// A log being stepped through.
pub struct Replay<'a> {
    records: &'a [Record],
    /// The review as of the records applied so far.
    pub state: State,
    /// How many records have been applied (the start record counts).
    pub applied: usize,
}

impl<'a> Replay<'a> {
    /// The review as it was when the log started.
    pub fn new(log: &'a Log) -> Replay<'a> {
        let start = start_of(log);
        let state = if start.findings_pending {
            State::awaiting_findings(start.change.clone(), start.options.clone())
        } else {
            State::new(
                start.change.clone(),
                start.findings.clone(),
                start.options.clone(),
            )
        };
        Replay {
            records: &log.records,
            state,
            applied: 1,
        }
    }

    /// Applies the next record; `None` at the end of the log.
    pub fn step(&mut self) -> Option<(&'a Record, Option<Effect>)> {
        let record = self.records.get(self.applied)?;
        self.applied += 1;
        Some((record, apply(&mut self.state, record)))
    }

    /// The record that will be applied next.
    pub fn peek(&self) -> Option<&'a Record> {
        self.records.get(self.applied)
    }

    /// Applies every record left and returns the final review.
    pub fn finish(mut self) -> State {
        while self.step().is_some() {}
        self.state
    }
}

/// The start record of a log (the chain check guarantees it is the first).
pub fn start_of(log: &Log) -> &Start {
    match &log.records[0].body {
        Body::Start(start) => start,
        _ => unreachable!("a checked log begins with its start record"),
    }
}

/// Applies one record to `state`, as the live review did.
pub fn apply(state: &mut State, record: &Record) -> Option<Effect> {
    match &record.body {
        Body::Action { ms, action, .. } => update(state, *action, *ms),
        Body::Resume(resume) => {
            let fresh = match &resume.snapshot {
                Some(s) => State::new(s.change.clone(), s.findings.clone(), s.options.clone()),
                None => State::new(
                    state.change.clone(),
                    state.findings.clone(),
                    state.options.clone(),
                ),
            };
            *state = carry(state, fresh);
            None
        }
        Body::Findings(arrival) => {
            state.receive_findings(arrival.findings.clone(), arrival.policy_errors);
            None
        }
        Body::Start(_) | Body::End { .. } => None,
    }
}
